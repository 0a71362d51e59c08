import Foundation
import Testing
import BurnwatchTestSupport

/// `burnwatch eval --logs`: an SLO defined on log-derived series, over a real HAProxy log.
@Suite struct EvalLogsEndToEndTests {
    static let sloth = """
    version: "prometheus/v1"
    service: "haproxy"
    slos:
      - name: "availability"
        objective: 99.9
        sli:
          events:
            error_query: sum(rate(log_events_total{status_class="5xx"}[{{.window}}])) or vector(0)
            total_query: sum(rate(log_events_total{status_class=~"[1-5]xx"}[{{.window}}]))
        alerting:
          page_alert: {}
          ticket_alert: {}
    """

    @Test func anSLOOnLogLinesUsesTheLogDerivedSeries() throws {
        let log = TestPaths.sharedFixtures.appendingPathComponent("logs/haproxy.jsonl")
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        // The fixture's own answer: lines with a 5xx status over lines with any status.
        let statuses = lines.compactMap { line -> Int? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            if let n = object["status"] as? Int { return n }
            return (object["status"] as? String).flatMap { Int($0) }
        }
        let expected = Double(statuses.filter { $0 >= 500 }.count) / Double(statuses.count)
        #expect(expected > 0)

        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let slos = dir.appendingPathComponent("haproxy.sloth.yaml")
        try Self.sloth.write(to: slos, atomically: true, encoding: .utf8)

        let result = try ProcessRunner.burnwatch(["eval", "--logs", log.path, "--slos", slos.path])
        #expect(result.status == 2, "a 16% error ratio against 99.9% pages: \(result.stderrText)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let slo = try #require((object["slos"] as? [[String: Any]])?.first)
        #expect(slo["state"] as? String == "page")
        let window = try #require((slo["windows"] as? [String: Any])?["5m"] as? [String: Any])
        let ratio = try #require(window["error_ratio"] as? Double)
        #expect(abs(ratio - expected) <= 1e-9 * expected, "error ratio \(ratio) vs \(expected) from the file")
        let burn = try #require(window["burn_rate"] as? Double)
        #expect(abs(burn - expected / 0.001) <= 1e-6 * burn)
    }

    @Test func queryAndEvalShareTheLogsInput() throws {
        let log = TestPaths.sharedFixtures.appendingPathComponent("logs/haproxy.jsonl")
        let result = try ProcessRunner.burnwatch(["query", "--logs", log.path, "--at", "2026-11-24T21:11:05Z",
                                                  "sum(log_lines_total)"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("\"resultType\":\"vector\""))
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count
        #expect(result.stdoutText.contains("\"\(lines)\""), "every line counted once: \(result.stdoutText)")
    }
}
