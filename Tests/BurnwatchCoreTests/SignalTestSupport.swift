import BurnwatchCore

/// Synthetic series for detector tests: counters and gauges as functions of time, in a real store.
struct SyntheticSeries {
    var store = SeriesStore(retention: Retention(duration: Interval(milliseconds: 3 * 86_400_000), maxSamplesPerSeries: Int.max))
    /// The first sample time (Unix seconds).
    var start: Double
    /// The scrape interval in seconds.
    var step: Double

    init(start: Double = 1_700_000_000, step: Double = 15) { self.start = start; self.step = step }

    /// Writes a gauge `value(t)` (t in seconds since `start`) every `step` from `from` to `to` seconds.
    mutating func gauge(_ labels: [String: String], from: Double = 0, to: Double, _ value: (Double) -> Double?) {
        let l = Labels(labels)
        var t = from
        while t <= to {
            if let v = value(t) { store.append(l, Timestamp(seconds: start + t), v) }
            t += step
        }
    }

    /// Writes a counter whose rate per second is `rate(t)`, starting at 0 at `from`.
    mutating func counter(_ labels: [String: String], from: Double = 0, to: Double, rate: (Double) -> Double) {
        let l = Labels(labels)
        var t = from, total = 0.0
        while t <= to {
            store.append(l, Timestamp(seconds: start + t), total)
            total += max(0, rate(t)) * step
            t += step
        }
    }

    /// The time `seconds` after `start`.
    func time(_ seconds: Double) -> Timestamp { Timestamp(seconds: start + seconds) }

    /// Runs `engine` every `every` seconds from `from` to `to` (seconds after `start`); returns each round.
    func run(_ engine: inout SignalEngine, from: Double, to: Double, every: Double = 15,
             statuses: (Timestamp) -> [SLOStatus] = { _ in [] }) -> [SignalEngine.Round] {
        let querier = PromQLEngine(store: store)
        var out: [SignalEngine.Round] = []
        var t = from
        while t <= to {
            out.append(engine.evaluate(at: time(t), querier: querier, sloStatuses: statuses(time(t))))
            t += every
        }
        return out
    }

    /// The severity of the active signal of `kind` (any service) in each round, nil when none.
    static func severities(_ rounds: [SignalEngine.Round], _ kind: SignalKind, service: String? = nil) -> [Severity?] {
        rounds.map { r in r.active.first { $0.kind == kind && (service == nil || $0.service == service) }?.severity }
    }
}
