/// The result of evaluating a PromQL expression, in the shapes of Prometheus's HTTP API.
public enum QueryValue: Sendable, Equatable {
    case scalar(Timestamp, Double)
    case string(Timestamp, String)
    /// An instant vector: one sample per series, all at the evaluation time.
    case vector([VectorSample])
    /// A range vector or a range query's result: many samples per series.
    case matrix([MatrixSeries])
}

/// One series' sample in an instant vector.
public struct VectorSample: Sendable, Equatable {
    public var labels: Labels
    public var timestamp: Timestamp
    public var value: Double
    public init(labels: Labels, timestamp: Timestamp, value: Double) {
        self.labels = labels; self.timestamp = timestamp; self.value = value
    }
    public static func == (a: VectorSample, b: VectorSample) -> Bool {
        a.labels == b.labels && a.timestamp == b.timestamp && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// One series' samples in a matrix.
public struct MatrixSeries: Sendable, Equatable {
    public var labels: Labels
    public var points: [(Timestamp, Double)]
    public init(labels: Labels, points: [(Timestamp, Double)]) { self.labels = labels; self.points = points }
    public static func == (a: MatrixSeries, b: MatrixSeries) -> Bool {
        a.labels == b.labels && a.points.count == b.points.count
            && zip(a.points, b.points).allSatisfy { $0.0 == $1.0 && ($0.1 == $1.1 || ($0.1.isNaN && $1.1.isNaN)) }
    }
}

/// Anything that answers PromQL instant and range queries: the embedded engine, or a remote
/// Prometheus-compatible API. SLO math and live checks are written against this, so the same
/// query text runs either way (DESIGN.md §4).
public protocol PromQLQuerier: Sendable {
    /// Evaluates `expression` at one instant.
    ///
    /// - Throws: `BurnwatchError` with code `.query` (and the column) when the expression is bad.
    func instantQuery(_ expression: String, at time: Timestamp) throws -> QueryValue

    /// Evaluates `expression` at every `step` from `start` to `end` inclusive; returns a matrix.
    func rangeQuery(_ expression: String, start: Timestamp, end: Timestamp, step: Interval) throws -> QueryValue
}

/// Where samples go: the series store, or a recorder. Log-derived series are written through it.
public protocol SampleSink {
    /// Appends one sample. Samples for one series arrive in time order.
    mutating func append(_ labels: Labels, _ time: Timestamp, _ value: Double)
}
