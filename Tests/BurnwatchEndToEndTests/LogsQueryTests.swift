import Foundation
import Testing
import BurnwatchTestSupport

/// Log-derived series answer `burnwatch query --logs FILE`.
@Suite struct LogsQueryTests {
    func fixture(_ name: String) -> String {
        var dir = TestPaths.sharedFixtures
        if !FileManager.default.fileExists(atPath: dir.path) { dir = URL(fileURLWithPath: "/work/shared/fixtures") }
        return dir.appendingPathComponent("logs/\(name)").path
    }

    func scalar(_ json: String) -> Double? {
        guard let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let result = (object["data"] as? [String: Any])?["result"] as? [[String: Any]],
              let value = result.first?["value"] as? [Any], let text = value.last as? String else { return nil }
        return Double(text)
    }

    @Test func haproxyRetriesAndStatusClassesFromTheLog() throws {
        let path = fixture("haproxy.jsonl")
        // Expected values counted straight from the file.
        var retries = 0.0, attempts = 0.0, fivexx = 0.0
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let r = Double((o["retries"] as! String).replacingOccurrences(of: "+", with: ""))!
            retries += r; attempts += 1 + r
            if (o["status"] as! Int) >= 500 { fivexx += 1 }
        }
        let at = "2026-11-24T21:12:00Z"   // within the 5-minute lookback after the last line
        let r = try ProcessRunner.burnwatch(["query", "--logs", path, "--at", at, "sum(log_retries_total) / sum(log_attempts_total)"])
        #expect(r.status == 0, "\(r.stderrText)")
        let ratio = try #require(scalar(r.stdoutText), "\(r.stdoutText)")
        #expect(abs(ratio - retries / attempts) < 1e-9)
        let e = try ProcessRunner.burnwatch(["query", "--logs", path, "--at", at, #"sum(log_events_total{status_class="5xx"})"#])
        #expect(scalar(e.stdoutText) == fivexx)
    }
}
