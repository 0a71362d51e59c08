import BurnwatchTestSupport
import Foundation
import Testing

/// The real console against a real HAProxy with L7 retries in front of two lab backends with
/// bounded worker pools, under bounded closed-loop load: a backend answering 503 makes HAProxy
/// retry half the requests (retry_storm), slow backends fill the pools and HAProxy's queue
/// (saturation), and each clears when the cause goes. No detector is told about this setup:
/// only the built-in knowledge of HAProxy's exporter and of worker-pool metric names.
@Suite(.serialized) struct RetryStormLabTmuxTests {
    static func row(_ screen: String, _ kind: String) -> String? {
        screen.split(separator: "\n").first { $0.contains(kind) && $0.contains("orders-api") }.map(String.init)
    }

    static func active(_ screen: String, _ kind: String, _ severities: [String]) -> Bool {
        guard let row = row(screen, kind) else { return false }
        return severities.contains { row.hasPrefix($0) }
    }

    @Test func retryStormThenSaturationThenRecovery() throws {
        let a = try LabBackend(name: "a"), b = try LabBackend(name: "b")
        defer { a.stop(); b.stop() }
        let haproxy = try HAProxyProcess(backends: [a.port, b.port], maxconn: 4)
        defer { haproxy.stop() }
        let load = LabLoad(port: haproxy.frontendPort, clients: 12, perClient: 4)
        defer { load.stop() }

        let dir = try TestPaths.makeTemporaryDirectory("burnwatch-retry-lab")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("burnwatch.yaml").path
        try """
            services:
              - name: orders-api
                targets:
                  - {url: "\(haproxy.metricsURL)", interval: 1s, timeout: 1s}
                  - {url: "http://127.0.0.1:\(a.port)/metrics", interval: 1s, timeout: 1s}
                  - {url: "http://127.0.0.1:\(b.port)/metrics", interval: 1s, timeout: 1s}
                signals:
                  retry_storm: {for: 10s}
                  saturation: {for: 10s}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let journal = dir.appendingPathComponent("journal.sqlite").path
        let command = ["env", "LANG=C.UTF-8", "TERM=xterm-256color", TestPaths.binary.path, "watch", "--config", config, "--journal", journal]
        let console = try ConsoleTmuxSession(command: command.map { "'" + $0 + "'" }.joined(separator: " "), width: 160, height: 40)
        defer { console.stop() }

        // No SLO: metrics first, signals second. Healthy traffic raises nothing.
        #expect(console.waitFor(timeout: 20) { $0.contains("TARGETS  3/3 up") }.matched, "\(console.capture())")
        console.send("2")
        #expect(console.waitFor(timeout: 20) { $0.contains("none active") }.matched, "\(console.capture())")

        // Backend a's dependency fails: it answers 503 at once, HAProxy retries on b.
        a.set(.failing)
        let storm = console.waitFor(timeout: 60) { Self.active($0, "retry_storm", ["PAGE"]) }
        #expect(storm.matched, "no retry_storm page:\n\(storm.screen)\nload: \(load.statuses)")
        let stormRow = Self.row(storm.screen, "retry_storm") ?? ""
        #expect(stormRow.contains("retr"), "\(stormRow)")
        print("lab storm: \(stormRow)")

        // Its evidence names HAProxy's retry counter; Enter opens the runbook section.
        console.send(":signal retry_storm orders-api", "Enter")
        let evidence = console.waitFor(timeout: 10) { $0.contains("haproxy_backend_retry_warnings_total") }
        #expect(evidence.matched, "no evidence:\n\(evidence.screen)")
        console.send("Enter")
        let runbook = console.waitFor(timeout: 10) { $0.contains("runbook reliability.md#retry-storms") }
        #expect(runbook.matched, "runbook not opened:\n\(runbook.screen)")
        console.send("2")

        // a recovers, both slow down: the pools fill and HAProxy queues; the storm clears.
        a.set(.slow(milliseconds: 400))
        b.set(.slow(milliseconds: 400))
        let saturated = console.waitFor(timeout: 60) { Self.active($0, "saturation", ["WARNING", "PAGE"]) }
        #expect(saturated.matched, "no saturation:\n\(saturated.screen)\nload: \(load.statuses)")
        print("lab saturation: \(Self.row(saturated.screen, "saturation") ?? "")")
        let cleared = console.waitFor(timeout: 120) { screen in
            Self.row(screen, "retry_storm")?.hasPrefix("resolved") == true
        }
        #expect(cleared.matched, "retry_storm never resolved:\n\(cleared.screen)")

        // Recovery: saturation resolves too.
        a.set(.healthy)
        b.set(.healthy)
        let recovered = console.waitFor(timeout: 60) { Self.row($0, "saturation")?.hasPrefix("resolved") == true }
        #expect(recovered.matched, "saturation never resolved:\n\(recovered.screen)")
        console.send("q")

        // The journal has the timeline: both fired and resolved.
        let sqlite = try #require(TestPaths.which("sqlite3"), "sqlite3 is not installed (make deps)")
        let lines = try ProcessRunner.run(sqlite, [journal, "select text from journal_entry order by at_ms"]).stdoutText
        for expected in ["signal retry_storm fired on orders-api", "signal saturation fired on orders-api",
                         "signal retry_storm resolved on orders-api", "signal saturation resolved on orders-api"] {
            #expect(lines.contains(expected), "journal lacks \(expected):\n\(lines)")
        }
        print("lab journal:\n\(lines)\nlab load: \(load.statuses)")
    }
}
