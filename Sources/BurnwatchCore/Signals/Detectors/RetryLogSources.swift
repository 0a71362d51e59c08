/// What the log-derived series (`log_*`, from `LogSeriesGenerator`) say about retries.
///
/// Two layers (`log_calls`: attempts at dependencies; `log_requests`: request ids seen more
/// than once, which measures every layer above the service at once), the counts of hammered
/// and multiply-retried requests, the spread of retry delays, and how retries ended.
enum RetryLogSources {
    static let window = RetryMetricSources.window

    /// `sum by (job, service…) (increase(metric[1m]))`.
    static func increase(_ metric: String, extra: String = "") -> String {
        "sum by (job, service\(extra)) (increase(\(metric)[\(window)]))"
    }

    /// The two log-derived layers of every service that has them.
    static func layers(_ context: SignalContext) -> [String: [RetryLayer]] {
        var out: [String: [RetryLayer]] = [:]
        let retriesQ = RetryMetricSources.rate("log_retries_total"), attemptsQ = RetryMetricSources.rate("log_attempts_total")
        let retries = context.sumByService(retriesQ), attempts = context.sumByService(attemptsQ)
        for (service, a) in attempts {
            let r = retries[service]
            out[service, default: []].append(RetryLayer(name: "log_calls", retries: r, requests: r.map { max(0, a - $0) },
                                                        retriesSource: retriesQ, requestsSource: "(\(attemptsQ)) - (\(retriesQ))"))
        }
        let repeatQ = RetryMetricSources.rate("log_repeat_attempts_total"), uniqueQ = RetryMetricSources.rate("log_unique_requests_total")
        let repeats = context.sumByService(repeatQ), unique = context.sumByService(uniqueQ)
        for service in Set(repeats.keys).union(unique.keys) {
            out[service, default: []].append(RetryLayer(name: "log_requests", retries: repeats[service], requests: unique[service],
                                                        retriesSource: repeatQ, requestsSource: uniqueQ, stacked: false))
        }
        return out
    }

    static let manyAttemptsQuery = increase("log_requests_many_attempts_total")
    static let multiLayerQuery = increase("log_multi_layer_retries_total")

    /// Requests with more than 3 attempts over the window, per service.
    static func manyAttempts(_ context: SignalContext) -> [String: Double] { context.sumByService(manyAttemptsQuery) }

    /// Requests retried by more than one layer over the window, per service.
    static func multiLayer(_ context: SignalContext) -> [String: Double] { context.sumByService(multiLayerQuery) }

    /// Fewer delays than this at one attempt level say nothing about their spread.
    static let minimumDelays = 3.0

    static let delayCountQuery = increase("log_retry_delay_seconds_count{attempt=~\"2|3|4\"}", extra: ", attempt")
    static let delaySumQuery = increase("log_retry_delay_seconds_sum{attempt=~\"2|3|4\"}", extra: ", attempt")
    static let delaySquaresQuery = increase("log_retry_delay_seconds_sum_squares{attempt=~\"2|3|4\"}", extra: ", attempt")

    /// The coefficient of variation (σ ÷ mean) of retry delays per service and attempt level over the window.
    ///
    /// Levels `2`, `3` and `4` only: each holds one attempt number, so delays without jitter sit
    /// on one value (base·2ⁿ) and their CV is near 0. `5+` mixes attempt numbers, whose delays
    /// differ even without jitter, so its spread says nothing. Levels with fewer than 3 delays are skipped.
    static func delayCVs(_ context: SignalContext) -> [String: [String: Double]] {
        func byLevel(_ q: String) -> [String: [String: Double]] {
            var out: [String: [String: Double]] = [:]
            for s in context.vector(q) ?? [] where !s.value.isNaN {
                guard let level = s.labels["attempt"], ["2", "3", "4"].contains(level) else { continue }
                out[context.service(for: s.labels), default: [:]][level, default: 0] += s.value
            }
            return out
        }
        let counts = byLevel(delayCountQuery), sums = byLevel(delaySumQuery), squares = byLevel(delaySquaresQuery)
        var out: [String: [String: Double]] = [:]
        for (service, levels) in counts {
            for (level, n) in levels where n >= minimumDelays {
                guard let sum = sums[service]?[level], let sq = squares[service]?[level], sum > 0 else { continue }
                let mean = sum / n
                let variance = max(0, sq / n - mean * mean)
                out[service, default: [:]][level] = variance.squareRoot() / mean
            }
        }
        return out
    }

    static let outcomesQuery = RetryMetricSources.rate("log_retry_outcomes_total", extra: ", outcome")
    static let outcomesBaselineQuery = "sum by (job, service) (rate(log_retry_outcomes_total[1h] offset \(window)))"

    /// How logged retries ended, per service: successes against all retries with an outcome.
    static func outcomes(_ context: SignalContext) -> [String: RetryOutcome] {
        var retries: [String: Double] = [:], successes: [String: Double] = [:]
        for s in context.vector(outcomesQuery) ?? [] where !s.value.isNaN {
            let service = context.service(for: s.labels)
            retries[service, default: 0] += s.value
            if s.labels["outcome"] == "success" { successes[service, default: 0] += s.value }
        }
        var out: [String: RetryOutcome] = [:]
        for (service, r) in retries {
            out[service] = RetryOutcome(name: "log", retries: r, successes: successes[service] ?? 0,
                                        source: "\(outcomesQuery) (outcome=\"success\" ÷ all)", baselineQuery: outcomesBaselineQuery)
        }
        return out
    }
}
