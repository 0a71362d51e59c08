/// Picks a source's preset from its first lines.
public enum LogPresetDetector {
    /// How many lines detection looks at.
    public static let sampleSize = 16

    /// The preset one line looks like, or `nil` for a blank line.
    public static func classify(_ line: UnsafeBufferPointer<UInt8>) -> LogPreset? {
        var start = 0
        while start < line.count, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        guard start < line.count else { return nil }
        if line[start] != 0x7B {
            return LogfmtScanner.looksLikeLogfmt(UnsafeBufferPointer(rebasing: line[start...])) ? .logfmt : .text
        }
        var keys = Set<String>()
        var levelIsNumber = false, levelIsUpper = false, tsIsString = false, accessLogger = false
        let outcome = JSONObjectScanner().forEachMember(line) { key, value in
            let k = JSONString.decode(line, key)
            keys.insert(k)
            switch k {
            case "level":
                levelIsNumber = value.kind == .number
                if value.kind == .string { let v = JSONString.decode(line, value); levelIsUpper = v == v.uppercased() }
            case "ts": tsIsString = value.kind == .string
            case "logger": accessLogger = JSONString.decode(line, value).hasPrefix("http.log.access")
            default: break
            }
            return keys.count < 200
        }
        if case .notObject = outcome { return .text }
        if case .invalid = outcome, keys.isEmpty { return .text }
        if keys.contains("termination_state") || (keys.contains("Tt") && keys.contains("Tr")) || (keys.contains("frontend") && keys.contains("backend")) { return .haproxy }
        if keys.contains("response_flags") || (keys.contains("upstream_host") && keys.contains("response_code")) { return .envoy }
        if keys.contains("@timestamp"), keys.contains("ecs.version") || keys.contains("ecs") || keys.contains("log.level") || keys.contains("log") { return .ecs }
        if keys.contains("severityText") || keys.contains("SeverityText") || keys.contains("severityNumber") || keys.contains("timeUnixNano") || keys.contains("SeverityNumber") { return .otel }
        if keys.contains("v"), keys.contains("hostname"), keys.contains("pid"), levelIsNumber { return .bunyan }
        if keys.contains("request_time") || keys.contains("time_local") || keys.contains("time_iso8601") || (keys.contains("remote_addr") && keys.contains("status")) { return .nginx }
        if accessLogger || (keys.contains("ts") && keys.contains("request") && keys.contains("status")) { return .caddy }
        if keys.contains("ts"), keys.contains("caller"), keys.contains("level"), tsIsString { return .gokit }
        if keys.contains("ts"), keys.contains("msg") || keys.contains("level") { return .zap }
        if keys.contains("message"), keys.contains("level"), !keys.contains("msg") { return .zerolog }
        if keys.contains("time"), keys.contains("level"), keys.contains("msg") { return levelIsUpper ? .slog : .logrus }
        return .json
    }

    /// The preset for a source from its first lines: the single kind seen, `caddy` for Caddy's
    /// mix of zap process lines and access lines, `json` for other mixes of JSON kinds.
    public static func detect(_ lines: [[UInt8]]) -> LogPreset {
        var votes: [LogPreset: Int] = [:]
        for line in lines.prefix(sampleSize) {
            if let kind = line.withUnsafeBufferPointer({ classify($0) }) { votes[kind, default: 0] += 1 }
        }
        var kinds = Set(votes.keys)
        if kinds.count > 1 { kinds.remove(.text) }   // a stray banner line does not decide
        if kinds == [.zap, .caddy] { return .caddy }
        if kinds == [.slog, .logrus] { return .slog }
        if kinds.count == 1 { return kinds.first! }
        if kinds.isEmpty { return .text }
        if kinds.contains(.logfmt) && !kinds.contains(where: { $0 != .logfmt }) { return .logfmt }
        return .json
    }
}
