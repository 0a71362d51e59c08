import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import Foundation
import Testing

/// `replay --metrics F --logs F`: the files become rounds every second and log dispatches by line
/// time, and each round's numbers are the ones `eval --at` gives at that time on the same files.
@Suite struct FileReplayTests {
    @Test func roundsEqualEvalAtTheSameTimesAndEveryLineIsPlayed() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-file-replay")
        defer { try? FileManager.default.removeItem(at: dir) }
        let t0: Int64 = 1_796_000_000
        var om = "# TYPE http_requests counter\n"
        var good = 0, bad = 0
        var rows: [(Int64, Int, Int)] = []
        for i in stride(from: 0, to: 600, by: 15) {
            good += 290; bad += (i > 200 && i < 400) ? 60 : 1
            rows.append((t0 + Int64(i), good, bad))
        }
        for r in rows { om += "http_requests_total{job=\"api\",code=\"200\"} \(r.1) \(r.0)\n" }
        for r in rows { om += "http_requests_total{job=\"api\",code=\"500\"} \(r.2) \(r.0)\n" }
        om += "# EOF\n"
        let metrics = dir.appendingPathComponent("m.om").path
        try om.write(toFile: metrics, atomically: true, encoding: .utf8)
        let logs = dir.appendingPathComponent("app.jsonl").path
        var lines: [String] = []
        for i in 0..<300 {
            let status = i % 10 == 0 ? 500 : 200
            lines.append("{\"time\":\"\(RFC3339.format(Timestamp(milliseconds: (t0 + Int64(i * 2)) * 1000 + 333)))\",\"level\":\"info\",\"msg\":\"GET /x\",\"status\":\(status),\"duration_ms\":\(i % 30)}")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: logs, atomically: true, encoding: .utf8)

        let built = try FileReplayEvents.build(metrics: [metrics], logs: [logs]) { Issue.record("warning: \($0)") }
        var played = 0
        var rounds: [Int64] = []
        for event in built.events {
            switch event {
            case .logs(let d): played += d.items.count; #expect(d.arrival == d.at)
            case .round(let r): rounds.append(r.at)
            case .scrape: Issue.record("a file replay has no scrapes")
            }
        }
        #expect(played == lines.count)
        #expect(zip(rounds, rounds.dropFirst()).allSatisfy { $1 - $0 == 1000 })
        #expect(rounds.first.map { $0 > t0 * 1000 } == true)
        #expect(rounds.last.map { $0 >= (t0 + 585) * 1000 } == true)
        #expect(built.events.map(\.at) == built.events.map(\.at).sorted())

        let slo = SLOSpec(service: "api", name: "availability", objective: 0.99, indicator: .events(
            errorQuery: "sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[{{.window}}]))",
            totalQuery: "sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))"))
        var setup = ReplayEngine.Setup(config: BurnwatchConfiguration(file: ""), slos: [slo], signals: nil,
                                       logInputs: [LogFeedInput(.file(pattern: logs, fromStart: true))])
        setup.initialStore = built.store
        let engine = ReplayEngine(setup: setup)
        let eval = SLOEvaluator(querier: PromQLEngine(store: built.store))
        var compared = 0
        var worst = 0.0
        for event in built.events {
            engine.apply(event, sink: nil)
            guard case .round(let r) = event, r.at % 60_000 == 0, let round = engine.lastRound else { continue }
            let live = try #require(round.statuses.first)
            let expected = try eval.evaluate(slo, at: Timestamp(milliseconds: r.at))
            #expect(live.windows.map(\.burnRate) == expected.windows.map(\.burnRate), "at \(r.at)")
            #expect(live.budgetRemaining == expected.budgetRemaining, "at \(r.at)")
            compared += 1
            worst = max(worst, live.windows.first?.burnRate ?? 0)
        }
        #expect(compared >= 8)
        // the failing minutes burn
        #expect(worst > 5, "worst 5m burn rate \(worst)")
    }
}
