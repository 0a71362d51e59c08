import Foundation
import Testing
import BurnwatchTestSupport

/// `burnwatch eval` fills `signals`: with hysteresis, runbook links, config changes, and no noise.
@Suite struct EvalSignalsEndToEndTests {
    static let start = 1_767_225_600

    /// An OpenMetrics file where target `a` of `api` is up for 10 minutes, then down for 5, then up.
    static func upDownUp() -> String {
        var out = "# TYPE up gauge\n"
        for k in 0...(20 * 4) {
            let t = start + k * 15
            let value = (40..<60).contains(k) ? 0 : 1
            out += "up{job=\"api\",instance=\"a:9100\"} \(value) \(t)\n"
            out += "up{job=\"api\",instance=\"b:9100\"} 1 \(t)\n"
        }
        return out + "# EOF\n"
    }

    static func lines(_ data: Data) throws -> [[String: Any]] {
        try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func aTargetDownFiresAfterItsWaitLinksItsRunbookAndClears() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let metrics = dir.appendingPathComponent("up.om")
        try Self.upDownUp().write(to: metrics, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("bw.yaml")
        try "services:\n  - name: api\n".write(to: config, atomically: true, encoding: .utf8)

        let result = try ProcessRunner.burnwatch(["eval", "--config", config.path, "--metrics", metrics.path,
                                                  "--from", "\(Self.start + 540)", "--to", "\(Self.start + 1140)", "--every", "15s"])
        #expect(result.status == 0, "a warning does not page: \(result.stderrText)")
        let rounds = try Self.lines(result.stdout)
        #expect(rounds.count == 41)
        func signal(_ r: [String: Any]) -> [String: Any]? {
            (r["signals"] as? [[String: Any]])?.first { $0["kind"] as? String == "scrape_failure" }
        }
        let firing = rounds.filter { signal($0) != nil }.map { $0["at"] as! Int - Self.start }
        // Down from 600 s; the 30 s wait passes at 630 s. Up again at 900 s; clears at 930 s.
        #expect(firing.first == 630, "fired at \(firing)")
        #expect(firing.last == 915)
        let s = try #require(signal(rounds[10]))
        #expect(s["severity"] as? String == "warning")
        #expect(s["service"] as? String == "api")
        #expect(s["since"] as? Int == Self.start + 600, "since is when the condition began")
        #expect(s["resolved_at"] is NSNull)
        #expect((s["runbooks"] as? [String])?.first == "observability.md#targets-down-or-not-scraped")
        let evidence = try #require(s["evidence"] as? [String: Any])
        #expect(evidence["targets_down"] as? Int == 1 && evidence["targets"] as? Int == 2)
        #expect(evidence["log_sources_failing"] is NSNull, "no log sources in eval: no data, not 0")
        #expect((s["summary"] as? String)?.contains("1 of 2 targets down (a:9100)") == true)

        let text = try ProcessRunner.burnwatch(["eval", "--config", config.path, "--metrics", metrics.path,
                                                "--at", "\(Self.start + 700)", "--format", "text"])
        #expect(text.stdoutText.contains("WARNING scrape_failure api"), "\(text.stdoutText)")
        #expect(text.stdoutText.contains("runbooks: observability.md#targets-down-or-not-scraped"))
    }

    @Test func theConfigChangesAWaitOrTurnsAKindOff() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let metrics = dir.appendingPathComponent("up.om")
        try Self.upDownUp().write(to: metrics, atomically: true, encoding: .utf8)
        let off = dir.appendingPathComponent("off.yaml")
        try "services:\n  - name: api\n    signals:\n      scrape_failure: {enabled: false}\n".write(to: off, atomically: true, encoding: .utf8)
        let r = try ProcessRunner.burnwatch(["eval", "--config", off.path, "--metrics", metrics.path, "--at", "\(Self.start + 700)"])
        #expect((try Self.lines(r.stdout).first?["signals"] as? [Any])?.isEmpty == true, "\(r.stdoutText)")

        let paging = dir.appendingPathComponent("page.yaml")
        try "services:\n  - name: api\n    signals:\n      scrape_failure: {page: 1, for: 0s}\n".write(to: paging, atomically: true, encoding: .utf8)
        let p = try ProcessRunner.burnwatch(["eval", "--config", paging.path, "--metrics", metrics.path, "--at", "\(Self.start + 600)"])
        #expect(p.status == 2, "a page signal exits 2: \(p.stdoutText)")
        let s = try #require((try Self.lines(p.stdout).first?["signals"] as? [[String: Any]])?.first)
        #expect(s["severity"] as? String == "page")
    }

    /// Healthy real servers' bodies and logs raise nothing above `info`. (HAProxy's fixtures were
    /// taken while its backends failed and retried, so they are not healthy and are left out.)
    @Test func healthyRealFixturesRaiseNothingAboveInfo() throws {
        let fixtures = TestPaths.sharedFixtures
        var args = ["eval"]
        for name in ["node_exporter", "prometheus", "caddy"] {
            args += ["--metrics", fixtures.appendingPathComponent("exposition/\(name).txt").path]
        }
        for name in ["caddy.jsonl", "prometheus.json.log", "prometheus.logfmt.log", "node_exporter.json.log"] {
            args += ["--logs", fixtures.appendingPathComponent("logs/\(name)").path]
        }
        let r = try ProcessRunner.burnwatch(args)
        #expect(r.status == 0, "\(r.stderrText)")
        let signals = try #require(try Self.lines(r.stdout).first?["signals"] as? [[String: Any]])
        let loud = signals.filter { $0["severity"] as? String != "info" }
        #expect(loud.isEmpty, "\(loud)")
    }
}
