import BurnwatchTestSupport
import Foundation
import Testing

/// Client counters a test server serves: every scrape adds 100 requests and 1 retry to peer "db";
/// `startRetryStorm()` makes the retry counter jump.
final class ClientRetryCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var retries = 0
    private var retriesPerScrape = 1

    func startRetryStorm() { lock.lock(); retriesPerScrape = 500; lock.unlock() }

    /// The next exposition body (text 0.0.4).
    func nextBody() -> [UInt8] {
        lock.lock()
        requests += 100
        retries += retriesPerScrape
        let body = """
            # TYPE http_client_requests_total counter
            http_client_requests_total{peer="db"} \(requests)
            # TYPE http_client_retries_total counter
            http_client_retries_total{peer="db"} \(retries)

            """
        lock.unlock()
        return Array(body.utf8)
    }
}

/// `burnwatch watch` in tmux with a team runbook whose checklist item has a live check on the
/// scraped client counters: the item shows ✓, then ✗ once the served retry counter jumps.
@Suite(.serialized) struct LiveCheckEndToEndTests {
    static let runbook = """
        # Client calls

        ## Retry storms

        - [ ] Retries stay under 10% of calls <!-- burnwatch:check sum by (peer) (rate(http_client_retries_total[30s])) / sum by (peer) (rate(http_client_requests_total[30s])) < 0.1 -->
        - [ ] Every retry loop has a budget

        """

    static func line(_ screen: String, containing text: String) -> String? {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init)
    }

    @Test func checkTurnsFromPassToFailWhenRetriesJump() throws {
        let counters = ClientRetryCounters()
        let server = try LoopbackHTTPServer { _ in .ok(counters.nextBody()) }
        defer { server.stop() }
        let dir = try TestPaths.makeTemporaryDirectory("burnwatch-livecheck")
        defer { try? FileManager.default.removeItem(at: dir) }
        let runbooks = dir.appendingPathComponent("runbooks")
        try FileManager.default.createDirectory(at: runbooks, withIntermediateDirectories: true)
        try Self.runbook.write(to: runbooks.appendingPathComponent("client-calls.md"), atomically: true, encoding: .utf8)
        let configPath = dir.appendingPathComponent("burnwatch.yaml").path
        try """
            services:
              - name: api
                targets:
                  - url: \(server.url())
                    interval: 1s
                    timeout: 1s
            """.write(toFile: configPath, atomically: true, encoding: .utf8)

        let command = ["env", "LANG=C.UTF-8", "TERM=xterm-256color", TestPaths.binary.path, "watch", "--config", configPath,
                       "--runbooks", runbooks.path, "--journal", dir.appendingPathComponent("journal.sqlite").path]
        let console = try ConsoleTmuxSession(command: command.map { "'" + $0 + "'" }.joined(separator: " "))
        defer { console.stop() }

        // No SLOs: the metrics screen comes first, then signals, then the runbooks.
        let metrics = console.waitFor(timeout: 20) { $0.contains("TARGETS") }
        #expect(metrics.matched, "metrics screen not shown:\n\(metrics.screen)")
        console.send("3")
        #expect(console.waitFor(timeout: 10) { $0.contains("README.md") }.matched)
        console.send(":open client-calls.md#retry-storms", "Enter")

        let pass = console.waitFor(timeout: 30) { screen in
            Self.line(screen, containing: "Retries stay under 10%")?.contains("✓ 0.01 < 0.1") == true
        }
        #expect(pass.matched, "check never passed:\n\(pass.screen)")
        #expect(Self.line(pass.screen, containing: "retry loop has a budget")?.contains("✓") == false)

        counters.startRetryStorm()
        let fail = console.waitFor(timeout: 30) { screen in
            Self.line(screen, containing: "Retries stay under 10%")?.contains("✗") == true
        }
        #expect(fail.matched, "check never failed:\n\(fail.screen)")
        #expect(Self.line(fail.screen, containing: "Retries stay under 10%")?.contains("(peer=\"db\")") == true)

        // The evidence names the expression and the failing series.
        console.send("c", "e")
        let evidence = console.waitFor(timeout: 10) { $0.contains("check: sum by (peer)") && $0.contains("series fail") }
        #expect(evidence.matched, "no evidence:\n\(evidence.screen)")
        console.send("q")
    }
}
