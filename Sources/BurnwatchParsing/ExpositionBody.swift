import BurnwatchCore

/// One sample of a parsed body with its full label set (`__name__` included).
public struct ExpositionPoint: Sendable, Equatable, CustomStringConvertible {
    public var labels: Labels
    public var value: Double
    /// The sample's own timestamp, when the line had one.
    public var timestamp: Timestamp?

    public init(labels: Labels, value: Double, timestamp: Timestamp?) {
        self.labels = labels; self.value = value; self.timestamp = timestamp
    }

    public static func == (a: ExpositionPoint, b: ExpositionPoint) -> Bool {
        a.labels == b.labels && a.timestamp == b.timestamp && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }

    public var description: String { "\(labels) \(value)" + (timestamp.map { " @\($0.milliseconds)" } ?? "") }
}

/// What `# TYPE`, `# HELP` and `# UNIT` said about one metric family.
public struct MetricFamilyMetadata: Sendable, Equatable {
    public var name: String
    public var type: MetricType?
    public var help: String?
    public var unit: String?
    public init(name: String, type: MetricType? = nil, help: String? = nil, unit: String? = nil) {
        self.name = name; self.type = type; self.help = help; self.unit = unit
    }

    /// Records what one `# HELP`, `# UNIT` or `# TYPE` line says in the metadata of its family.
    ///
    /// - Parameters:
    ///   - meta: the metadata line.
    ///   - families: metadata by family name; the family is added when new.
    public static func record(_ meta: ExpositionMetadata, in families: inout [String: MetricFamilyMetadata]) {
        let name = meta.name
        var family = families[name] ?? MetricFamilyMetadata(name: name)
        switch meta.kind {
        case .help: family.help = meta.text
        case .unit: family.unit = meta.text
        case .type(let type): family.type = type
        }
        families[name] = family
    }
}

/// A whole body, parsed: samples, metadata per family, and the errors of the lines that were skipped.
public struct ParsedExposition: Sendable {
    public var format: ExpositionFormat
    /// Samples in body order; a duplicate series keeps its first sample.
    public var samples: [ExpositionPoint] = []
    /// Metadata by family name.
    public var families: [String: MetricFamilyMetadata] = [:]
    /// Bad lines (skipped) and body-level problems, in body order.
    public var errors: [ExpositionError] = []
    /// Number of exemplars seen (OpenMetrics).
    public var exemplarCount = 0

    /// The errors as `BurnwatchError`s placed in `source` (a file path or target URL).
    public func burnwatchErrors(source: String?) -> [BurnwatchError] { errors.map { $0.burnwatchError(source: source) } }
}

/// Whole-body convenience over `ExpositionParser`, for the series store, `burnwatch query` and tests.
public enum Exposition {
    /// Parses a whole body into samples, family metadata and errors.
    ///
    /// Besides syntax errors it reports duplicate series (the first sample is kept, as Prometheus
    /// keeps the first sample of a timestamp) and NaN values in counters (kept, as Prometheus stores them).
    /// - Parameters:
    ///   - bytes: the body.
    ///   - format: the body's format (see `ExpositionFormat.detect(contentType:)`).
    /// - Complexity: O(n) in the body size, plus hashing each series' labels.
    public static func parse(_ bytes: [UInt8], format: ExpositionFormat, limits: ExpositionLimits = .default) -> ParsedExposition {
        var result = ParsedExposition(format: format)
        var parser = ExpositionParser(bytes: bytes, format: format, limits: limits)
        var seen: [Labels: Int] = [:]
        var currentFamily = ""
        var currentType: MetricType? = nil
        while let entry = parser.next() {
            switch entry {
            case .metadata(let meta):
                MetricFamilyMetadata.record(meta, in: &result.families)
                if case .type(let type) = meta.kind {
                    currentFamily = meta.name
                    currentType = type
                }
            case .sample(let sample):
                let labels = sample.makeLabels()
                if sample.exemplar != nil { result.exemplarCount += 1 }
                if sample.value.isNaN, currentType == .counter {
                    let name = labels.metricName ?? ""
                    if name == currentFamily || name == currentFamily + "_total" {
                        result.errors.append(ExpositionError(line: sample.line, column: 1, reason: "NaN value in counter '\(name)'"))
                    }
                }
                if let first = seen[labels] {
                    result.errors.append(ExpositionError(line: sample.line, column: 1,
                                                         reason: "duplicate series \(labels) (first on line \(first)); kept the first"))
                    continue
                }
                seen[labels] = sample.line
                result.samples.append(ExpositionPoint(labels: labels, value: sample.value, timestamp: sample.timestamp))
            case .error(let error):
                result.errors.append(error)
            case .endOfFile:
                break
            }
        }
        return result
    }
}
