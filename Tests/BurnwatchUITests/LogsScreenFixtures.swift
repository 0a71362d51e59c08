import BurnwatchCore
@testable import BurnwatchUI

/// Log records for the logs screen tests, built the way the feed builds them.
enum LogsFixtures {
    static let base: Int64 = 1_764_000_000_000  // 2025-11-24T16:00:00Z

    /// A structured access-log-like record whose raw text is the JSON of its fields.
    static func access(_ second: Int, ms: Int = 0, level: LogLevel = .info, status: Int, path: String, method: String = "GET",
                       requestID: String? = nil, traceID: String? = nil, source: String = "/var/log/caddy/access.log",
                       message: String = "handled request", extra: [(String, String)] = []) -> LogsRecord {
        var e = LogEvent()
        e.time = Timestamp(milliseconds: base + Int64(second) * 1000 + Int64(ms))
        e.level = level
        e.message = message
        e.status = status
        e.path = path
        e.method = method
        e.requestID = requestID
        e.traceID = traceID
        e.duration = 0.0125
        e.fields = extra
        e.format = "caddy"
        var json = "{\"level\":\"\(level)\",\"ts\":\(base / 1000 + Int64(second)),\"msg\":\"\(message)\","
        json += "\"request\":{\"method\":\"\(method)\",\"uri\":\"\(path)\",\"headers\":{\"User-Agent\":[\"curl/8\"]}},"
        if let requestID { json += "\"request_id\":\"\(requestID)\"," }
        if let traceID { json += "\"trace_id\":\"\(traceID)\"," }
        for (k, v) in extra { json += "\"\(k)\":\"\(v)\"," }
        json += "\"status\":\(status),\"duration\":0.0125}"
        return LogsRecord(source: source, event: e, raw: json, structured: true,
                          arrival: Timestamp(milliseconds: base + Int64(second) * 1000 + 500))
    }

    /// An application line with a level and message.
    static func app(_ second: Int, _ level: LogLevel, _ message: String, requestID: String? = nil,
                    source: String = "/srv/app/app.log", raw: String? = nil) -> LogsRecord {
        var e = LogEvent()
        e.time = Timestamp(milliseconds: base + Int64(second) * 1000)
        e.level = level
        e.message = message
        e.requestID = requestID
        e.service = "checkout"
        e.format = "slog"
        let text = raw ?? "{\"time\":\"t\",\"level\":\"\(level.description.uppercased())\",\"msg\":\"m\"" + (requestID.map { ",\"request_id\":\"\($0)\"" } ?? "") + "}"
        return LogsRecord(source: source, event: e, raw: text, structured: raw == nil,
                          arrival: Timestamp(milliseconds: base + Int64(second) * 1000 + 200))
    }

    /// A message-only (unparsed) line.
    static func text(_ second: Int, _ raw: String, source: String = "/srv/app/app.log") -> LogsRecord {
        var e = LogEvent()
        e.message = raw
        return LogsRecord(source: source, event: e, raw: raw, structured: false,
                          arrival: Timestamp(milliseconds: base + Int64(second) * 1000))
    }

    static let health = [
        LogsSourceHealth(name: "/var/log/caddy/access.log", lines: 8, linesPerSecond: 1.6, preset: "caddy"),
        LogsSourceHealth(name: "/srv/app/app.log", lines: 5, linesPerSecond: 1, unparsed: 1, truncated: 1, preset: "slog"),
        LogsSourceHealth(name: "kubectl logs -f deploy/pay", state: .exited, lastError: "command exited with status 1"),
    ]

    /// A mixed batch: access lines of several statuses, app lines of every level, one shared request.
    static var mixed: LogsBatch {
        LogsBatch(records: [
            access(0, status: 200, path: "/", requestID: "req-1"),
            app(0, .debug, "cache warm", source: "/srv/app/app.log"),
            app(1, .info, "order placed", requestID: "req-1"),
            access(1, status: 404, path: "/missing", requestID: "req-2"),
            app(2, .warn, "retrying payment call", requestID: "req-3"),
            access(2, level: .error, status: 500, path: "/boom", requestID: "req-3"),
            app(3, .error, "payment failed: timeout", requestID: "req-3"),
            access(3, status: 200, path: "/health"),
            text(4, "plain text line without structure"),
            app(4, .warn, "slow query", requestID: "req-4"),
            access(4, level: .error, status: 503, path: "/pay", requestID: "req-5"),
            access(5, status: 201, path: "/orders", requestID: "req-1"),
        ], health: health)
    }
}
