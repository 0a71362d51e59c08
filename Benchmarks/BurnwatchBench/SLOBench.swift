import BurnwatchCore

/// SLO evaluation cost: 1,000 SLOs over scraped data, evaluated once a second (issue 5's goal:
/// under 20% of one core). Run with `burnwatch-bench slo` (or with no argument: every group).
enum SLOBench {
    static func main(_ arguments: [String]) {
        guard arguments.count <= 1 || arguments.dropFirst().contains("slo") else { return }
        let services = 1000, scrape: Int64 = 15_000
        let retention = Interval(milliseconds: 6 * 3_600_000)
        let now = Timestamp(seconds: 1_767_225_600)
        var store = SeriesStore(retention: Retention(duration: retention, maxSamplesPerSeries: 2000))
        let build = ContinuousClock().measure {
            var t = now.milliseconds - retention.milliseconds
            var ids: [(Int, Int)] = []
            for i in 0..<services {
                ids.append((store.seriesID(for: Labels(["__name__": "http_requests_total", "job": "svc-\(i)", "code": "200"])),
                            store.seriesID(for: Labels(["__name__": "http_requests_total", "job": "svc-\(i)", "code": "500"]))))
            }
            var k = 0.0
            while t <= now.milliseconds {
                for (i, (ok, bad)) in ids.enumerated() {
                    let errorShare = i % 10 == 0 && t > now.milliseconds - 600_000 ? 0.05 : 0.0005
                    store.append(id: ok, time: t, value: k * 15 * 10 * (1 - errorShare))
                    store.append(id: bad, time: t, value: k * 15 * 10 * errorShare)
                }
                k += 1
                t += scrape
            }
        }
        let specs = (0..<services).map { i in
            SLOSpec(service: "svc-\(i)", name: "availability", objective: 0.999, indicator: .events(
                errorQuery: "sum(rate(http_requests_total{job=\"svc-\(i)\",code=~\"5..\"}[{{.window}}]))",
                totalQuery: "sum(rate(http_requests_total{job=\"svc-\(i)\"}[{{.window}}]))"))
        }
        let evaluator = SLOEvaluator(querier: PromQLEngine(store: store))
        var machines = [SLOAlertStateMachine](repeating: SLOAlertStateMachine(), count: services)
        var paging = 0
        var rounds: [Duration] = []
        for round in 0..<5 {
            let at = now - Interval(milliseconds: Int64(4 - round) * 1000)
            rounds.append(ContinuousClock().measure {
                paging = 0
                for (i, spec) in specs.enumerated() {
                    guard let result = try? evaluator.evaluate(spec, from: at, to: at, every: Interval(milliseconds: 1000), machine: &machines[i]) else { continue }
                    if result.statuses.last?.state == .page { paging += 1 }
                }
            })
        }
        let seconds = rounds.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }.sorted()
        let median = seconds[seconds.count / 2]
        print("slo: store of \(store.seriesCount) series, \(store.sampleCount) samples (6h at 15s) built in \(build)")
        print("slo: \(services) SLOs × 8 windows × 2 queries, one round: median \(String(format3(median * 1000))) ms, min \(format3(seconds[0] * 1000)) ms; \(paging) paging")
        print("slo: full evaluation once a second would be \(format3(median * 100))% of one core")

        // The live console's way: every window up to the period measured every round, plus the
        // data-start lookup per SLO (the numbers equal `eval --at` each second).
        var live = SLOLiveEvaluator(specs: specs)
        let engine = PromQLEngine(store: store)
        let warm = live.evaluate(at: now - Interval(milliseconds: 61_000), querier: engine)  // first round measures everything
        let seconds60 = 60
        let liveTime = ContinuousClock().measure {
            for s in 0..<seconds60 {
                _ = live.evaluate(at: now - Interval(milliseconds: Int64(seconds60 - 1 - s) * 1000), querier: engine)
            }
        }
        let perSecond = (Double(liveTime.components.seconds) + Double(liveTime.components.attoseconds) / 1e18) / Double(seconds60)
        print("slo: live (every window every round), \(services) SLOs every second for \(seconds60) s: \(format3(perSecond * 1000)) ms a second = \(format3(perSecond * 100))% of one core (goal < 20%); \(warm.errors.count) errors")
    }

    static func format3(_ x: Double) -> String { String((x * 1000).rounded() / 1000) }
}
