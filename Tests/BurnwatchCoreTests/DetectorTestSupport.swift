import BurnwatchCore

extension SyntheticSeries {
    /// What `detector` observes at `seconds` after `start`, by service.
    func observe(_ detector: any SignalDetector, at seconds: Double, services: [String] = [],
                 statuses: [SLOStatus] = []) -> [String: SignalObservation] {
        let context = SignalContext(time: time(seconds), querier: PromQLEngine(store: store), services: services, sloStatuses: statuses)
        var out: [String: SignalObservation] = [:]
        for o in detector.observe(context) { out[o.service] = o }
        return out
    }

    /// The severities of the active `detector` signal every 15 s from `from` to `to`.
    func severities(_ detector: any SignalDetector, from: Double, to: Double, service: String? = nil) -> [Severity?] {
        var engine = SignalEngine(detectors: [detector])
        return SyntheticSeries.severities(run(&engine, from: from, to: to), detector.kind, service: service)
    }
}
