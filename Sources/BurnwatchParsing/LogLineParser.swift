import BurnwatchCore

/// What parsing one line found, besides the event.
public struct LogLineResult: Sendable, Equatable {
    /// The normalised event (message-only for unstructured or broken lines).
    public var event: LogEvent
    /// Whether the line was a structured record (JSON object or logfmt).
    public var structured: Bool
    /// Why a line meant to be structured was not (e.g. `invalid JSON at column 17`), else `nil`.
    public var problem: String?
    /// The line held invalid UTF-8 (repaired with U+FFFD in the event's text).
    public var invalidUTF8: Bool
    /// The line had a time field whose format is unknown.
    public var timeUnparsed: Bool
    /// The line did not fit the source's format (no level field of the format's, no status) and
    /// its level, message or time were read from the common paths of other formats.
    public var otherFormat: Bool = false
}

/// Parses lines of one format into normalised `LogEvent`s.
///
/// JSON lines are scanned on demand for the preset's candidate paths only; `collectOtherFields`
/// adds every other field (nested objects flattened to dotted paths) for filters and the detail pane.
public struct LogLineParser: Sendable {
    public let preset: LogPreset
    public let mapping: LogFieldMapping
    /// Whether to collect every field into `LogEvent.fields`.
    public var collectOtherFields: Bool
    private let selector: JSONFieldSelector
    /// Slots (and units) per normalised field, in candidate order.
    private let slotsByField: [[(slot: Int, unit: LogDurationUnit)]]
    private var slots: [JSONSpan]
    private let scanner: JSONObjectScanner
    /// The common paths of other formats, read for a line that does not fit this one.
    private let otherFormatSelector = JSONFieldSelector(paths: LogLineParser.otherFormatPaths.flatMap { $0 })
    private var otherFormatSlots = Array(repeating: JSONSpan.missing, count: LogLineParser.otherFormatPaths.joined().count)
    /// Level, message and time paths most loggers use, in that order.
    static let otherFormatPaths = [["level", "lvl", "severity"], ["msg", "message"], ["time", "ts", "@timestamp"]]

    /// Creates a parser for `preset`, optionally with a `fields:` override mapping.
    public init(preset: LogPreset, mapping: LogFieldMapping? = nil, collectOtherFields: Bool = true, maxDepth: Int = 512) {
        self.preset = preset
        let m = mapping ?? preset.mapping
        self.mapping = m
        self.collectOtherFields = collectOtherFields
        let paths = m.allPaths
        selector = JSONFieldSelector(paths: paths)
        slotsByField = LogFieldMapping.names.map { name in
            (m.candidates[name] ?? []).compactMap { c in paths.firstIndex(of: c.path).map { ($0, c.unit) } }
        }
        slots = Array(repeating: .missing, count: paths.count)
        scanner = JSONObjectScanner(maxDepth: maxDepth)
    }

    /// Parses one line (without its newline).
    ///
    /// - Complexity: O(n) in the line length.
    public mutating func parse(_ line: UnsafeBufferPointer<UInt8>) -> LogLineResult {
        let validUTF8 = LogUTF8Validator.isValid(line)
        var result = LogLineResult(event: LogEvent(), structured: false, problem: nil, invalidUTF8: !validUTF8, timeUnparsed: false)
        var first = 0
        while first < line.count, line[first] == 0x20 || line[first] == 0x09 { first += 1 }
        if first < line.count, line[first] == 0x7B {
            var found = 0
            let outcome = scanner.scan(line, selector, into: &slots, found: &found)
            switch outcome {
            case .ok:
                result.structured = true
                fillFromJSON(line, &result)
                if result.event.level == .unknown, result.event.status == nil, !levelFieldPresent(line) {
                    fillFromOtherFormat(line, &result)
                }
                if result.event.level == .unknown, let status = result.event.status, !levelFieldPresent(line) {
                    result.event.level = .fromStatus(status)
                }
                if collectOtherFields { collectJSONFields(line, &result.event) }
                result.event.format = preset == .text ? "json" : preset.rawValue
                return result
            case .invalid(let at):
                result.problem = "invalid JSON at column \(at + 1)"
            case .tooDeep(let at):
                result.problem = "JSON nested deeper than \(scanner.maxDepth) levels at column \(at + 1)"
            case .notObject:
                break
            }
        } else if preset == .logfmt || (preset != .text && LogfmtScanner.looksLikeLogfmt(line)) {
            let pairs = LogfmtScanner.pairs(line)
            if !pairs.isEmpty {
                result.structured = true
                fillFromPairs(pairs, &result)
                if result.event.level == .unknown, let status = result.event.status,
                   !(mapping.candidates["level"] ?? []).contains(where: { c in pairs.contains { $0.0 == c.path } }) {
                    result.event.level = .fromStatus(status)
                }
                result.event.format = "logfmt"
                return result
            }
        }
        result.event.message = String(decoding: line, as: UTF8.self)
        result.event.format = "text"
        return result
    }

