import BurnwatchCore
import Testing

@Suite struct SLOTierAndQueryTests {
    @Test func thirtyDayTiersAreTheWorkbookOnes() {
        let tiers = BurnRateTier.defaults(period: Interval.parse("30d")!)
        #expect(tiers.map(\.factor) == [14.4, 6, 3, 1])
        #expect(tiers.map(\.severity) == [.page, .page, .ticket, .ticket])
        #expect(tiers.map { $0.long.description } == ["1h", "6h", "1d", "3d"])
        #expect(tiers.map { $0.short.description } == ["5m", "30m", "2h", "6h"])
    }

    @Test func tiersScaleWithThePeriod() {
        // factor = budget share × period ÷ long window
        let week = BurnRateTier.defaults(period: Interval.parse("7d")!)
        let expected: [Double] = [3.36, 1.4, 0.7, 0.233333333333]
        for (tier, want) in zip(week, expected) { #expect(abs(tier.factor - want) < 1e-9) }
        let fourWeeks = BurnRateTier.defaults(period: Interval.parse("28d")!)
        #expect(fourWeeks[0].factor == 13.44)
    }

    @Test func aTierAboveTheMaximumBurnCannotFire() {
        let tiers = BurnRateTier.defaults(period: Interval.parse("30d")!)
        #expect(tiers[0].canFire(objective: 0.999))
        #expect(!tiers[0].canFire(objective: 0.90))  // max burn 10 < 14.4
        #expect(tiers[1].canFire(objective: 0.90))   // 6 < 10
        #expect(tiers[1].detectionTime(objective: 0.999, errorRatio: 1)?.seconds == 129.6)
        #expect(tiers[3].detectionTime(objective: 0.999, errorRatio: 0.0005) == nil)
    }

    @Test func windowPlaceholderIsSubstituted() {
        #expect(SLOQueries.substitute("sum(rate(x[{{.window}}])) / sum(rate(y[{{ .window }}]))", Interval.parse("30d")!)
                == "sum(rate(x[30d])) / sum(rate(y[30d]))")
        #expect(SLOQueries.substitute("x{a=\"{{other}}\"}", Interval.parse("5m")!) == "x{a=\"{{other}}\"}")
        #expect(SLOQueries.promDuration(Interval.parse("1d")!) == "1d")
        #expect(SLOQueries.promDuration(Interval(milliseconds: 90_061_000)) == "90061s")
    }

    @Test func latencyQueriesUseTheBucketBounds() {
        let q = SLOQueries(.latency(histogram: "http_request_duration_seconds", matchers: "job=\"api\"", threshold: 0.3))
        #expect(q.totalQuery(window: Interval.parse("5m")!) == "sum(rate(http_request_duration_seconds_bucket{job=\"api\",le=\"+Inf\"}[5m]))")
        #expect(q.errorQuery(window: Interval.parse("5m")!)
                == "sum(rate(http_request_duration_seconds_bucket{job=\"api\",le=\"+Inf\"}[5m])) - sum(rate(http_request_duration_seconds_bucket{job=\"api\",le=\"0.3\"}[5m]))")
        #expect(q.burnRateQuery(window: Interval.parse("1h")!, objective: 0.99).hasSuffix("/ (1 - 0.99)"))
    }

    @Test func aLatencyThresholdThatIsNotABoundNamesTheBounds() throws {
        let spec = SLOSpec(service: "api", name: "latency", objective: 0.99,
                           indicator: .latency(histogram: "h", matchers: "", threshold: 0.25),
                           origin: SourcePosition(source: "b.yaml", line: 7, column: 5))
        let bounds = ["0.1", "0.5", "+Inf", "1"].map { VectorSample(labels: Labels(["le": $0]), timestamp: Timestamp(milliseconds: 0), value: 1) }
        let fake = SLOFakeQuerier(answers: [:], vectors: [SLOQueries.boundsQuery(histogram: "h", matchers: ""): bounds])
        do {
            _ = try SLOEvaluator(querier: fake).evaluate(spec, at: Timestamp(seconds: 1000))
            Issue.record("expected an error")
        } catch let error as BurnwatchError {
            #expect(error.description == "b.yaml:7:5: latency threshold 0.25 of SLO api/latency is not a bucket bound of h; the bounds are 0.1, 0.5, 1, +Inf")
        }
    }

    @Test func noDataIsNullAndLowTrafficHoldsThePage() throws {
        let service = SLOSyntheticService(requestsPerSecond: 0.001, errorRatio: 1.0)
        var spec = SLOSpec(service: "api", name: "a", objective: 0.999, indicator: service.indicator, minEvents: 100)
        let q = service.querier(period: Interval.parse("30d")!)
        let quiet = try SLOEvaluator(querier: q).evaluate(spec, at: service.errorsStart + Interval.parse("2h")!)
        #expect(quiet.state == .lowTraffic)
        #expect(quiet.alerts.allSatisfy { $0.lowTraffic && !$0.firing })
        spec.minEvents = 10  // 0.001/s × 6h = 21.6 events: the 3d/6h ticket has enough traffic
        #expect(try SLOEvaluator(querier: q).evaluate(spec, at: service.errorsStart + Interval.parse("2h")!).state == .ticket)
        spec.minEvents = nil
        #expect(try SLOEvaluator(querier: q).evaluate(spec, at: service.errorsStart + Interval.parse("2h")!).state == .page)

        let before = try SLOEvaluator(querier: q).evaluate(spec, at: service.dataStart - Interval.parse("1h")!)
        #expect(before.state == .noData)
        #expect(before.windows.allSatisfy { $0.errorRatio == nil && $0.burnRate == nil && $0.events == nil })
        #expect(before.budgetRemaining == nil && before.timeToExhaustionSeconds == nil)
        let json = SLOReportFormat.json(at: before.at, statuses: [before])
        #expect(json.contains("\"5m\":{\"error_ratio\":null,\"burn_rate\":null,\"events\":null}"))
        #expect(json.contains("\"state\":\"no_data\""))
    }

    @Test func calendarMonthWindowIsTheMonthSoFar() {
        let t = RFC3339.parse("2026-03-03T12:00:00Z")!
        #expect(SLOPeriod.calendarMonth.window(at: t).seconds == 2.5 * 86_400)
    }
}

