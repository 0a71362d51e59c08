import BurnwatchConfig
import BurnwatchCore
import BurnwatchTestSupport
import Foundation
import Testing

@Suite struct ConfigLoaderTests {
    func example(_ path: String) throws -> (String, String) {
        let url = TestPaths.packageRoot.appendingPathComponent("Examples/\(path)")
        return (try String(contentsOf: url, encoding: .utf8), url.path)
    }

    @Test func theExampleConfigLoads() throws {
        let (text, file) = try example("burnwatch.yaml")
        let config = try ConfigLoader.parse(text, file: file)
        #expect(config.services.map(\.name) == ["checkout", "node", "payments", "search"])
        #expect(config.services[0].targets.map(\.url) == ["http://127.0.0.1:8080/metrics", "http://127.0.0.1:8081/metrics"])
        #expect(config.services[0].targets[1].interval == Interval.parse("15s"))
        #expect(config.logSources.count == 2)
        #expect(config.logSources[1].kind == .command(["kubectl", "logs", "-f", "deploy/checkout"]))
        #expect(config.slos.map(\.name) == ["requests-availability", "requests-latency", "outbox-delivery"])
        let availability = config.slos[0]
        #expect(availability.objective == 0.999 && availability.minEvents == 100)
        #expect(availability.period == .rolling(Interval.parse("30d")!))
        #expect(config.slos[1].indicator == .latency(histogram: "http_request_duration_seconds", matchers: "job=\"checkout\"", threshold: 0.5))
        #expect(config.slos[1].period == .rolling(Interval.parse("28d")!))
        #expect(config.slos[2].period == .calendarMonth && !config.slos[2].pageAlertsEnabled && config.slos[2].ticketAlertsEnabled)
        #expect(config.sloFiles.allSatisfy { $0.hasPrefix(URL(fileURLWithPath: file).deletingLastPathComponent().path) })
        // the SLO files it names load too
        for path in config.sloFiles {
            #expect(try !SLOFileImporter.parse(String(contentsOfFile: path, encoding: .utf8), file: path).isEmpty)
        }
    }

    @Test func theRemoteExampleUsesAQueryAPI() throws {
        let (text, file) = try example("remote.yaml")
        let config = try ConfigLoader.parse(text, file: file)
        #expect(config.services[0].queryAPI?.url == "http://127.0.0.1:9090")
        #expect(config.services[0].targets.isEmpty)
    }

    @Test func theSlothExampleImports() throws {
        let (text, file) = try example("slos/sloth-payments.yaml")
        let slos = try SLOFileImporter.parse(text, file: file)
        #expect(slos.map(\.service) == ["payments", "payments"])
        #expect(slos.map(\.objective) == [0.999, 0.99])
        #expect(slos[0].indicator == .events(errorQuery: "sum(rate(http_requests_total{job=\"payments\",code=~\"(5..|429)\"}[{{.window}}]))",
                                             totalQuery: "sum(rate(http_requests_total{job=\"payments\"}[{{.window}}]))"))
        guard case .raw(let q) = slos[1].indicator else { Issue.record("expected a raw SLI"); return }
        #expect(q.contains("result=\"error\""))
        #expect(!slos[1].pageAlertsEnabled)
        #expect(slos[0].origin?.line == 7)
    }

    @Test func theOpenSLOExampleImports() throws {
        let (text, file) = try example("slos/openslo-search.yaml")
        let slos = try SLOFileImporter.parse(text, file: file)
        #expect(slos.map(\.name) == ["search-availability", "search-good-ratio"])
        #expect(slos.map(\.objective) == [0.995, 0.99])
        #expect(slos.map(\.period) == [.rolling(Interval.parse("28d")!), .rolling(Interval.parse("7d")!)])
        #expect(slos[0].indicator == .events(errorQuery: "sum(rate(http_requests_total{job=\"search\",code=~\"5..\"}[{{.window}}]))",
                                             totalQuery: "sum(rate(http_requests_total{job=\"search\"}[{{.window}}]))"))
        guard case .events(let e, _) = slos[1].indicator else { Issue.record("expected an events SLI"); return }
        #expect(e == "(sum(rate(http_requests_total{job=\"search\"}[{{.window}}]))) - (sum(rate(http_requests_total{job=\"search\",code!~\"5..\"}[{{.window}}])))")
    }

    @Test func locatorPrefersTheFlagThenTheFolderThenXDG() {
        #expect(ConfigLocator.locate(explicit: "x.yaml", environment: [:], exists: { _ in false }) == "x.yaml")
        let env = ["XDG_CONFIG_HOME": "/xdg", "HOME": "/home/u"]
        #expect(ConfigLocator.candidates(explicit: nil, environment: env) == ["burnwatch.yaml", "/xdg/burnwatch/config.yaml"])
        #expect(ConfigLocator.locate(explicit: nil, environment: env, exists: { $0.hasPrefix("/xdg") }) == "/xdg/burnwatch/config.yaml")
        #expect(ConfigLocator.candidates(explicit: nil, environment: ["HOME": "/home/u"]).last == "/home/u/.config/burnwatch/config.yaml")
        #expect(ConfigLocator.locate(explicit: nil, environment: env, exists: { _ in false }) == nil)
    }
}