    private func index(_ name: String) -> Int { LogFieldMapping.names.firstIndex(of: name)! }

    /// Whether the line has a level field at all (an unknown level name is not replaced by the status).
    private func levelFieldPresent(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        slotsByField[index("level")].contains { !slots[$0.slot].isAbsentOrNull }
    }

    /// Reads level, message and time from the common paths, for a line not in the source's format
    /// (an application line in an access log, another logger's line).
    private mutating func fillFromOtherFormat(_ line: UnsafeBufferPointer<UInt8>, _ r: inout LogLineResult) {
        var found = 0
        guard case .ok = scanner.scan(line, otherFormatSelector, into: &otherFormatSlots, found: &found), found > 0 else { return }
        func first(_ group: Int) -> JSONSpan? {
            let start = Self.otherFormatPaths.prefix(group).reduce(0) { $0 + $1.count }
            for k in start..<(start + Self.otherFormatPaths[group].count) {
                let s = otherFormatSlots[k]
                if !s.isAbsentOrNull, !(s.kind == .string && s.end == s.start) { return s }
            }
            return nil
        }
        var used = false
        if let s = first(0) {
            let bytes = UnsafeBufferPointer(rebasing: line[Int(s.start)..<Int(s.end)])
            r.event.level = s.kind == .number ? JSONNumber.parse(bytes).map { LogLevel.numbered($0) } ?? .unknown
                                              : LogLevel.named(JSONString.decode(line, s))
            used = true
        }
        if r.event.message == nil, let s = first(1), s.kind == .string { r.event.message = JSONString.decode(line, s); used = true }
        if r.event.time == nil, let s = first(2) {
            r.event.time = s.kind == .string && s.escaped ? LogTime.parse(text: JSONString.decode(line, s))
                                                           : LogTime.parse(bytes: UnsafeBufferPointer(rebasing: line[Int(s.start)..<Int(s.end)]))
            used = true
        }
        r.otherFormat = used
    }

    /// The first present candidate of a normalised field, as a span (an array gives its first element).
    private func span(_ field: Int, _ line: UnsafeBufferPointer<UInt8>) -> (JSONSpan, LogDurationUnit)? {
        for (slot, unit) in slotsByField[field] {
            var s = slots[slot]
            if s.isAbsentOrNull { continue }
            if s.kind == .array {
                var firstElement: JSONSpan?
                _ = scanner.forEachElement(line, of: s) { firstElement = $0; return false }
                guard let e = firstElement, !e.isAbsentOrNull else { continue }
                s = e
            }
            if s.kind == .string, s.end == s.start { continue }   // "" means absent
            if s.kind == .string, s.end - s.start == 1, line[Int(s.start)] == 0x2D { continue }   // "-" means absent
            return (s, unit)
        }
        return nil
    }

    private func text(_ field: String, _ line: UnsafeBufferPointer<UInt8>) -> String? {
        guard let (s, _) = span(index(field), line) else { return nil }
        return JSONString.decode(line, s)
    }

    private func number(_ field: String, _ line: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let (s, _) = span(index(field), line) else { return nil }
        return JSONNumber.parse(UnsafeBufferPointer(rebasing: line[Int(s.start)..<Int(s.end)]))
    }

    private func fillFromJSON(_ line: UnsafeBufferPointer<UInt8>, _ r: inout LogLineResult) {
        var e = r.event
        if let (s, _) = span(index("time"), line) {
            if s.kind == .string, s.escaped {
                e.time = LogTime.parse(text: JSONString.decode(line, s))
            } else {
                e.time = LogTime.parse(bytes: UnsafeBufferPointer(rebasing: line[Int(s.start)..<Int(s.end)]))
            }
            if e.time == nil { r.timeUnparsed = true }
        }
        if let (s, _) = span(index("level"), line) {
            if s.kind == .number, let n = JSONNumber.parse(UnsafeBufferPointer(rebasing: line[Int(s.start)..<Int(s.end)])) {
                e.level = LogLevel.numbered(n)
            } else {
                e.level = LogLevel.named(JSONString.decode(line, s))
            }
        }
        e.message = text("msg", line)
        e.service = text("service", line)
        e.instance = text("instance", line)
        e.requestID = text("request_id", line)
        e.traceID = text("trace_id", line)
        e.spanID = text("span_id", line)
        if let tp = text("traceparent", line) { applyTraceparent(tp, &e) }
        e.tenant = text("tenant", line)
        e.method = text("method", line)
        e.route = text("route", line)
        e.path = text("path", line).map(Self.stripQuery)
        e.status = number("status", line).flatMap { $0.isFinite && abs($0) < 1e9 ? Int($0) : nil }
        if let (s, unit) = span(index("duration"), line) {
            let raw = s.escaped ? JSONString.decode(line, s) : nil
            if let raw {
                var t = raw
                e.duration = t.withUTF8 { LogTime.durationSeconds($0, unit: unit) }
            } else {
                e.duration = LogTime.durationSeconds(UnsafeBufferPointer(rebasing: line[Int(s.start)..<Int(s.end)]), unit: unit)
            }
        }
        e.attempt = number("attempt", line).flatMap { $0.isFinite && abs($0) < 1e9 ? Int($0) : nil }
        e.retries = number("retries", line).flatMap { $0.isFinite && abs($0) < 1e9 ? Int($0) : nil }
        if e.retries == nil, let a = e.attempt { e.retries = max(0, a - 1) }
        e.errorKind = text("error_kind", line).flatMap(Self.errorKind)
        e.dependency = text("dependency", line)
        e.idempotencyKey = text("idempotency_key", line)
        r.event = e
    }

