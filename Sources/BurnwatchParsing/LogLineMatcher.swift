import BurnwatchCore

/// Evaluates a `LogFilter` directly on raw lines: JSON lines are scanned only for the fields the
/// filter (and `extraFields`) name, without decoding the rest; other lines go through `LogLineParser`.
///
/// Normalised names (`status`, `level`, `msg`, …) read the preset's candidate paths, then the raw
/// path of the same name; any other name is a raw dotted path (`request.method`).
public struct LogLineMatcher {
    public let filter: LogFilter
    public let preset: LogPreset
    /// Field names read besides the filter's (for `--count-by`); index `k` is field `filter.fields.count + k`.
    public let extraFields: [String]
    private let selector: JSONFieldSelector
    private let slotsByField: [[Int]]
    private let isLevel: [Bool]
    private let statusSlotsForLevel: [Int]
    private var slots: [JSONSpan]
    private let scanner = JSONObjectScanner()
    private var fallback: LogLineParser
    private var lastEvent: LogEvent?
    private var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Lines that were not JSON objects (or were broken JSON) and went through the slow path.
    public private(set) var unstructuredLines = 0
    /// Lines whose JSON was malformed or too deep.
    public private(set) var invalidJSONLines = 0

    /// Creates a matcher.
    public init(filter: LogFilter, preset: LogPreset, mapping: LogFieldMapping? = nil, extraFields: [String] = []) {
        self.filter = filter
        self.preset = preset
        self.extraFields = extraFields
        let m = mapping ?? preset.mapping
        var paths: [String] = []
        var byField: [[Int]] = []
        var level: [Bool] = []
        for name in filter.fields + extraFields {
            var candidates: [String] = []
            let canonical = LogEvent.normalisedName(name)
            if let canonical, let list = m.candidates[canonical] { candidates = list.map(\.path) }
            if !candidates.contains(name) { candidates.append(name) }
            var slotsForName: [Int] = []
            for c in candidates {
                if let i = paths.firstIndex(of: c) { slotsForName.append(i) } else { paths.append(c); slotsForName.append(paths.count - 1) }
            }
            byField.append(slotsForName)
            level.append(canonical == "level")
        }
        // A line without a level field takes its level from its status (access logs).
        var statusSlots: [Int] = []
        if level.contains(true) {
            for c in (m.candidates["status"] ?? []).map(\.path) + ["status"] where !statusSlots.contains(where: { paths[$0] == c }) {
                if let i = paths.firstIndex(of: c) { statusSlots.append(i) } else { paths.append(c); statusSlots.append(paths.count - 1) }
            }
        }
        // A line that has each field's first candidate need not be read further.
        selector = JSONFieldSelector(paths: paths, stopAfter: Set(byField.compactMap(\.first)))
        slotsByField = byField
        statusSlotsForLevel = statusSlots
        isLevel = level
        slots = Array(repeating: .missing, count: paths.count)
        fallback = LogLineParser(preset: preset == .text ? .json : preset, mapping: mapping, collectOtherFields: true)
    }

    /// Whether the line matches; afterwards `value(extra:)` reads fields of this line.
    ///
    /// The line must stay valid until the next call.
    /// - Complexity: O(n) in the bytes scanned.
    public mutating func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        self.line = line
        lastEvent = nil
        var found = 0
        if line.count > 0, line[0] == 0x7B {
            if slots.isEmpty { if case .always = filter.root { return true } }
            switch scanner.scan(line, selector, into: &slots, found: &found) {
            case .ok:
                var subject = RawSubject(matcher: self)
                return filter.matches(&subject)
            case .invalid, .tooDeep:
                invalidJSONLines += 1
            case .notObject:
                break
            }
        } else if slots.isEmpty, case .always = filter.root {
            return true
        }
        unstructuredLines += 1
        let event = fallback.parse(line).event
        lastEvent = event
        var subject = LogEventFilterSubject(event: event, fields: filter.fields + extraFields)
        return filter.matches(&subject)
    }

    /// The text of extra field `k` in the last line matched (`nil` when absent or null).
    public mutating func value(extra k: Int) -> String? {
        let field = filter.fields.count + k
        if let lastEvent { return lastEvent.lookup(extraFields[k]) }
        if line.count == 0 || line[0] != 0x7B { return nil }
        if isLevel[field] { return level(field)?.description }
        guard let s = span(field) else { return nil }
        return JSONString.decode(line, s)
    }

    /// The bytes of extra field `k` (unescaped strings only; `nil` otherwise), for fast counting.
    public func rawValue(extra k: Int) -> UnsafeBufferPointer<UInt8>? {
        let field = filter.fields.count + k
        guard lastEvent == nil, line.count > 0, line[0] == 0x7B, !isLevel[field], let s = span(field), !s.escaped else { return nil }
        return UnsafeBufferPointer(rebasing: line[Int(s.start)..<Int(s.end)])
    }

    func span(_ field: Int) -> JSONSpan? {
        for slot in slotsByField[field] {
            var s = slots[slot]
            if s.isAbsentOrNull { continue }
            if s.kind == .array {
                var first: JSONSpan?
                _ = scanner.forEachElement(line, of: s) { first = $0; return false }
                guard let f = first, !f.isAbsentOrNull else { continue }
                s = f
            }
            return s
        }
        return nil
    }

    /// The level of field `field` in the last line: its level field, else from its status.
    func level(_ field: Int) -> LogLevel? {
        if let s = span(field) { return levelOf(s) }
        for slot in statusSlotsForLevel {
            let s = slots[slot]
            guard !s.isAbsentOrNull else { continue }
            let raw = UnsafeBufferPointer(rebasing: line[Int(s.start)..<Int(s.end)])
            guard let n = JSONNumber.parse(raw), n.isFinite, abs(n) < 1e9 else { continue }
            return .fromStatus(Int(n))
        }
        return nil
    }

    func levelOf(_ s: JSONSpan) -> LogLevel {
        let bytes = UnsafeBufferPointer(rebasing: line[Int(s.start)..<Int(s.end)])
        if s.kind == .number, let n = JSONNumber.parse(bytes) { return LogLevel.numbered(n) }
        return LogLevel.named(JSONString.decode(line, s))
    }

    /// The filter subject over the slots of the last scan.
    struct RawSubject: LogFilterSubject {
        let matcher: LogLineMatcher

        mutating func compare(field: Int, _ op: LogFilter.Op, _ value: LogFilter.Value) -> Bool {
            if matcher.isLevel[field] { return LogFilter.compareLevel(matcher.level(field), op, value) }
            guard let s = matcher.span(field) else {
                return LogFilter.compareText(present: false, bytes: UnsafeBufferPointer(start: nil, count: 0), number: nil, op, value)
            }
            let raw = UnsafeBufferPointer(rebasing: matcher.line[Int(s.start)..<Int(s.end)])
            if s.escaped {
                let decoded = JSONString.decodeBytes(raw)
                return decoded.withUnsafeBufferPointer { b in
                    LogFilter.compareText(present: true, bytes: b, number: JSONNumber.parse(b), op, value)
                }
            }
            let number: Double? = (s.kind == .number || (s.kind == .string && value.number != nil)) ? JSONNumber.parse(raw) : nil
            return LogFilter.compareText(present: true, bytes: raw, number: number, op, value)
        }

        mutating func exists(field: Int) -> Bool { matcher.isLevel[field] ? matcher.level(field) != nil : matcher.span(field) != nil }
    }
}
