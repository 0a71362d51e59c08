import BurnwatchCore

/// A querier that answers only the exact query strings it was given, each a function of time.
/// Any other query throws, so a test fails when the SLO code asks something unexpected.
struct SLOFakeQuerier: PromQLQuerier {
    var answers: [String: @Sendable (Timestamp) -> Double?]
    /// Answers for queries returning labelled vectors (e.g. `count by (le)`).
    var vectors: [String: [VectorSample]] = [:]

    func instantQuery(_ expression: String, at time: Timestamp) throws -> QueryValue {
        if let v = vectors[expression] { return .vector(v) }
        guard let f = answers[expression] else { throw BurnwatchError(.query, "unexpected query: \(expression)") }
        guard let value = f(time) else { return .vector([]) }
        return .vector([VectorSample(labels: .empty, timestamp: time, value: value)])
    }

    func rangeQuery(_ expression: String, start: Timestamp, end: Timestamp, step: Interval) throws -> QueryValue {
        guard let f = answers[expression] else { throw BurnwatchError(.query, "unexpected query: \(expression)") }
        var points: [(Timestamp, Double)] = []
        var t = start
        while t <= end {
            if let v = f(t) { points.append((t, v)) }
            t = t + step
        }
        return .matrix(points.isEmpty ? [] : [MatrixSeries(labels: .empty, points: points)])
    }
}

/// A synthetic service: `requestsPerSecond` requests, a fraction `errorRatio` failing from
/// `errorsStart` on (none before), with data from `dataStart`. Answers the rate queries of an
/// events SLI exactly (the continuous model of the SRE Workbook).
struct SLOSyntheticService {
    var requestsPerSecond = 10.0
    var errorRatio = 1.0
    var errorsStart = Timestamp(seconds: 1_700_000_000)
    var dataStart = Timestamp(seconds: 1_700_000_000 - 40 * 86_400)
    var errorQuery = "sum(rate(http_requests_total{code=~\"5..\"}[{{.window}}]))"
    var totalQuery = "sum(rate(http_requests_total[{{.window}}]))"

    var indicator: SLIndicator { .events(errorQuery: errorQuery, totalQuery: totalQuery) }

    /// The fake querier answering every window of `period` (rolling).
    func querier(period: Interval) -> SLOFakeQuerier {
        var answers: [String: @Sendable (Timestamp) -> Double?] = [:]
        let windows = SLOWindow.fixedWindows.compactMap { w -> Interval? in if case .fixed(let i) = w { return i } else { return nil } } + [period]
        let rps = requestsPerSecond, ratio = errorRatio, start = errorsStart, dataStart = dataStart
        for w in windows {
            answers[SLOQueries.substitute(errorQuery, w)] = { t in
                guard t > dataStart else { return nil }
                let bad = max(0, min((t - start).seconds, w.seconds))
                return rps * ratio * bad / w.seconds
            }
            answers[SLOQueries.substitute(totalQuery, w)] = { t in t > dataStart ? rps : nil }
        }
        return SLOFakeQuerier(answers: answers)
    }
}