    private func fillFromPairs(_ pairs: [(String, String)], _ r: inout LogLineResult) {
        var e = r.event
        func value(_ field: String) -> (String, LogDurationUnit)? {
            for c in mapping.candidates[field] ?? [] {
                if let v = pairs.first(where: { $0.0 == c.path })?.1, !v.isEmpty, v != "-" { return (v, c.unit) }
            }
            return nil
        }
        if let (t, _) = value("time") { e.time = LogTime.parse(text: t); if e.time == nil { r.timeUnparsed = true } }
        if let (l, _) = value("level") { e.level = LogLevel.named(l) }
        e.message = value("msg")?.0
        e.service = value("service")?.0
        e.instance = value("instance")?.0
        e.requestID = value("request_id")?.0
        e.traceID = value("trace_id")?.0
        e.spanID = value("span_id")?.0
        if let tp = value("traceparent")?.0 { applyTraceparent(tp, &e) }
        e.tenant = value("tenant")?.0
        e.method = value("method")?.0
        e.route = value("route")?.0
        e.path = value("path").map { Self.stripQuery($0.0) }
        e.status = value("status").flatMap { Int($0.0) }
        if let (d, unit) = value("duration") { var t = d; e.duration = t.withUTF8 { LogTime.durationSeconds($0, unit: unit) } }
        e.attempt = value("attempt").flatMap { Int($0.0) }
        e.retries = value("retries").flatMap { Int($0.0.hasPrefix("+") ? String($0.0.dropFirst()) : $0.0) }
        if e.retries == nil, let a = e.attempt { e.retries = max(0, a - 1) }
        e.errorKind = value("error_kind").flatMap { Self.errorKind($0.0) }
        e.dependency = value("dependency")?.0
        e.idempotencyKey = value("idempotency_key")?.0
        if collectOtherFields { e.fields = pairs }
        r.event = e
    }

    /// Sets trace and span ids from a W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`) unless already set.
    private func applyTraceparent(_ tp: String, _ e: inout LogEvent) {
        let parts = tp.split(separator: "-")
        guard parts.count == 4, parts[1].utf8.count == 32, parts[2].utf8.count == 16 else { return }
        if e.traceID == nil { e.traceID = String(parts[1]) }
        if e.spanID == nil { e.spanID = String(parts[2]) }
    }

    /// A path without its query string.
    static func stripQuery(_ p: String) -> String {
        if let q = p.firstIndex(of: "?") { return String(p[..<q]) }
        return p
    }

    /// An error kind, or `nil` for the values formats write when there was none (`----` in HAProxy, `-`).
    static func errorKind(_ s: String) -> String? {
        if s.isEmpty || s == "-" || s == "----" || s == "via_upstream" { return nil }
        if s.count == 4, s.hasSuffix("--"), s != "----" { return String(s.prefix(2)) }   // HAProxy termination state
        return s
    }

    /// Adds every field to `event.fields`: nested objects flattened to dotted paths (4 levels), arrays as JSON.
    private func collectJSONFields(_ line: UnsafeBufferPointer<UInt8>, _ event: inout LogEvent) {
        var out: [(String, String)] = []
        func walk(_ object: JSONSpan?, _ prefix: String, _ depth: Int) {
            let body: (JSONSpan, JSONSpan) -> Bool = { key, value in
                let name = prefix + JSONString.decode(line, key)
                if value.kind == .object, depth < 4 {
                    walk(value, name + ".", depth + 1)
                } else if value.kind != .null {
                    out.append((name, JSONString.decode(line, value)))
                }
                return out.count < 512
            }
            if let object { _ = scanner.forEachMember(line, of: object, body) } else { _ = scanner.forEachMember(line, body) }
        }
        walk(nil, "", 0)
        event.fields = out
    }
}
