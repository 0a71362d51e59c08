import BurnwatchCore

/// One sample of a live check's result: its series labels, its value and whether it meets the condition.
public struct LiveCheckSample: Hashable, Sendable {
    public var labels: Labels
    public var value: Double
    public var passes: Bool

    public init(labels: Labels, value: Double, passes: Bool) {
        self.labels = labels; self.value = value; self.passes = passes
    }

    public static func == (a: LiveCheckSample, b: LiveCheckSample) -> Bool {
        a.labels == b.labels && a.passes == b.passes && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels)
        hasher.combine(passes)
        hasher.combine(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
    }
}

/// The outcome of evaluating a live check at one instant.
public enum LiveCheckResult: Hashable, Sendable {
    /// Every sample meets the condition.
    case pass([LiveCheckSample])
    /// At least one sample does not (NaN never does); `offending` lists those samples' labels.
    case fail([LiveCheckSample], offending: [Labels])
    /// The query returned an empty vector: neither pass nor fail, and never 0.
    case noData
    /// The query could not be evaluated (bad expression, wrong result type, source error).
    case error(String)

    /// The samples of a pass or fail, in the order the query returned them; empty otherwise.
    public var samples: [LiveCheckSample] {
        switch self {
        case .pass(let s), .fail(let s, _): return s
        case .noData, .error: return []
        }
    }
}

extension LiveCheck {
    /// Evaluates the check's expression at `time` on `querier` and compares every sample with the threshold.
    ///
    /// A scalar result counts as one sample with no labels; an empty vector is `.noData`; a string or a
    /// range vector is an `.error` (a check needs numbers at one instant).
    ///
    /// - Parameters:
    ///   - querier: the embedded engine or a remote query API.
    ///   - time: the evaluation instant (passed in: no clock is read).
    /// - Returns: the result; errors thrown by the querier become `.error` with their message.
    /// - Complexity: the query's cost plus O(n) in the number of samples.
    public func evaluate(on querier: any PromQLQuerier, at time: Timestamp) -> LiveCheckResult {
        let value: QueryValue
        do {
            value = try querier.instantQuery(expression, at: time)
        } catch let error as BurnwatchError {
            return .error(error.message)
        } catch {
            return .error("\(error)")
        }
        let points: [(Labels, Double)]
        switch value {
        case .scalar(_, let v): points = [(.empty, v)]
        case .vector(let samples): points = samples.map { ($0.labels, $0.value) }
        case .string: return .error("the query returned a string; a check needs numbers")
        case .matrix: return .error("the query returned a range vector; wrap it in a function such as rate()")
        }
        guard !points.isEmpty else { return .noData }
        let samples = points.map { LiveCheckSample(labels: $0.0, value: $0.1, passes: !$0.1.isNaN && comparison.holds($0.1, threshold)) }
        let offending = samples.filter { !$0.passes }.map(\.labels)
        return offending.isEmpty ? .pass(samples) : .fail(samples, offending: offending)
    }

    /// The threshold as written in an annotation (`0.1`, `60`).
    public var thresholdText: String { formatThreshold(threshold) }
}
