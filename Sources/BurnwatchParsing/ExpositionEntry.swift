import BurnwatchCore

/// One label of a sample as byte spans into the parsed buffer, decoded only when asked.
public struct ExpositionLabelSpan: Hashable, Sendable {
    /// The label name's bytes (without quotes when it was quoted).
    public var name: ByteSpan
    /// The label value's bytes between the quotes, still escaped.
    public var value: ByteSpan
    /// Whether the name was quoted and contains a backslash (so it must be unescaped).
    public var nameEscaped: Bool
    /// Whether the value contains a backslash (so it must be unescaped).
    public var valueEscaped: Bool
}

/// The labels of one sample (or exemplar): a view into the parser's buffer, no copies.
public struct ExpositionLabelView: Sendable, RandomAccessCollection {
    @usableFromInline let buffer: [UInt8]
    @usableFromInline let spans: [ExpositionLabelSpan]
    @usableFromInline let range: Range<Int>

    init(buffer: [UInt8], spans: [ExpositionLabelSpan], range: Range<Int>) {
        self.buffer = buffer; self.spans = spans; self.range = range
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { range.count }
    public subscript(position: Int) -> ExpositionLabelSpan { spans[range.lowerBound + position] }

    /// The decoded name of label `i`.
    public func name(_ i: Int) -> String {
        let s = self[i]
        return ExpositionText.decode(buffer, s.name, escaped: s.nameEscaped)
    }

    /// The decoded (unescaped) value of label `i`.
    public func value(_ i: Int) -> String {
        let s = self[i]
        return ExpositionText.decode(buffer, s.value, escaped: s.valueEscaped)
    }

    /// Whether the raw name of label `i` equals `name` (ASCII or UTF-8), without allocating.
    public func nameEquals(_ i: Int, _ name: StaticString) -> Bool {
        let s = self[i].name
        guard s.count == name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        for k in 0..<s.count where buffer[s.start + k] != p[k] { return false }
        return true
    }

    /// The raw (still escaped) bytes of a span, for hashing or comparison without decoding.
    public func withRawBytes<R>(_ span: ByteSpan, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[span.start..<span.end])) }
    }
}

/// An exemplar attached to an OpenMetrics sample (`# {trace_id="abc"} 1.0 1520879607.789`).
public struct ExpositionExemplar: Sendable {
    public var labels: ExpositionLabelView
    public var value: Double
    /// Milliseconds since the epoch, when the exemplar has a timestamp.
    public var timestampMilliseconds: Int64?
}

/// Holds an exemplar out of line (exemplars are rare; samples are many).
final class ExemplarBox: Sendable {
    let exemplar: ExpositionExemplar
    init(_ exemplar: ExpositionExemplar) { self.exemplar = exemplar }
}

/// One sample line: metric name, labels, value, optional timestamp and exemplar.
public struct ExpositionSample: Sendable {
    @usableFromInline var buffer: [UInt8] { labels.buffer }
    /// The bytes naming the series as written (metric name and label set, up to the closing `}`):
    /// a key for caching decoded label sets from one scrape to the next without decoding.
    public var seriesSpan: ByteSpan
    /// The metric name's bytes (without quotes when it was quoted).
    public var nameSpan: ByteSpan
    /// Whether the name was quoted and contains a backslash.
    public var nameEscaped: Bool
    /// The labels (without the metric name).
    public var labels: ExpositionLabelView
    /// The sample value (NaN and ±Inf included).
    public var value: Double
    /// Milliseconds since the epoch, when the line has a timestamp (OpenMetrics seconds are converted, truncated to ms as Prometheus does).
    public var timestampMilliseconds: Int64?
    /// The exemplar, when the line has one (OpenMetrics only).
    public var exemplar: ExpositionExemplar? {
        get { exemplarBox?.exemplar }
        set { exemplarBox = newValue.map(ExemplarBox.init) }
    }
    /// Kept out of line so that the sample stays small (it is copied on every `next()`).
    var exemplarBox: ExemplarBox?
    /// 1-based line number of the sample.
    public var line: Int
    /// The offset of the label set's `{` when its labels were skipped, not parsed (-1 otherwise).
    var labelSetStart: Int = -1

    /// Whether the labels were skipped rather than parsed (a parser made with `deferringLabels`):
    /// `labels` is empty until `ExpositionParser.parseDeferredLabels(of:)`. The series' bytes
    /// (`seriesSpan`) are known either way.
    public var labelsDeferred: Bool { labelSetStart >= 0 }

    /// The decoded metric name.
    public var name: String { ExpositionText.decode(buffer, nameSpan, escaped: nameEscaped) }

    /// The timestamp as a `Timestamp`, when present.
    public var timestamp: Timestamp? { timestampMilliseconds.map { Timestamp(milliseconds: $0) } }

