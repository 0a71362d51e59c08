/// One layer's retries for one service over the detector's window: retries and original requests per second.
///
/// A layer is whatever retries on the request path: a client (`client`, `loadgen`), a proxy
/// (`haproxy`, `envoy`), the gRPC channel, or what the service's logs show. Stacked layers
/// multiply: each one's attempts are the next one's requests.
struct RetryLayer: Sendable, Equatable {
    /// The name in summaries and the prefix of its evidence (`client` gives `client_retry_ratio`).
    var name: String
    /// Retries per second; nil when the source had no data.
    var retries: Double?
    /// Original (first-try) requests per second; nil when the source had no data.
    var requests: Double?
    /// Where the retries come from (PromQL, or a description of it).
    var retriesSource: String
    /// Where the requests come from.
    var requestsSource: String
    /// False for a layer that already measures attempts end to end (the logs' repeated request ids):
    /// its amplification is compared with the stacked product, not multiplied into it.
    var stacked = true

    /// Retries ÷ original requests; nil without data or requests.
    var ratio: Double? {
        guard let r = retries, let q = requests, q > 0, r.isFinite, q.isFinite else { return nil }
        return max(0, r) / q
    }

    /// Whether any data came back.
    var hasData: Bool { retries != nil || requests != nil }

    /// Whether the traffic is high enough to judge the ratio.
    func judged(minRequests: Double) -> Bool { ratio != nil && (requests ?? 0) >= minRequests }

    /// The layer's evidence: its ratio and both rates.
    var evidence: [SignalEvidence] {
        [SignalEvidence("\(name)_retry_ratio", ratio, source: "(\(retriesSource)) / (\(requestsSource))"),
         SignalEvidence("\(name)_retries_per_second", retries, source: retriesSource),
         SignalEvidence("\(name)_requests_per_second", requests, source: requestsSource)]
    }
}

/// What the retry sources say about one service: its layers and what its logs add.
struct RetryReadings: Sendable {
    /// Every layer with a source for the service (config entries first, with or without data).
    var layers: [RetryLayer] = []
    /// Config entries whose queries gave nothing: the entry's name and the first empty query.
    var missing: [(name: String, query: String)] = []
    /// Requests with more than 3 attempts over the window (log-derived), nil without data.
    var manyAttempts: Double?
    /// Requests retried by more than one layer over the window (log-derived), nil without data.
    var multiLayer: Double?
    /// The retry outcome source with the lowest success share.
    var outcome: RetryOutcome?
    /// Envoy's retries refused by its circuit breaker and its retry budget, per second.
    var envoyOverflow: Double?
    var envoyLimitExceeded: Double?

    /// Whether any source had a number for the service.
    var hasData: Bool {
        layers.contains(where: \.hasData) || manyAttempts != nil || multiLayer != nil || outcome != nil
    }
}

/// How retries ended, from one source: the share that succeeded, and whether retries are rising.
struct RetryOutcome: Sendable, Equatable {
    var name: String
    /// Retries per second over the window.
    var retries: Double
    /// Retries that succeeded per second over the window.
    var successes: Double
    var source: String
    /// Retries per second over the previous hour (before the window), by service; read only when
    /// the success share is low, since only then does rising matter.
    var baselineQuery: String

    /// Successes ÷ retries; nil without retries.
    var successRatio: Double? { retries > 0 ? min(1, max(0, successes) / retries) : nil }

    /// Whether retries run at least `factor` times `baseline`, their previous hour's rate (or appeared from none).
    func rising(factor: Double, baseline: Double?) -> Bool {
        guard retries > 0 else { return false }
        guard let baseline, baseline > 0 else { return true }
        return retries >= factor * baseline
    }
}
