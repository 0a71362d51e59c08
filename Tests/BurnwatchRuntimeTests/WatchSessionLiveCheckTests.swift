import BurnwatchConfig
import BurnwatchCore
import BurnwatchRunbooks
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import BurnwatchUI
import Foundation
import Testing

/// Client counters whose retry count jumps when `storm` is set.
private final class ClientCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    private var extraRetries = 0
    func startStorm() { lock.lock(); extraRetries = 100_000; lock.unlock() }
    func body() -> [UInt8] {
        lock.lock(); n += 1; let k = n; let extra = extraRetries; lock.unlock()
        return Array("""
            http_client_requests_total{peer="db"} \(k * 100)
            http_client_retries_total{peer="db"} \(k + extra)

            """.utf8)
    }
}

@Suite struct WatchSessionLiveCheckTests {
    @Test func evaluatesTheRequestedChecksOnTheEmbeddedEngineAndSeesThemFail() throws {
        let counters = ClientCounters()
        let server = try LoopbackHTTPServer { _ in .ok(counters.body()) }
        defer { server.stop() }
        let config = BurnwatchConfiguration(file: "test.yaml", services: [
            ServiceConfig(name: "api", targets: [ScrapeTargetConfig(url: server.url(), interval: Interval(milliseconds: 100),
                                                                    timeout: Interval(milliseconds: 1000))]),
        ])
        var options = WatchSession.Options()
        options.evaluationInterval = Interval(milliseconds: 100)
        options.liveCheckInterval = Interval(milliseconds: 100)
        let session = try WatchSession(config: config, slos: [], options: options)
        let channel = try EventChannel<AppEvent>(capacity: 10_000)
        session.start(channel: channel)
        defer { session.stop() }
        let ratio = LiveCheck(expression: "sum(rate(http_client_retries_total[1m])) / sum(rate(http_client_requests_total[1m]))",
                              comparison: .less, threshold: 0.1)
        let missing = LiveCheck(expression: "max(outbox_oldest_unpublished_age_seconds)", comparison: .less, threshold: 60)
        #expect(session.handle(LiveCheckEffects.request([LiveCheckRequest(itemID: "a", check: ratio),
                                                         LiveCheckRequest(itemID: "b", check: missing)])))

        var sawPass = false, sawFail = false, sawNoData = false, stormStarted = false
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !(sawPass && sawFail && sawNoData) {
            for stamped in channel.receiveAll() {
                guard case .external(let event) = stamped.event, let results = event as? LiveCheckResultsEvent else { continue }
                if case .pass = results.results["a"], !stormStarted { sawPass = true }
                if case .fail = results.results["a"], stormStarted { sawFail = true }
                if results.results["b"] == .noData { sawNoData = true }
            }
            if sawPass, !stormStarted { counters.startStorm(); stormStarted = true }
            usleep(50_000)
        }
        #expect(sawPass)
        #expect(sawFail)
        #expect(sawNoData)
    }

    @Test func schedulerMakesOnePassPerIntervalWithinTheBudgetPerSecond() {
        var scheduler = LiveCheckScheduler(intervalMilliseconds: 5_000, perSecond: 3)
        let requests = (0..<5).map { LiveCheckRequest(itemID: "i\($0)", check: LiveCheck(expression: "x", comparison: .less, threshold: 1)) }
        #expect(scheduler.take(now: 0).isEmpty)
        scheduler.replace(requests, now: 1_000)
        #expect(scheduler.take(now: 1_000).map(\.itemID) == ["i0", "i1", "i2"])
        #expect(scheduler.take(now: 1_500).isEmpty)  // budget of this second spent
        #expect(scheduler.take(now: 2_000).map(\.itemID) == ["i3", "i4"])
        #expect(scheduler.take(now: 3_000).isEmpty)  // pass done; next one at 6_000
        #expect(scheduler.take(now: 6_000).map(\.itemID) == ["i0", "i1", "i2"])
        scheduler.replace(Array(requests.prefix(1)), now: 6_100)
        #expect(scheduler.take(now: 6_100).isEmpty)  // a new document starts at once, but within the budget
        #expect(scheduler.take(now: 7_000).map(\.itemID) == ["i0"])
        scheduler.replace([], now: 7_100)
        #expect(scheduler.take(now: 20_000).isEmpty)
    }
}
