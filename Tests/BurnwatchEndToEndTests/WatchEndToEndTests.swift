import BurnwatchTestSupport
import Foundation
import Testing

/// `burnwatch watch` in tmux against a real node_exporter and a test server whose error counters
/// change: the metrics screen shows both targets up, the SLO overview shows ok, then PAGE.
@Suite(.serialized) struct WatchEndToEndTests {
    /// The line of the screen that mentions `text`, if any.
    static func line(_ screen: String, containing text: String) -> String? {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init)
    }

    static func config(apiURL: String, nodeURL: String) -> String {
        """
        services:
          - name: api
            targets:
              - url: \(apiURL)
                interval: 1s
                timeout: 1s
          - name: node
            targets:
              - url: \(nodeURL)
                interval: 1s
                timeout: 1s
        slos:
          - service: api
            name: availability
            objective: 99
            sli:
              events:
                error_query: sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))
                total_query: sum(rate(http_requests_total{job="api"}[{{.window}}]))
          - service: node
            name: scrapes-up
            objective: 99.9
            sli:
              raw:
                error_ratio_query: 1 - avg(avg_over_time(up{job="node"}[{{.window}}]))
        """
    }

    @Test func metricsShowBothTargetsAndTheSLOGoesFromOkToPage() throws {
        let counters = ChangingCounters()
        let server = try LoopbackHTTPServer { _ in .ok(counters.nextBody()) }
        defer { server.stop() }
        let node = try NodeExporterProcess()
        defer { node.stop() }
        let dir = try TestPaths.makeTemporaryDirectory("burnwatch-watch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let configPath = dir.appendingPathComponent("burnwatch.yaml").path
        try Self.config(apiURL: server.url(), nodeURL: "http://127.0.0.1:\(node.port)/metrics")
            .write(toFile: configPath, atomically: true, encoding: .utf8)

        let command = ["env", "LANG=C.UTF-8", "TERM=xterm-256color", TestPaths.binary.path, "watch", "--config", configPath,
                       "--journal", dir.appendingPathComponent("journal.sqlite").path]
        let console = try ConsoleTmuxSession(command: command.map { "'" + $0 + "'" }.joined(separator: " "))
        defer { console.stop() }

        // The SLO overview comes first; with clean counters the api SLO is ok.
        let ok = console.waitFor(timeout: 30) { screen in
            Self.line(screen, containing: "availability")?.trimmingCharacters(in: .whitespaces).hasPrefix("ok") == true
        }
        #expect(ok.matched, "api SLO never ok:\n\(ok.screen)")
        #expect(Self.line(ok.screen, containing: "scrapes-up") != nil)
        #expect(ok.screen.contains("scrape 2/2 up"))

        // The metrics screen lists both targets up.
        console.send("3")
        let metrics = console.waitFor(timeout: 20) { screen in
            let api = Self.line(screen, containing: "127.0.0.1:\(server.port)"), nodeLine = Self.line(screen, containing: "127.0.0.1:\(node.port)")
            return api?.hasPrefix("up") == true && nodeLine?.hasPrefix("up") == true && screen.contains("TARGETS  2/2 up")
        }
        #expect(metrics.matched, "targets not both up:\n\(metrics.screen)")
        // The series browser lists the scraped series (filtered to the test server's).
        console.send("/", "app_info", "Enter")
        let series = console.waitFor(timeout: 20) { $0.contains("app_info{") && $0.contains("1/") }
        #expect(series.matched, "series browser did not list app_info:\n\(series.screen)")

        // A chart of the request rate typed at the prompt.
        console.send(":chart sum(rate(http_requests_total[10s])) > 50", "Enter")
        let chart = console.waitFor(timeout: 20) { $0.contains("threshold 50") && $0.contains("now ") }
        #expect(chart.matched, "chart not drawn:\n\(chart.screen)")

        // Half of the requests fail from now on: the api SLO pages.
        console.send("1")
        counters.setErrorsPerScrape(50)
        let page = console.waitFor(timeout: 30) { screen in
            Self.line(screen, containing: "availability")?.trimmingCharacters(in: .whitespaces).hasPrefix("PAGE") == true
        }
        #expect(page.matched, "api SLO never paged:\n\(page.screen)")
        // Worst first: the paging SLO is the first row under the header.
        let rows = page.screen.split(separator: "\n").map(String.init)
        if let header = rows.firstIndex(where: { $0.hasPrefix("STATE") }), header + 1 < rows.count {
            #expect(rows[header + 1].contains("availability"))
        }

        console.send("q")
    }
}
