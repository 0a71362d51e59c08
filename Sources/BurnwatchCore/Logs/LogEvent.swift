/// A log level normalised from the names and numbers that loggers write.
public enum LogLevel: Int, Comparable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case unknown = 0, trace, debug, info, warn, error, fatal

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }

    /// The lower-case name used in labels and output (`info`, `warn`, `error`…).
    public var description: String {
        switch self {
        case .unknown: "unknown"
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .warn: "warn"
        case .error: "error"
        case .fatal: "fatal"
        }
    }

    /// Normalises a level name (`INFO`, `Warning`, `err`, `dpanic`, `E`…), case-insensitively.
    ///
    /// - Returns: the level, or `.unknown` when the name is not one loggers use.
    public static func named(_ text: some StringProtocol) -> LogLevel {
        var lower = ""
        lower.reserveCapacity(8)
        for scalar in text.unicodeScalars.prefix(12) {
            lower.unicodeScalars.append(scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar)
        }
        switch lower {
        case "trace", "trc", "t", "finest", "verbose": return .trace
        case "debug", "dbg", "d", "fine", "debug1", "debug2": return .debug
        case "info", "inf", "i", "information", "informational", "notice", "normal": return .info
        case "warn", "warning", "wrn", "w": return .warn
        case "error", "err", "e", "eror", "severe": return .error
        case "fatal", "crit", "critical", "panic", "dpanic", "emerg", "emergency", "alert", "ftl", "f", "pnc": return .fatal
        default:
            if let n = Int(lower) { return numbered(n) }
            return .unknown
        }
    }

    /// The level of a line that has no level field, from its HTTP status: 5xx is an error, 4xx
    /// (429 and 499 too) a warning, anything else info. Access logs (HAProxy, nginx, Envoy,
    /// Caddy's access lines) carry no level; a responder expects a failed request to be an error.
    public static func fromStatus(_ status: Int) -> LogLevel {
        switch status {
        case 500...599: return .error
        case 400...499: return .warn
        default: return .info
        }
    }

    /// Normalises a numeric level: bunyan/pino (10 trace … 60 fatal), OpenTelemetry severity
    /// numbers (1–4 trace … 21–24 fatal) and syslog severities are told apart by range.
    /// The level of a number read from a log line (`30`, `30.0`); `.unknown` for any number that is
    /// not a level, such as `1e400` (infinite) or `-7.5`, so that no input can trap a conversion.
    public static func numbered(_ n: Double) -> LogLevel {
        guard n.isFinite, abs(n) < 1e9 else { return .unknown }
        return numbered(Int(n))
    }

    public static func numbered(_ n: Int) -> LogLevel {
        switch n {
        case 10: return .trace
        case 20: return .debug
        case 30: return .info
        case 40: return .warn
        case 50: return .error
        case 60: return .fatal
        case 1...4: return .trace
        case 5...8: return .debug
        case 9...12: return .info
        case 13...16: return .warn
        case 17...20: return .error
        case 21...24: return .fatal
        default: return .unknown
        }
    }
}

/// One log line normalised to the fields burnwatch understands, whatever format wrote it.
///
/// Every field is optional: a line carries what its logger wrote. `fields` keeps every other
/// field (dotted paths for nested objects) for filters and the detail pane.
public struct LogEvent: Sendable, Equatable {
    /// When the line says it happened (`nil` when it has no time or an unknown format).
    public var time: Timestamp?
    public var level: LogLevel = .unknown
    public var message: String?
    public var service: String?
    public var instance: String?
    public var requestID: String?
    public var traceID: String?
    public var spanID: String?
    public var tenant: String?
    public var method: String?
    /// The route template (`/users/{id}`) when the logger wrote one.
    public var route: String?
    /// The concrete path, query string removed.
    public var path: String?
    public var status: Int?
    /// Request duration in seconds, converted from the format's unit.
    public var duration: Double?
    /// 1-based attempt number, when written.
    public var attempt: Int?
    /// Retries made (attempt − 1 when only the attempt is known).
    public var retries: Int?
    public var errorKind: String?
    public var dependency: String?
    public var idempotencyKey: String?
    /// Every other field as text, dotted paths for nested objects, in line order.
    public var fields: [(String, String)] = []
    /// The preset that parsed the line (`slog`, `caddy`…, `text` for message-only lines).
    public var format: String = "text"

    public init() {}

    public static func == (a: LogEvent, b: LogEvent) -> Bool {
        a.time == b.time && a.level == b.level && a.message == b.message && a.service == b.service
            && a.instance == b.instance && a.requestID == b.requestID && a.traceID == b.traceID
            && a.spanID == b.spanID && a.tenant == b.tenant && a.method == b.method && a.route == b.route
            && a.path == b.path && a.status == b.status && a.duration == b.duration && a.attempt == b.attempt
            && a.retries == b.retries && a.errorKind == b.errorKind && a.dependency == b.dependency
            && a.idempotencyKey == b.idempotencyKey && a.format == b.format
            && a.fields.map { $0.0 } == b.fields.map { $0.0 } && a.fields.map { $0.1 } == b.fields.map { $0.1 }
    }

    /// The value of one other field by name, or `nil`.
    public func field(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }

    /// The status class label value (`2xx`…`5xx`), or `""` when there is no status.
    public var statusClass: String {
        guard let status, (100...599).contains(status) else { return "" }
        return "\(status / 100)xx"
    }

    /// The value a filter or `--count-by` sees for a normalised or raw field name.
    ///
    /// Normalised names (`level`, `msg`, `status`, `duration`, …) read the normalised fields;
    /// any other name reads `fields`.
    public func lookup(_ name: String) -> String? {
        switch LogEvent.normalisedName(name) {
        case "time": return time.map { RFC3339.format($0) }
        case "level": return level == .unknown ? nil : level.description
        case "msg": return message
        case "service": return service
        case "instance": return instance
        case "request_id": return requestID
        case "trace_id": return traceID
        case "span_id": return spanID
        case "tenant": return tenant
        case "method": return method
        case "route": return route
        case "path": return path
        case "status": return status.map(String.init)
        case "duration": return duration.map { String($0) }
        case "attempt": return attempt.map(String.init)
        case "retries": return retries.map(String.init)
        case "error_kind": return errorKind
        case "dependency": return dependency
        case "idempotency_key": return idempotencyKey
        default: return field(name)
        }
    }

    /// The canonical spelling of a normalised field name, or `nil` when `name` is not one.
    public static func normalisedName(_ name: String) -> String? {
        switch name {
        case "time", "ts", "timestamp": return "time"
        case "level", "severity": return "level"
        case "msg", "message": return "msg"
        case "service": return "service"
        case "instance", "host": return "instance"
        case "request_id", "requestid": return "request_id"
        case "trace_id": return "trace_id"
        case "span_id": return "span_id"
        case "tenant": return "tenant"
        case "method": return "method"
        case "route": return "route"
        case "path": return "path"
        case "status": return "status"
        case "duration": return "duration"
        case "attempt": return "attempt"
        case "retries", "retry": return "retries"
        case "error_kind": return "error_kind"
        case "dependency": return "dependency"
        case "idempotency_key": return "idempotency_key"
        default: return nil
        }
    }
}