@Suite struct SLOMissingSeriesTests {
    @Test func aMissingErrorSeriesGivesNoRatioButCountsEvents() throws {
        let e = "sum(rate(x{code=\"500\"}[{{.window}}]))", t = "sum(rate(x[{{.window}}]))"
        var answers: [String: @Sendable (Timestamp) -> Double?] = [:]
        for w in SLOWindow.fixedWindows.compactMap({ w -> Interval? in if case .fixed(let i) = w { i } else { nil } }) + [Interval.parse("30d")!] {
            answers[SLOQueries.substitute(e, w)] = { _ in nil }
            answers[SLOQueries.substitute(t, w)] = { _ in 2 }
        }
        let spec = SLOSpec(service: "s", name: "n", objective: 0.99, indicator: .events(errorQuery: e, totalQuery: t))
        let status = try SLOEvaluator(querier: SLOFakeQuerier(answers: answers)).evaluate(spec, at: Timestamp(seconds: 1e9))
        #expect(status.window("5m")?.errorRatio == nil && status.window("5m")?.burnRate == nil)
        #expect(status.window("5m")?.events == 600)
        #expect(status.state == .ok)  // traffic exists: not "no data"
    }
}

/// Records every query and answers 1.
final class SLORecordingQuerier: PromQLQuerier, @unchecked Sendable {
    private(set) var asked: [String] = []
    func instantQuery(_ expression: String, at time: Timestamp) throws -> QueryValue {
        asked.append(expression)
        return .vector([VectorSample(labels: .empty, timestamp: time, value: 1)])
    }
    func rangeQuery(_ expression: String, start: Timestamp, end: Timestamp, step: Interval) throws -> QueryValue {
        asked.append(expression)
        var points: [(Timestamp, Double)] = []
        var t = start
        while t <= end { points.append((t, 1)); t = t + step }
        return .matrix([MatrixSeries(labels: .empty, points: points)])
    }
}

@Suite struct SLOCalendarMonthTests {
    @Test func theMonthWindowRestartsAtTheFirstOfTheMonth() throws {
        let spec = SLOSpec(service: "s", name: "n", objective: 0.99,
                           indicator: .events(errorQuery: "e[{{.window}}]", totalQuery: "t[{{.window}}]"), period: .calendarMonth)
        let q = SLORecordingQuerier()
        var machine = SLOAlertStateMachine()
        let from = RFC3339.parse("2026-01-31T22:00:00Z")!, to = RFC3339.parse("2026-02-01T02:00:00Z")!
        let result = try SLOEvaluator(querier: q).evaluate(spec, from: from, to: to, every: Interval.parse("2h")!, machine: &machine)
        #expect(result.statuses.count == 3)
        // fixed windows are one range query each; the month is asked at each time with its own length
        #expect(q.asked.contains("e[5m]") && q.asked.contains("t[3d]"))
        #expect(q.asked.filter { $0.hasPrefix("e[") }.count == 7 + 3)
        #expect(q.asked.contains("e[742h]"))  // Jan 31 22:00 is 30 d 22 h into January
        #expect(q.asked.contains("e[1s]"))  // Feb 1 00:00: the month has just begun (at least 1 s)
        #expect(q.asked.filter { $0 == "e[2h]" }.count == 2)  // the fixed 2h window, and Feb 1 02:00's month
    }
}
