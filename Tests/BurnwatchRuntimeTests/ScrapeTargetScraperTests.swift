import BurnwatchConfig
import BurnwatchCore
import BurnwatchParsing
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import Foundation
import Testing

let textBody = Array("""
# HELP requests_total Requests.
# TYPE requests_total counter
requests_total{code="200",job="inner",instance="a:1"} 10
requests_total{code="500"} 2
# TYPE temperature gauge
temperature 21.5

""".utf8)

let openMetricsBody = Array("""
# TYPE requests counter
requests_total{code="200"} 10.0 # {trace_id="t1"} 1.0
requests_created{code="200"} 1700000000.0
# EOF

""".utf8)

/// Compresses with the system gzip (the test only; the scraper uses libcurl's decoder).
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let result = try ProcessRunner.run("/bin/gzip", ["-c"], input: Data(bytes), timeout: 20)
    return Array(result.stdout)
}

func scrapeOnce(_ target: ScrapeTarget, at ms: Int64 = 1_700_000_000_000) -> ScrapeResult {
    TargetScraper(target: target).scrape(at: Timestamp(milliseconds: ms))
}

@Suite struct ScrapeTargetScraperTests {
    @Test func textBodyGetsJobInstanceAndHealthSeries() throws {
        let server = try LoopbackHTTPServer { _ in .ok(textBody) }
        defer { server.stop() }
        let target = ScrapeTarget(url: server.url(), job: "api", intervalSeconds: 5, timeoutSeconds: 2)
        let result = scrapeOnce(target)
        #expect(result.failure == nil, "\(String(describing: result.failure))")
        #expect(result.format == .prometheusText && result.status == 200)
        let instance = "127.0.0.1:\(server.port)"
        #expect(target.instance == instance)
        #expect(result.points.map(\.labels) == [
            Labels(["__name__": "requests_total", "code": "200", "exported_job": "inner", "exported_instance": "a:1", "job": "api", "instance": instance]),
            Labels(["__name__": "requests_total", "code": "500", "job": "api", "instance": instance]),
            Labels(["__name__": "temperature", "job": "api", "instance": instance]),
        ])
        #expect(result.points.map(\.value) == [10, 2, 21.5])
        let health = Dictionary(uniqueKeysWithValues: result.health.map { ($0.labels.metricName ?? "", $0) })
        #expect(health["up"]?.value == 1)
        #expect(health["scrape_samples_scraped"]?.value == 3)
        #expect(health["scrape_samples_post_metric_relabeling"]?.value == 3)
        #expect(health["scrape_series_added"]?.value == 3)
        #expect(health["scrape_duration_seconds"].map { $0.value > 0 && $0.value < 2 } == true)
        #expect(health["up"]?.labels == Labels(["__name__": "up", "job": "api", "instance": instance]))
        #expect(health["up"]?.timestamp == Timestamp(milliseconds: 1_700_000_000_000))
    }

    @Test func configuredTargetLabelsWinOverScrapedOnes() throws {
        let server = try LoopbackHTTPServer { _ in .ok(Array("m{env=\"scraped\",zone=\"\",x=\"1\"} 1\n".utf8)) }
        defer { server.stop() }
        let config = ScrapeTargetConfig(url: server.url(), interval: Interval(milliseconds: 5000), timeout: Interval(milliseconds: 2000),
                                        labels: ["env": "prod", "instance": "api-1"])
        let target = ScrapeTarget(config: config, job: "checkout")
        #expect(target.intervalSeconds == 5 && target.timeoutSeconds == 2 && target.instance == "api-1")
        let result = scrapeOnce(target)
        #expect(result.points.first?.labels == Labels(["__name__": "m", "exported_env": "scraped", "x": "1", "env": "prod",
                                                        "job": "checkout", "instance": "api-1"]))
        #expect(result.health.first?.labels == Labels(["__name__": "up", "env": "prod", "job": "checkout", "instance": "api-1"]))
    }

    @Test func acceptNegotiatesOpenMetricsAndGzipIsDecoded() throws {
        let compressed = try gzip(openMetricsBody)
        let seen = RequestLog()
        let server = try LoopbackHTTPServer { request in
            seen.add(request)
            let wantsOM = request.headers["accept"]?.contains("application/openmetrics-text") == true
            let gz = request.headers["accept-encoding"]?.contains("gzip") == true
            guard wantsOM, gz else { return .ok(textBody) }
            return .respond(status: 200, headers: [("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8"),
                                                   ("Content-Encoding", "gzip")], body: compressed)
        }
        defer { server.stop() }
        let result = scrapeOnce(ScrapeTarget(url: server.url(), job: "om", intervalSeconds: 5, timeoutSeconds: 2))
        #expect(result.failure == nil)
        #expect(result.format == .openMetrics)
        #expect(result.body == openMetricsBody)
        #expect(result.parseErrors.isEmpty, "\(result.parseErrors)")
        #expect(result.points.map { $0.labels.metricName ?? "" } == ["requests_total", "requests_created"])
        #expect(seen.first?.headers["accept"] == "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1")
        #expect(seen.first?.headers["x-prometheus-scrape-timeout-seconds"] == "2.0")
    }

    @Test func failuresAreClearPerTargetErrors() throws {
        let html = Array("<!doctype html><html><body>Login</body></html>".utf8)
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/hang": return .hang
            case "/html": return .respond(status: 200, headers: [("Content-Type", "text/html; charset=utf-8")], body: html)
            case "/html-untyped": return .respond(status: 200, headers: [], body: html)
            case "/500": return .respond(status: 500, headers: [], body: Array("internal error\n".utf8))
            case "/cut": return .closeMidBody(declaredLength: 10_000, body: Array("a 1\nb 2\nc".utf8))
            case "/huge": return .ok([UInt8](repeating: UInt8(ascii: "#"), count: 3 << 20))
            case "/json": return .ok(Array(#"{"status":"ok"}"#.utf8), contentType: "application/json")
            default: return .ok(textBody)
            }
        }
        defer { server.stop() }
        func failure(_ path: String, timeout: Double = 2, maxBody: Int = 50 << 20) -> String {
            var target = ScrapeTarget(url: server.url(path), job: "j", intervalSeconds: 5, timeoutSeconds: timeout)
            target.maxBodyBytes = maxBody
            let result = scrapeOnce(target)
            #expect(result.health.first { $0.labels.metricName == "up" }?.value == 0, "\(path)")
            #expect(result.samples.isEmpty)
            #expect(result.failure?.position?.source == server.url(path))
            return result.failure?.message ?? "no failure"
        }
        #expect(failure("/hang", timeout: 0.5) == "scrape failed: timed out after 0.5 s")
        #expect(failure("/html").contains("answered HTML (Content-Type text/html"))
        #expect(failure("/html-untyped").contains("answered HTML"))
        // A 200 without one sample and with bad lines is no exposition: the target is down, not up and empty.
        #expect(failure("/json").hasPrefix("scrape failed: the body is not Prometheus exposition (1 bad line(s); first at line 1: "))
        #expect(failure("/500") == "scrape failed: HTTP 500: internal error")
        #expect(failure("/cut").hasPrefix("scrape failed: connection closed mid-body"))
        #expect(failure("/huge", maxBody: 1 << 20) == "scrape failed: body larger than the limit of 1048576 bytes; transfer aborted")
        let closedPort = FreePort.next()
        let refused = scrapeOnce(ScrapeTarget(url: "http://127.0.0.1:\(closedPort)/metrics", job: "j", intervalSeconds: 5, timeoutSeconds: 2))
        #expect(refused.failure?.message == "scrape failed: connection refused")
        #expect(refused.failure?.description == "http://127.0.0.1:\(closedPort)/metrics: scrape failed: connection refused")
        let unresolved = scrapeOnce(ScrapeTarget(url: "http://no-such-host.invalid:9100/metrics", job: "j", intervalSeconds: 5, timeoutSeconds: 3))
        #expect(unresolved.failure?.message == "scrape failed: host name 'no-such-host.invalid' does not resolve")
        // The server is still fine for the next target: one bad target stops nothing.
        #expect(scrapeOnce(ScrapeTarget(url: server.url(), job: "j", intervalSeconds: 5, timeoutSeconds: 2)).isUp)
    }

    @Test func invalidUTF8AndBadLinesKeepTheRestOfTheBody() throws {
        let body = Array("good 1\nbad{x=\"".utf8) + [0xFF, 0xFE] + Array("\"} 2\nalso_good 3\n".utf8) + Array("garbage here\n".utf8)
        let server = try LoopbackHTTPServer { _ in .ok(body) }
        defer { server.stop() }
        let result = scrapeOnce(ScrapeTarget(url: server.url(), job: "j", intervalSeconds: 5, timeoutSeconds: 2))
        #expect(result.isUp)
        #expect(result.points.map { $0.labels.metricName ?? "" } == ["good", "also_good"])
        #expect(result.parseErrors.map(\.description) == [
            "\(server.url()):2:8: invalid UTF-8 in label value",
            "\(server.url()):4:9: invalid value 'here'",
        ])
    }

    @Test func stalenessReportsVanishedSeriesAndTargetDown() throws {
        let state = Counter()
        let server = try LoopbackHTTPServer { _ in
            switch state.next() {
            case 0: return .ok(Array("a 1\nb 2\nc 3\n".utf8))
            case 1: return .ok(Array("a 1\nc 3\nd 4\n".utf8))
            default: return .respond(status: 503, headers: [], body: [])
            }
        }
        defer { server.stop() }
        let scraper = TargetScraper(target: ScrapeTarget(url: server.url(), job: "j", intervalSeconds: 5, timeoutSeconds: 2))
        var book = ScrapeSlotBook()
        let first = book.read(scraper.scrape(at: Timestamp(milliseconds: 1000)))
        #expect(first.vanished.isEmpty)
        let secondResult = scraper.scrape(at: Timestamp(milliseconds: 6000))
        let second = book.read(secondResult)
        #expect(second.vanished.compactMap(\.metricName) == ["b"])
        #expect(second.points.compactMap(\.labels.metricName) == ["a", "c", "d"])
        #expect(secondResult.newSeries.compactMap(\.labels.metricName) == ["d"])
        #expect(secondResult.health.first { $0.labels.metricName == "scrape_series_added" }?.value == 1)
        let thirdResult = scraper.scrape(at: Timestamp(milliseconds: 11000))
        let third = book.read(thirdResult)
        #expect(!thirdResult.isUp && thirdResult.consecutiveFailures == 1)
        #expect(Set(third.vanished.compactMap(\.metricName)) == ["a", "c", "d"])
        let fourth = scraper.scrape(at: Timestamp(milliseconds: 16000))
        #expect(fourth.vanished.isEmpty && fourth.consecutiveFailures == 2)
    }

    @Test func bearerTokenFileIsReReadAndBasicAuthIsSent() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokenFile = dir.appendingPathComponent("token")
        try "first-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let seen = RequestLog()
        let server = try LoopbackHTTPServer { request in seen.add(request); return .ok(textBody) }
        defer { server.stop() }
        var target = ScrapeTarget(url: server.url(), job: "j", intervalSeconds: 5, timeoutSeconds: 2)
        target.auth.bearerTokenFile = tokenFile.path
        let scraper = TargetScraper(target: target)
        _ = scraper.scrape(at: Timestamp(milliseconds: 0))
        try "second-token".write(to: tokenFile, atomically: true, encoding: .utf8)
        _ = scraper.scrape(at: Timestamp(milliseconds: 5000))
        #expect(seen.all.map { $0.headers["authorization"] ?? "" } == ["Bearer first-token", "Bearer second-token"])
        try FileManager.default.removeItem(at: tokenFile)
        let missing = scraper.scrape(at: Timestamp(milliseconds: 10000))
        #expect(missing.failure?.message.hasPrefix("scrape failed: cannot read \(tokenFile.path)") == true)

        var basic = ScrapeTarget(url: server.url(), job: "j", intervalSeconds: 5, timeoutSeconds: 2)
        basic.auth.basicUser = "alice"
        basic.auth.basicPassword = "s3cret"
        _ = scrapeOnce(basic)
        #expect(seen.all.last?.headers["authorization"] == "Basic " + Data("alice:s3cret".utf8).base64EncodedString())
    }

    @Test func realNodeExporter() throws {
        let port = FreePort.next()
        let node = try ChildProcess(try #require(TestPaths.which("prometheus-node-exporter")),
                                    ["--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults", "--collector.loadavg",
                                     "--collector.meminfo", "--collector.uname"])
        defer { node.stop() }
        #expect(FreePort.waitUntilListening(port))
        let scraper = TargetScraper(target: ScrapeTarget(url: "http://127.0.0.1:\(port)/metrics", job: "node", intervalSeconds: 5, timeoutSeconds: 5))
        let result = scraper.scrape(at: Timestamp(milliseconds: 0))
        #expect(result.isUp, "\(String(describing: result.failure))")
        #expect(result.parseErrors.isEmpty, "\(result.parseErrors.prefix(3))")
        #expect(result.points.contains { $0.labels.metricName == "node_load1" && $0.labels["job"] == "node" })
        #expect(result.points.contains { $0.labels.metricName == "node_uname_info" && $0.value == 1 })
        let again = scraper.scrape(at: Timestamp(milliseconds: 5000))
        #expect(again.isUp && again.vanished.isEmpty && again.newSeries.isEmpty && again.samples.count == result.samples.count)
        #expect(again.health.first { $0.labels.metricName == "scrape_series_added" }?.value == 0)
    }
}

/// Requests seen by a test server, shared with its threads.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [LoopbackHTTPServer.Request] = []
    func add(_ r: LoopbackHTTPServer.Request) { lock.lock(); requests.append(r); lock.unlock() }
    var all: [LoopbackHTTPServer.Request] { lock.lock(); defer { lock.unlock() }; return requests }
    var first: LoopbackHTTPServer.Request? { all.first }
}

/// A thread-safe counter: 0, 1, 2, ...
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.lock(); defer { n += 1; lock.unlock() }; return n }
}
