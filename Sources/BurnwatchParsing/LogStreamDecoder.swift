import BurnwatchCore

/// Turns one source's lines into events: detects the preset from the first lines (unless given),
/// then parses every line, counting what was unparsed, truncated, invalid UTF-8 or had an unknown time.
public struct LogStreamDecoder: Sendable {
    /// One decoded line.
    public struct Decoded: Sendable, Equatable {
        public var result: LogLineResult
        public var truncated: Bool
        public var bytes: [UInt8]
    }

    public let source: String
    public private(set) var preset: LogPreset?
    private let mapping: [String: String]
    private let collectOtherFields: Bool
    private var parser: LogLineParser?
    private var pending: [([UInt8], Bool)] = []
    /// Lines decoded, lines that were not structured, cut, invalid UTF-8, with an unknown time.
    public private(set) var lines = 0, unparsed = 0, truncated = 0, invalidUTF8 = 0, timeUnparsed = 0
    /// Lines not in the source's format, read through other formats' common paths.
    public private(set) var otherFormat = 0
    /// The last problems seen (at most 20), newest last, for display.
    public private(set) var problems: [String] = []

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - preset: a fixed preset, or `nil` to detect it from the first `LogPresetDetector.sampleSize` lines.
    ///   - mapping: a `fields:` override (normalised name → path).
    ///   - collectOtherFields: also decode every other field into `LogEvent.fields` (for filters on
    ///     arbitrary fields and the detail pane); off, only the normalised fields are read (faster).
    /// - Throws: `BurnwatchError` `.config` for a bad mapping.
    public init(source: String, preset: LogPreset? = nil, mapping: [String: String] = [:], collectOtherFields: Bool = true) throws {
        self.source = source
        self.mapping = mapping
        self.collectOtherFields = collectOtherFields
        if let preset { try choose(preset) }
    }

    private mutating func choose(_ p: LogPreset) throws {
        preset = p
        parser = LogLineParser(preset: p, mapping: mapping.isEmpty ? nil : try p.mapping.overriding(mapping),
                               collectOtherFields: collectOtherFields)
    }

    /// Decodes a line; while the preset is still being detected, returns nothing and holds the line.
    public mutating func decode(_ bytes: [UInt8], truncated cut: Bool = false) -> [Decoded] {
        if parser == nil {
            pending.append((bytes, cut))
            if pending.count < LogPresetDetector.sampleSize { return [] }
            return flush()
        }
        return [parse(bytes, cut)]
    }

    /// Decodes a line like `decode(_:truncated:)`, appending what it gives to `out` (no array per line).
    public mutating func decode(_ bytes: [UInt8], truncated cut: Bool, into out: inout [Decoded]) {
        if parser == nil {
            out.append(contentsOf: decode(bytes, truncated: cut))
            return
        }
        out.append(parse(bytes, cut))
    }

    /// Decides the preset with the lines held so far and decodes them (call on a timer or at the end).
    public mutating func flush() -> [Decoded] {
        if parser == nil {
            if pending.isEmpty { return [] }
            let detected = LogPresetDetector.detect(pending.map { $0.0 })
            do { try choose(detected) } catch { try? choose(.json) }
        }
        let held = pending
        pending.removeAll()
        return held.map { parse($0.0, $0.1) }
    }

    private mutating func parse(_ bytes: [UInt8], _ cut: Bool) -> Decoded {
        let r = bytes.withUnsafeBufferPointer { parser!.parse($0) }
        lines += 1
        if !r.structured { unparsed += 1 }
        if cut { truncated += 1; note("line \(lines): longer than the line cap; cut") }
        if r.invalidUTF8 { invalidUTF8 += 1; note("line \(lines): invalid UTF-8") }
        if r.timeUnparsed { timeUnparsed += 1; note("line \(lines): time in an unknown format") }
        if let p = r.problem { note("line \(lines): \(p)") }
        if r.otherFormat { otherFormat += 1 }
        return Decoded(result: r, truncated: cut, bytes: bytes)
    }

    private mutating func note(_ message: String) {
        problems.append(message)
        if problems.count > 20 { problems.removeFirst() }
    }

    /// Feeds a decoded line into a series generator (counting unparsed, cut, invalid and untimed lines).
    public func record<S: SampleSink>(_ d: Decoded, arrival: Timestamp, into generator: inout LogSeriesGenerator, sink: inout S) {
        if !d.result.structured { generator.countUnparsed(source: source) }
        if d.truncated { generator.countTruncated(source: source) }
        if d.result.invalidUTF8 { generator.countInvalidUTF8(source: source) }
        if d.result.timeUnparsed { generator.countUnparsedTime(source: source) }
        generator.observe(d.result.event, source: source, fallback: arrival, into: &sink)
    }
}
