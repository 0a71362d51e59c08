import BurnwatchTestSupport
import Foundation
import Testing

/// A config written for files has services without `targets` or `query_api`: `check-config`,
/// `eval` and `query` take it; `watch` with nothing to gather says what to add.
@Suite struct TargetlessConfigTests {
    static let config = """
        services:
          - name: api
        slos:
          - service: api
            name: availability
            objective: 99.9
            sli:
              events:
                error_query: 'sum(rate(x_total{code="500"}[{{.window}}]))'
                total_query: 'sum(rate(x_total[{{.window}}]))'

        """

    func files() throws -> (URL, String, String) {
        let dir = try TestPaths.makeTemporaryDirectory("bw-targetless")
        let config = dir.appendingPathComponent("burnwatch.yaml").path
        try Self.config.write(toFile: config, atomically: true, encoding: .utf8)
        let metrics = dir.appendingPathComponent("m.prom").path
        // 100 requests a minute, 1 failing, for 10 minutes
        var body = ""
        for m in 0...10 {
            body += "x_total{code=\"200\"} \(m * 99) \(m * 60_000)\nx_total{code=\"500\"} \(m) \(m * 60_000)\n"
        }
        try body.write(toFile: metrics, atomically: true, encoding: .utf8)
        return (dir, config, metrics)
    }

    @Test func checkConfigEvalAndQueryAcceptIt() throws {
        let (dir, config, metrics) = try files()
        defer { try? FileManager.default.removeItem(at: dir) }
        let check = try ProcessRunner.run(TestPaths.binary.path, ["check-config", config])
        #expect(check.status == 0, "\(check.stderrText)")
        let eval = try ProcessRunner.run(TestPaths.binary.path, ["eval", "--config", config, "--metrics", metrics, "--at", "600"])
        #expect(eval.status == 2, "\(eval.stderrText)")   // 1% errors burn a 99.9% budget at 10×
        let json = try #require(try JSONSerialization.jsonObject(with: eval.stdout) as? [String: Any])
        let slo = try #require((json["slos"] as? [[String: Any]])?.first)
        let fiveMinutes = try #require((slo["windows"] as? [String: Any])?["5m"] as? [String: Any])
        #expect(abs((fiveMinutes["error_ratio"] as? Double ?? 0) - 0.01) < 1e-9)
        let query = try ProcessRunner.run(TestPaths.binary.path, ["query", "--metrics", metrics, "--at", "600", "sum(x_total)"])
        #expect(query.status == 0, "\(query.stderrText)")
        #expect(query.stdoutText.contains("\"1000\""))
    }

    @Test func watchWithNothingToGatherSaysWhatToAdd() throws {
        let (dir, config, _) = try files()
        defer { try? FileManager.default.removeItem(at: dir) }
        let watch = try ProcessRunner.run(TestPaths.binary.path, ["watch", "--config", config])
        #expect(watch.status != 0)
        #expect(watch.stderrText.contains("nothing to watch"))
        #expect(watch.stderrText.contains("targets:") && watch.stderrText.contains("--logs FILE"))
    }
}
