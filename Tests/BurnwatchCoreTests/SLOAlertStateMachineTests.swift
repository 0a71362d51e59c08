import BurnwatchCore
import Testing

@Suite struct SLOAlertStateMachineTests {
    @Test func anOutageStartsAndEndsAlertsWithTimes() throws {
        // 100% errors for 10 minutes from T, then healthy again.
        let T = Timestamp(seconds: 1_700_000_000)
        let outage = Interval.parse("10m")!
        let windows = SLOWindow.fixedWindows.compactMap { w -> Interval? in if case .fixed(let i) = w { i } else { nil } } + [Interval.parse("30d")!]
        let eq = "sum(rate(e[{{.window}}]))", tq = "sum(rate(t[{{.window}}]))"
        var answers: [String: @Sendable (Timestamp) -> Double?] = [:]
        for w in windows {
            answers[SLOQueries.substitute(eq, w)] = { t in
                let from = t - w
                let overlap = min(t, T + outage).milliseconds - max(from, T).milliseconds
                return Double(max(0, overlap)) / Double(w.milliseconds)
            }
            answers[SLOQueries.substitute(tq, w)] = { _ in 1 }
        }
        let spec = SLOSpec(service: "s", name: "n", objective: 0.999, indicator: .events(errorQuery: eq, totalQuery: tq))
        var machine = SLOAlertStateMachine()
        let result = try SLOEvaluator(querier: SLOFakeQuerier(answers: answers))
            .evaluate(spec, from: T - Interval.parse("1m")!, to: T + Interval.parse("2h")!, every: Interval.parse("10s")!, machine: &machine)
        let started = result.transitions.compactMap { tr -> (Double, Timestamp)? in
            if case .started(let tier, let at) = tr { (tier.factor, at) } else { nil }
        }
        let ended = result.transitions.compactMap { tr -> (Double, Timestamp, Timestamp)? in
            if case .ended(let tier, let s, let e) = tr { (tier.factor, s, e) } else { nil }
        }
        let fast = try #require(started.first { $0.0 == 14.4 })
        #expect(fast.1 == T + Interval.parse("60s")!)  // first 10 s step after 51.84 s
        // 5m window clears 5 min after the outage ends (plus a step for strict >): the page ends.
        let fastEnd = try #require(ended.first { $0.0 == 14.4 })
        #expect(fastEnd.1 == fast.1)
        #expect((fastEnd.2 - (T + outage)).seconds <= 300 && (fastEnd.2 - (T + outage)).seconds > 250)
        let states = result.transitions.compactMap { tr -> SLOState? in if case .stateChanged(_, let to, _) = tr { to } else { nil } }
        // ten minutes of full outage keeps the ticket tiers (1d/2h, 3d/6h) firing two hours later
        #expect(states.first == .ok && states.contains(.page) && states.last == .ticket)
        #expect(result.statuses.last?.alerts.filter(\.firing).map(\.tier.factor) == [3, 1])
        // since is carried while firing
        let firingStatus = try #require(result.statuses.first { $0.at == T + Interval.parse("5m")! })
        #expect(firingStatus.alerts[0].since == fast.1)
        #expect(firingStatus.alerts[0].firing)
    }

    @Test func reFeedingAnOldTimeChangesNothing() {
        var machine = SLOAlertStateMachine()
        let spec = SLOSpec(service: "s", name: "n", objective: 0.99, indicator: .raw(errorRatioQuery: "x"))
        let s1 = SLOStatus.compute(spec, at: Timestamp(seconds: 100), measurements: Array(repeating: SLOWindowMeasurement(errorRatio: 1, events: nil), count: 8))
        let first = machine.advance(s1)
        #expect(first.transitions.count == 5)  // four starts and the first state
        #expect(machine.advance(s1).transitions.isEmpty)
        #expect(machine.currentState == .page)
    }
}