    /// The full label set (`__name__` plus labels), decoded; allocates.
    ///
    /// - Complexity: O(n log n) in the number of labels.
    public func makeLabels() -> Labels {
        var all: [Label] = [Label("__name__", name)]
        all.reserveCapacity(labels.count + 1)
        for i in 0..<labels.count { all.append(Label(labels.name(i), labels.value(i))) }
        return Labels(all)
    }

    /// Runs `body` over the raw (escaped) bytes of the metric name, without allocating.
    public func withNameBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try labels.withRawBytes(nameSpan, body)
    }
}

/// What `# HELP`, `# TYPE` and `# UNIT` lines say about a metric family.
public struct ExpositionMetadata: Sendable {
    public enum Kind: Sendable, Hashable {
        /// `# HELP name text`.
        case help
        /// `# TYPE name type`.
        case type(MetricType)
        /// `# UNIT name unit` (OpenMetrics only).
        case unit
    }
    @usableFromInline let buffer: [UInt8]
    public var kind: Kind
    /// The family name's bytes.
    public var nameSpan: ByteSpan
    public var nameEscaped: Bool
    /// The help text or unit bytes (empty for `TYPE`).
    public var textSpan: ByteSpan
    public var textEscaped: Bool
    public var format: ExpositionFormat
    public var line: Int

    /// The decoded family name.
    public var name: String { ExpositionText.decode(buffer, nameSpan, escaped: nameEscaped) }

    /// The decoded help text or unit (HELP escapes differ by format: 0.0.4 only `\\` and `\n`).
    public var text: String {
        guard textEscaped else { return ExpositionText.decode(buffer, textSpan, escaped: false) }
        return ExpositionText.decode(buffer, textSpan, escaped: true, helpOf: format)
    }
}

/// One thing the parser found in a body.
public enum ExpositionEntry: Sendable {
    /// A `HELP`, `TYPE` or `UNIT` line.
    case metadata(ExpositionMetadata)
    /// A sample line.
    case sample(ExpositionSample)
    /// A bad line (skipped) or a problem of the body as a whole (such as a missing `# EOF`).
    case error(ExpositionError)
    /// The OpenMetrics `# EOF` line.
    case endOfFile
}

/// Decoding of spans into strings, with the escapes of each format.
public enum ExpositionText {
    /// Decodes a span as UTF-8, unescaping `\\`, `\"` and `\n` when `escaped` (or, for 0.0.4 HELP, only `\\` and `\n`).
    ///
    /// - Complexity: O(n) in the span length.
    public static func decode(_ buffer: [UInt8], _ span: ByteSpan, escaped: Bool,
                              helpOf format: ExpositionFormat? = nil) -> String {
        buffer.withUnsafeBufferPointer { p in
            let raw = UnsafeBufferPointer(rebasing: p[span.start..<span.end])
            guard escaped else { return String(decoding: raw, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            var i = 0
            while i < raw.count {
                let b = raw[i]
                if b == UInt8(ascii: "\\"), i + 1 < raw.count {
                    let n = raw[i + 1]
                    switch n {
                    case UInt8(ascii: "\\"): out.append(n); i += 2; continue
                    case UInt8(ascii: "n"): out.append(10); i += 2; continue
                    case UInt8(ascii: "\"") where format != .prometheusText: out.append(n); i += 2; continue
                    default: break
                    }
                }
                out.append(b)
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

extension ExpositionSample {
    /// Adds the sample's name and labels to `pairs` as symbols of `store`, without making a
    /// `String` for a name or value the store has seen (escaped ones are unescaped first).
    ///
    /// - Parameters:
    ///   - pairs: emptied, then filled with `__name__` and each label.
    ///   - store: the store whose symbol table interns the bytes.
    /// - Complexity: O(bytes of the series).
    public func internLabels(into pairs: inout LabelPairs, store: inout SeriesStore) {
        pairs.removeAll()
        let buffer = labels.buffer
        func symbol(_ span: ByteSpan, escaped: Bool) -> UInt32 {
            if escaped {
                var decoded = ExpositionText.decode(buffer, span, escaped: true)
                return decoded.withUTF8 { store.intern(bytes: $0) }
            }
            return buffer.withUnsafeBufferPointer { store.intern(bytes: UnsafeBufferPointer(rebasing: $0[span.start..<span.end])) }
        }
        pairs.append(name: store.metricNameSymbol(), value: symbol(nameSpan, escaped: nameEscaped))
        for i in 0..<labels.count {
            let span = labels[i]
            pairs.append(name: symbol(span.name, escaped: span.nameEscaped), value: symbol(span.value, escaped: span.valueEscaped))
        }
    }
}
