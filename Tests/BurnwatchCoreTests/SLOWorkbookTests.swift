import BurnwatchCore
import Testing

/// The checks of the SRE Workbook's "Alerting on SLOs" chapter, through a fake querier.
@Suite struct SLOWorkbookTests {
    let thirtyDays = Interval(milliseconds: 30 * 86_400_000)

    func spec(_ objective: Double, _ service: SLOSyntheticService) -> SLOSpec {
        SLOSpec(service: "api", name: "availability", objective: objective, indicator: service.indicator,
                period: .rolling(thirtyDays))
    }

    /// The first evaluation time at which the tier fires, stepping by `step` from T.
    func firstFiring(_ spec: SLOSpec, _ q: any PromQLQuerier, factor: Double, from: Timestamp, to: Timestamp, step: Interval) throws -> Timestamp? {
        var machine = SLOAlertStateMachine()
        let result = try SLOEvaluator(querier: q).evaluate(spec, from: from, to: to, every: step, machine: &machine)
        for s in result.statuses where s.alerts.contains(where: { $0.tier.factor == factor && $0.firing }) { return s.at }
        return nil
    }

    @Test func fullOutageFiresFastPageAfter51Point8Seconds() throws {
        let service = SLOSyntheticService(errorRatio: 1.0)
        let spec = spec(0.999, service)
        let T = service.errorsStart
        let step = Interval(milliseconds: 1000)
        let fired = try #require(try firstFiring(spec, service.querier(period: thirtyDays), factor: 14.4,
                                                  from: T, to: T + Interval(milliseconds: 600_000), step: step))
        #expect(abs((fired - T).seconds - 51.84) <= step.seconds)
        let expected = try #require(BurnRateTier.defaults(period: thirtyDays)[0].detectionTime(objective: 0.999, errorRatio: 1))
        #expect(abs(expected.seconds - 51.84) < 0.01)
    }

    @Test func lookingBackFindsWhenTheAlertStarted() throws {
        let service = SLOSyntheticService(errorRatio: 1.0)
        let T = service.errorsStart
        let at = T + Interval(milliseconds: 1_800_000)
        let evaluator = SLOEvaluator(querier: service.querier(period: thirtyDays))
        let status = try evaluator.evaluate(spec(0.999, service), at: at, lookBack: true)
        let fast = try #require(status.alerts.first { $0.tier.factor == 14.4 })
        let since = try #require(fast.since)
        // the 1h tier is looked back at 10 s steps: the first step after T + 51.84 s
        #expect((since - T).seconds > 51.84 && (since - T).seconds <= 51.84 + 10)
        let slow = try #require(status.alerts.first { $0.tier.factor == 6 }?.since)
        #expect((slow - T).seconds > 129.6 && (slow - T).seconds <= 129.6 + 60)
        // without looking back, since is the evaluation time
        #expect(try evaluator.evaluate(spec(0.999, service), at: at).alerts[0].since == at)
    }

    @Test func fullOutageFiresSlowPageAfter2Point16Minutes() throws {
        let service = SLOSyntheticService(errorRatio: 1.0)
        let T = service.errorsStart
        let step = Interval(milliseconds: 1000)
        let fired = try #require(try firstFiring(spec(0.999, service), service.querier(period: thirtyDays), factor: 6,
                                                  from: T, to: T + Interval(milliseconds: 600_000), step: step))
        #expect(abs((fired - T).seconds - 129.6) <= step.seconds)
    }

    @Test func burnRateTwoNeverPagesButTicketsOnceWindowsFill() throws {
        let service = SLOSyntheticService(errorRatio: 0.002)
        let spec = spec(0.999, service)
        let T = service.errorsStart
        let step = Interval(milliseconds: 600_000)
        var machine = SLOAlertStateMachine()
        let result = try SLOEvaluator(querier: service.querier(period: thirtyDays))
            .evaluate(spec, from: T, to: T + Interval(milliseconds: 4 * 86_400_000), every: step, machine: &machine)
        #expect(!result.statuses.contains { $0.state == .page })
        let ticket = try #require(result.statuses.first { s in s.alerts.contains { $0.tier.factor == 1 && $0.firing } })
        // detection time = (1 − SLO) ÷ error ratio × window × burn rate = 0.001 / 0.002 × 3d × 1 = 1.5d
        #expect(abs((ticket.at - T).seconds - 1.5 * 86_400) <= step.seconds)
        #expect(ticket.state == .ticket)
        #expect(result.statuses.last?.window("5m")?.burnRate.map { abs($0 - 2) < 1e-9 } == true)
        // the 3× ticket never fires at burn 2
        #expect(!result.statuses.contains { s in s.alerts.contains { $0.tier.factor == 3 && $0.firing } })
    }

    @Test func budgetConsumedAndTimeToExhaustionMatchTheFormulas() throws {
        let service = SLOSyntheticService(errorRatio: 0.01)
        let spec = spec(0.999, service)
        let at = service.errorsStart + Interval(milliseconds: 3_600_000)
        let status = try SLOEvaluator(querier: service.querier(period: thirtyDays)).evaluate(spec, at: at)
        let periodRatio = 0.01 * 3600 / thirtyDays.seconds
        let remaining = 1 - periodRatio / 0.001
        #expect(abs(try #require(status.budgetRemaining) - remaining) < 1e-12)
        // budget left (in bad events) ÷ bad events per second
        let budgetEvents = remaining * 0.001 * 10 * thirtyDays.seconds
        let tte = budgetEvents / (10 * 0.01)
        #expect(abs(try #require(status.timeToExhaustionSeconds) - tte) / tte < 1e-9)
        // burning at 10× for the 1h window spends 10 × 1h ÷ 30d of the budget
        let fast = try #require(status.alerts.first { $0.tier.factor == 14.4 })
        #expect(abs(try #require(fast.budgetConsumed) - 10.0 * 3600 / thirtyDays.seconds) < 1e-12)
        #expect(fast.tier.budgetShare == 0.02)
        #expect(status.state == .ok)
    }

    @Test func ninetyPercentSLOFlagsTheFastTierAsUnableToFire() throws {
        let service = SLOSyntheticService(errorRatio: 1.0)
        let status = try SLOEvaluator(querier: service.querier(period: thirtyDays))
            .evaluate(spec(0.90, service), at: service.errorsStart + Interval(milliseconds: 86_400_000))
        let fast = try #require(status.alerts.first { $0.tier.factor == 14.4 })
        #expect(!fast.canFire)
        #expect(!fast.firing)  // burn rate is 10, never above 14.4
        #expect(status.warnings.count == 1)
        #expect(status.alerts.filter { !$0.canFire }.count == 1)
        #expect(status.state == .page)  // the 6× tier does fire
    }
}
