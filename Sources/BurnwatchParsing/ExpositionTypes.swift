import BurnwatchCore

/// The two text formats of a metrics exposition.
public enum ExpositionFormat: String, Sendable, Hashable {
    /// Prometheus text format 0.0.4 (`text/plain; version=0.0.4`): timestamps in milliseconds.
    case prometheusText
    /// OpenMetrics 1.0 text (`application/openmetrics-text; version=1.0.0`): timestamps in seconds, `# EOF` required.
    case openMetrics

    /// Picks the format from an HTTP `Content-Type` header; anything not OpenMetrics is text 0.0.4.
    ///
    /// - Parameter contentType: the header value, e.g. `application/openmetrics-text; version=1.0.0; charset=utf-8`.
    public static func detect(contentType: String?) -> ExpositionFormat {
        guard let contentType else { return .prometheusText }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        let trimmed = media.filter { $0 != " " && $0 != "\t" }
        return trimmed == "application/openmetrics-text" ? .openMetrics : .prometheusText
    }

    /// The `Content-Type` a server sends for this format.
    public var contentType: String {
        switch self {
        case .prometheusText: return "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }
}

/// A metric family's type as `# TYPE` declares it. `untyped` (0.0.4) and `unknown` (OpenMetrics) are one case.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown

    /// Parses a type word; OpenMetrics-only types are refused in text 0.0.4, `untyped` in OpenMetrics.
    ///
    /// - Returns: the type, or `nil` when the word is not a type of `format`.
    public static func parse<Bytes: Collection<UInt8>>(_ word: Bytes, format: ExpositionFormat) -> MetricType? {
        let text = String(decoding: word, as: UTF8.self)
        switch (text, format) {
        case ("counter", _), ("gauge", _), ("histogram", _), ("summary", _): return MetricType(rawValue: text)
        case ("untyped", .prometheusText), ("unknown", .openMetrics): return .unknown
        case ("gaugehistogram", .openMetrics), ("info", .openMetrics), ("stateset", .openMetrics):
            return MetricType(rawValue: text)
        default: return nil
        }
    }
}

/// A half-open range of byte offsets `[start, end)` into the buffer being parsed.
public struct ByteSpan: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) { self.start = start; self.end = end }
    /// Number of bytes.
    public var count: Int { end - start }
}

/// A problem in one line of an exposition: where it is and why it is wrong.
public struct ExpositionError: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in characters (Unicode scalars) from the start of the line.
    public var column: Int
    /// What is wrong, in words.
    public var reason: String

    public init(line: Int, column: Int, reason: String) { self.line = line; self.column = column; self.reason = reason }

    /// `line:column: reason`.
    public var description: String { "\(line):\(column): \(reason)" }

    /// The same error as a `BurnwatchError` of code `.parse`, placed in `source` (a file or target URL).
    public func burnwatchError(source: String?) -> BurnwatchError {
        BurnwatchError(.parse, reason, at: SourcePosition(source: source, line: line, column: column))
    }
}

/// Bounds the parser keeps to, so that a hostile body cannot make it use unbounded memory.
public struct ExpositionLimits: Hashable, Sendable {
    /// Longest accepted line in bytes; a longer line is an error and is skipped.
    public var maxLineBytes: Int
    /// Longest accepted label value in bytes (after unescaping it would be no longer).
    public var maxLabelValueBytes: Int
    /// Most labels on one sample.
    public var maxLabels: Int

    public init(maxLineBytes: Int = 1 << 20, maxLabelValueBytes: Int = 64 << 10, maxLabels: Int = 256) {
        self.maxLineBytes = maxLineBytes; self.maxLabelValueBytes = maxLabelValueBytes; self.maxLabels = maxLabels
    }

    /// The defaults: 1 MiB lines, 64 KiB label values, 256 labels.
    public static let `default` = ExpositionLimits()
}
