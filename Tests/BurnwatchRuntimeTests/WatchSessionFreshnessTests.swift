import BurnwatchConfig
import BurnwatchCore
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import BurnwatchUI
import Foundation
import Testing

/// A scrape target whose counters move on a 200 ms grid: 1,000 requests a tick, 2% failing from
/// the tick the test chooses. Each body carries the sample of the tick one second ahead, with
/// that tick's timestamp, so every sample stamped at or before an evaluation time has been
/// scraped by then; the ticks served are recorded, so the test can rebuild exactly the samples
/// the console had and run `eval`'s evaluator on them.
final class FreshnessTarget: @unchecked Sendable {
    static let tick: Int64 = 200, lead: Int64 = 1000
    private let lock = NSLock()
    private let base: Int64
    private var errorsFrom: Int64?
    private var served: Set<Int64> = []

    init() { base = Platform.now().milliseconds / Self.tick - 10 }

    /// The counters at tick `k`: (ok, failed).
    func values(_ k: Int64) -> (Double, Double) {
        let total = Double(1000 * (k - base))
        let failed = errorsFrom.map { Double(20 * max(0, k - $0)) } ?? 0
        return (total - failed, failed)
    }

    /// The body served now.
    func body() -> [UInt8] {
        let k = (Platform.now().milliseconds + Self.lead) / Self.tick
        lock.lock()
        served.insert(k)
        let (ok, failed) = values(k)
        lock.unlock()
        let t = k * Self.tick
        return Array("""
        # TYPE http_requests_total counter
        http_requests_total{code="200"} \(ok) \(t)
        http_requests_total{code="500"} \(failed) \(t)

        """.utf8)
    }

    /// Failures start with the first tick not served yet; returns its time.
    @discardableResult func startErrors() -> Timestamp {
        lock.lock(); defer { lock.unlock() }
        let k = (served.max() ?? 0) + 1
        errorsFrom = k
        return Timestamp(milliseconds: k * Self.tick)
    }

    /// The time of the first tick served.
    var firstSample: Timestamp? { lock.lock(); defer { lock.unlock() }; return served.min().map { Timestamp(milliseconds: $0 * Self.tick) } }

    /// A store holding every sample served, labelled as the scraper labels them.
    func store(job: String, instance: String) -> SeriesStore {
        lock.lock(); defer { lock.unlock() }
        var store = SeriesStore()
        let ok = store.seriesID(for: Labels(["__name__": "http_requests_total", "code": "200", "job": job, "instance": instance]))
        let bad = store.seriesID(for: Labels(["__name__": "http_requests_total", "code": "500", "job": job, "instance": instance]))
        for k in served.sorted() {
            let (o, f) = values(k)
            store.append(id: ok, time: k * Self.tick, value: o)
            store.append(id: bad, time: k * Self.tick, value: f)
        }
        return store
    }
}

/// What the console showed and what `eval` says at the same instants, compared as issue 13 asks.
struct FreshnessComparison {
    let spec: SLOSpec
    var live: [SLOStatus] = []

    /// Evaluates with `eval` at every round's time, checks each round, and expects nearly all exact.
    func checkEveryRound(against eval: SLOEvaluator, errorsStart: Timestamp, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try live.map { try eval.evaluate(spec, at: $0.at) }
        let exact = check(against: expected, errorsStart: errorsStart, sourceLocation: sourceLocation)
        #expect(exact * 10 >= live.count * 9, "\(exact) of \(live.count) rounds exact", sourceLocation: sourceLocation)
    }

    /// Checks every round against `eval`'s statuses at the same times; returns how many were exact.
    func check(against eval: [SLOStatus], errorsStart: Timestamp, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        let bound = 0.01 * spec.errorBudget
        var exact = 0
        for (l, e) in zip(live, eval) {
            var same = true
            for (lw, ew) in zip(l.windows, e.windows) {
                #expect((lw.errorRatio == nil) == (ew.errorRatio == nil), "\(lw.window) at \(l.at)", sourceLocation: sourceLocation)
                guard let a = lw.errorRatio, let b = ew.errorRatio else { continue }
                #expect(abs(a - b) <= bound, "\(lw.window) at \(l.at): live \(a), eval \(b)", sourceLocation: sourceLocation)
                if abs(a - b) > 1e-6 * max(abs(a), abs(b)) { same = false }
                if let x = lw.events, let y = ew.events, abs(x - y) > 1e-6 * max(x, y) { same = false }
            }
            if let a = l.budgetRemaining, let b = e.budgetRemaining {
                #expect(abs(a - b) <= 0.01, "budget at \(l.at): live \(a), eval \(b)", sourceLocation: sourceLocation)
            } else {
                #expect(l.budgetRemaining == nil && e.budgetRemaining == nil, sourceLocation: sourceLocation)
            }
            if same { exact += 1 }
        }
        // The 6× and 1× tiers (and the others) fire within one round of when eval says.
        for (k, tier) in (live.first?.alerts.map(\.tier) ?? []).enumerated() {
            let liveFirst = live.firstIndex { $0.at > errorsStart && $0.alerts[k].firing }
            let evalFirst = eval.indices.firstIndex { $0 < live.count && live[$0].at > errorsStart && eval[$0].alerts[k].firing }
            if tier.factor <= 6 {
                #expect(evalFirst != nil, "eval never fired \(tier.factor)×", sourceLocation: sourceLocation)
            }
            if let a = liveFirst, let b = evalFirst {
                #expect(abs(a - b) <= 1, "\(tier.factor)× fired live at round \(a), eval at \(b)", sourceLocation: sourceLocation)
            } else {
                #expect(liveFirst == nil && evalFirst == nil, "\(tier.factor)×: live \(String(describing: liveFirst)), eval \(String(describing: evalFirst))",
                        sourceLocation: sourceLocation)
            }
        }
        return exact
    }
}

