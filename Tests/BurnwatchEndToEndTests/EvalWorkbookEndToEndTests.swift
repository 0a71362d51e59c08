import BurnwatchTestSupport
import Foundation
import Testing

/// The SRE Workbook checks through the real binary and the embedded engine, on OpenMetrics files.
@Suite struct EvalWorkbookEndToEndTests {
    let T = 1_767_225_600  // 2026-01-01T00:00:00Z

    /// The first evaluation time at which the tier with `factor` fires, in seconds after T.
    func firstFiring(_ objects: [[String: Any]], factor: Double) -> Int? {
        for o in objects {
            if let slo = o.firstSLO, slo.alert(factor: factor)?["firing"] as? Bool == true, let at = o["at"] as? Int { return at - T }
        }
        return nil
    }

    @Test func fullOutagePagesAt51Point8SecondsAnd2Point16Minutes() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("outage.om"), slos = dir.appendingPathComponent("slos.yaml")
        try EvalTestData.write(EvalTestData.constantErrors(job: "api", rps: 10, ratio: 1, errorsStart: T, dataStart: T - 6 * 3600 - 600),
                               from: T - 6 * 3600 - 600, to: T + 300, interval: 5, to: data)
        try EvalTestData.slothFile(service: "api", job: "api", objective: "99.9", to: slos)
        let step = 5
        let run = try EvalTestData.eval(["--metrics", data.path, "--slos", slos.path, "--from", "\(T)", "--to", "\(T + 300)", "--every", "\(step)s"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.objects.count == 61)
        let fast = try #require(firstFiring(run.objects, factor: 14.4))
        #expect(abs(Double(fast) - 51.84) <= Double(step))
        let slow = try #require(firstFiring(run.objects, factor: 6))
        #expect(abs(Double(slow) - 129.6) <= Double(step))
        // since stays at the first firing time; the state is page from then on
        let last = try #require(run.objects.last?.firstSLO)
        #expect(last.alert(factor: 14.4)?["since"] as? Int == T + fast)
        #expect(last["state"] as? String == "page")
        #expect(run.objects.first?.firstSLO?["state"] as? String == "ok")
        // with --at alone, eval looks back to find when the alerts began
        let single = try EvalTestData.eval(["--metrics", data.path, "--slos", slos.path, "--at", "\(T + 300)"])
        let slo = try #require(single.objects.first?.firstSLO)
        let since = try #require(slo.alert(factor: 14.4)?["since"] as? Double)
        #expect(since - Double(T) > 51.84 - 5 && since - Double(T) <= 51.84 + 10)
    }

    @Test func burnRateTwoTicketsAfterWindowsFillAndNeverPages() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("slow.om"), slos = dir.appendingPathComponent("slos.yaml")
        let start = T - 3 * 86_400 - 3600
        try EvalTestData.write(EvalTestData.constantErrors(job: "api", rps: 10, ratio: 0.002, errorsStart: T, dataStart: start),
                               from: start, to: T + 2 * 86_400, interval: 60, to: data)
        try EvalTestData.slothFile(service: "api", job: "api", objective: "99.9", to: slos)
        let run = try EvalTestData.eval(["--metrics", data.path, "--slos", slos.path, "--from", "\(T)", "--to", "\(T + 2 * 86_400)", "--every", "1h"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.objects.count == 49)
        #expect(!run.objects.contains { $0.firstSLO?["state"] as? String == "page" })
        let ticket = try #require(firstFiring(run.objects, factor: 1))
        // detection time = (1 − SLO) ÷ error ratio × window × factor = 0.001 / 0.002 × 3d × 1
        #expect(abs(Double(ticket) - 1.5 * 86_400) <= 3600)
        #expect(firstFiring(run.objects, factor: 3) == nil)
        let last = try #require(run.objects.last?.firstSLO)
        #expect(last["state"] as? String == "ticket")
        #expect(abs(try #require(last.window("1h", "burn_rate")) - 2) < 1e-9)
        // budget: 2 days at 0.2% errors of 3d+2d of traffic over a 30d period
        let periodRatio = 0.002 * 2 * 86_400 / Double(T + 2 * 86_400 - start)
        let remaining = try #require(last["budget_remaining"] as? Double)
        // rate() extrapolates the totals (not the errors, which start at 0) by half a scrape at
        // the data's start, 30 s in 5 days: a relative difference below 1e-4.
        #expect(abs(remaining - (1 - periodRatio / 0.001)) < 1e-3)
        let tte = try #require(last["time_to_exhaustion_seconds"] as? Double)
        #expect(abs(tte - remaining * 30 * 86_400 / 2) / tte < 1e-6)
    }

    @Test func aNinetyPercentSLOWarnsThatTheFastTierCannotFire() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("d.om"), slos = dir.appendingPathComponent("slos.yaml")
        try EvalTestData.write(EvalTestData.constantErrors(job: "api", rps: 1, ratio: 1, errorsStart: T, dataStart: T - 7 * 3600),
                               from: T - 7 * 3600, to: T + 6 * 3600, interval: 15, to: data)
        try EvalTestData.slothFile(service: "api", job: "api", objective: "90", to: slos)
        let run = try EvalTestData.eval(["--metrics", data.path, "--slos", slos.path, "--at", "\(T + 6 * 3600)"])
        #expect(run.stderr.contains("page tier 1h/5m at 14.4x can never fire"))
        let slo = try #require(run.objects.first?.firstSLO)
        #expect(slo.alert(factor: 14.4)?["firing"] as? Bool == false)
        // every request fails for 6 hours: burn 10 beats 6× but never 14.4×
        #expect(abs(try #require(slo.window("6h", "burn_rate")) - 10) < 1e-9)
        #expect(slo.alert(factor: 6)?["firing"] as? Bool == true)
        #expect(run.status == 2)
    }
}