@Suite(.serialized) struct WatchSessionFreshnessTests {
    static let spec = SLOSpec(service: "api", name: "availability", objective: 0.999, indicator: .events(
        errorQuery: "sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[{{.window}}]))",
        totalQuery: "sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))"))

    /// Runs the session until the 6× tier has fired for a few seconds; errors start after six
    /// seconds of data (well after the first evaluation). Returns the rounds seen and when errors started.
    static func run(_ session: WatchSession, target: FreshnessTarget, source: String) throws -> (FreshnessComparison, Timestamp?) {
        let channel = try EventChannel<AppEvent>(capacity: 10_000)
        session.start(channel: channel)
        defer { session.stop() }
        var comparison = FreshnessComparison(spec: spec)
        var errorsStart: Timestamp?
        var sixFired: Timestamp?
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            for stamped in channel.receiveAll() {
                guard case .external(let event) = stamped.event, let update = event as? SLOUpdate else { continue }
                guard let row = update.rows.first(where: { $0.source == source }), let status = row.status else { continue }
                comparison.live.append(status)
                if errorsStart == nil, let first = target.firstSample, status.windows[0].events != nil, (status.at - first).seconds >= 6 {
                    errorsStart = target.startErrors()
                }
                if sixFired == nil, status.alerts.contains(where: { $0.tier.factor == 6 && $0.firing }) { sixFired = status.at }
            }
            if let sixFired, (Platform.now() - sixFired).seconds > 3 { break }
            usleep(50_000)
        }
        return (comparison, errorsStart)
    }

    @Test func everyWindowOfTheEmbeddedEngineEqualsEvalEveryRound() throws {
        let target = FreshnessTarget()
        let server = try LoopbackHTTPServer { _ in .ok(target.body()) }
        defer { server.stop() }
        let config = BurnwatchConfiguration(file: "test.yaml", services: [
            ServiceConfig(name: "api", targets: [ScrapeTargetConfig(url: server.url(), interval: Interval(milliseconds: 100),
                                                                    timeout: Interval(milliseconds: 1000))]),
        ])
        var options = WatchSession.Options()
        options.evaluationInterval = Interval(milliseconds: 250)
        let session = try WatchSession(config: config, slos: [Self.spec], options: options)
        let (comparison, started) = try Self.run(session, target: target, source: "local")
        let errorsStart = try #require(started, "errors never started")
        #expect(comparison.live.count > 20)

        let store = target.store(job: "api", instance: "127.0.0.1:\(server.port)")
        let eval = SLOEvaluator(querier: PromQLEngine(store: store))
        // the same samples give the same numbers, bit for bit, nearly every round
        try comparison.checkEveryRound(against: eval, errorsStart: errorsStart)

        // every window says it holds only the seconds since the first sample
        let first = try #require(target.firstSample)
        for status in comparison.live where status.windows.last?.events != nil {
            let held = (status.at - first).seconds
            #expect(status.windows.last?.dataSeconds.map { abs($0 - held) < 1e-3 } == true, "period at \(status.at)")
            #expect(status.budgetDataSeconds.map { abs($0 - held) < 1e-3 } == true)
        }
    }

    @Test func everyWindowThroughAPrometheusQueryAPIEqualsEvalEveryRound() throws {
        let target = FreshnessTarget()
        let server = try LoopbackHTTPServer { _ in .ok(target.body()) }
        defer { server.stop() }
        let prometheus = try LoopbackPrometheus(config: """
        global:
          scrape_interval: 200ms
          scrape_timeout: 200ms
        scrape_configs:
          - job_name: api
            static_configs:
              - targets: ['127.0.0.1:\(server.port)']
        """)
        defer { prometheus.stop() }
        #expect(prometheus.wait(timeout: 30) { (prometheus.instantVector("http_requests_total")?.count ?? 0) == 2 })
        let api = QueryAPIConfig(url: prometheus.baseURL)
        let config = BurnwatchConfiguration(file: "test.yaml", services: [ServiceConfig(name: "api", queryAPI: api)])
        var options = WatchSession.Options()
        options.evaluationInterval = Interval(milliseconds: 250)
        let session = try WatchSession(config: config, slos: [Self.spec], options: options)
        let (comparison, started) = try Self.run(session, target: target, source: api.url)
        let errorsStart = try #require(started, "errors never started")
        #expect(comparison.live.count > 20)

        // eval through the same query API, asked afterwards at the same instants
        let eval = SLOEvaluator(querier: try WatchSession.remoteClient(api))
        try comparison.checkEveryRound(against: eval, errorsStart: errorsStart)

        // how much data Prometheus holds, found through range queries: within a second of the truth
        let first = try #require(target.firstSample)
        for status in comparison.live where status.windows.last?.events != nil {
            let held = (status.at - first).seconds
            #expect(status.windows.last?.dataSeconds.map { abs($0 - held) <= 1.5 } == true, "period at \(status.at): \(String(describing: status.windows.last?.dataSeconds)) vs \(held)")
        }
    }
}
