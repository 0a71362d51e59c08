import BurnwatchConfig
import BurnwatchCore
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import BurnwatchUI
import Foundation
import Testing

/// Answers every query with a constant: errors 0.5, totals 1 (so the error ratio is 0.5).
private struct ConstantQuerier: PromQLQuerier {
    func value(_ expression: String) -> Double { expression.contains("5..") ? 0.5 : 1 }
    func instantQuery(_ expression: String, at time: Timestamp) throws -> QueryValue {
        .vector([VectorSample(labels: .empty, timestamp: time, value: value(expression))])
    }
    func rangeQuery(_ expression: String, start: Timestamp, end: Timestamp, step: Interval) throws -> QueryValue {
        var points: [(Timestamp, Double)] = []
        var t = start
        while t <= end { points.append((t, value(expression))); t = t + step }
        return .matrix([MatrixSeries(labels: .empty, points: points)])
    }
}

/// A feed that produces one log-derived series and records that it was started and stopped.
private final class FakeLogFeed: LiveSampleFeed, @unchecked Sendable {
    let name = "logs:api"
    private let lock = NSLock()
    private var queue: LiveSampleQueue?
    private(set) var started = false
    private(set) var stopped = false
    func attach(samples: LiveSampleQueue) { lock.lock(); queue = samples; lock.unlock() }
    func start(channel: EventChannel<AppEvent>) {
        lock.lock(); started = true; let q = queue; lock.unlock()
        let now = Platform.now()
        q?.push([LiveSampleQueue.Sample(labels: Labels(["__name__": "log_events_total", "service": "api", "level": "error"]),
                                        time: now, value: 3)])
    }
    func stop() { lock.lock(); stopped = true; lock.unlock() }
    var health: LiveFeedHealth { LiveFeedHealth(name: name, healthy: false, detail: "no such file", dropped: 2) }
}

/// Counters that grow by 100 requests per scrape, 10 of them failing.
private final class Counters: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func body() -> [UInt8] {
        lock.lock(); n += 1; let k = n; lock.unlock()
        return Array("http_requests_total{code=\"200\"} \(k * 90)\nhttp_requests_total{code=\"500\"} \(k * 10)\n".utf8)
    }
}

@Suite struct WatchSessionTests {
    @Test func scrapesEvaluatesLocallyAndRemotelyAndAnswersWatchedQueries() throws {
        let counters = Counters()
        let server = try LoopbackHTTPServer { _ in .ok(counters.body()) }
        defer { server.stop() }
        let local = SLOSpec(service: "api", name: "availability", objective: 0.99, indicator: .events(
            errorQuery: "sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[{{.window}}]))",
            totalQuery: "sum(rate(http_requests_total{job=\"api\"}[{{.window}}]))"))
        var remote = local
        remote.service = "fleet"
        let config = BurnwatchConfiguration(file: "test.yaml", services: [
            ServiceConfig(name: "api", targets: [ScrapeTargetConfig(url: server.url(), interval: Interval(milliseconds: 200),
                                                                    timeout: Interval(milliseconds: 1000), labels: ["team": "pay"])]),
            ServiceConfig(name: "fleet", queryAPI: QueryAPIConfig(url: "http://remote.invalid")),
        ])
        var options = WatchSession.Options()
        options.evaluationInterval = Interval(milliseconds: 200)
        options.catalogInterval = Interval(milliseconds: 200)
        let session = try WatchSession(config: config, slos: [local, remote], options: options) { _ in ConstantQuerier() }
        let feed = FakeLogFeed()
        session.feeds = [feed]
        let channel = try EventChannel<AppEvent>(capacity: 10_000)
        session.start(channel: channel)
        defer { session.stop() }
        #expect(session.handle(MetricsEffects.watch(.chart, "sum(rate(http_requests_total[2s]))")))
        #expect(!session.handle(.bell))

        var targetUp = false, localRatio: Double?, remoteRatio: Double?, chartValue: Double?
        var sawLogSeries = false, sawExtraLabel = false, feedHealth: SourceHealth?
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !(targetUp && localRatio != nil && remoteRatio != nil && chartValue != nil && sawLogSeries && feedHealth != nil) {
            for stamped in channel.receiveAll() {
                guard case .external(let event) = stamped.event else { continue }
                if let u = event as? MetricsTargetsUpdate, u.targets.first?.up == true { targetUp = true }
                if let u = event as? SLOUpdate {
                    for row in u.rows {
                        guard let ratio = row.status?.window("5m")?.errorRatio else { continue }
                        if row.source == "local" { localRatio = ratio } else if row.source == "http://remote.invalid" { remoteRatio = ratio }
                    }
                }
                if let r = event as? MetricsQueryResult, r.purpose == .chart, r.error == nil,
                   let v = r.series.first?.values.last(where: { $0 != nil }) ?? nil {
                    chartValue = v
                }
                if let c = event as? MetricsSeriesCatalog {
                    if c.series.contains(where: { $0.labels.metricName == "log_events_total" }) { sawLogSeries = true }
                    if c.series.contains(where: { $0.labels["team"] == "pay" && $0.labels["job"] == "api" }) { sawExtraLabel = true }
                }
                if let s = event as? WatchSourcesUpdate { feedHealth = s.sources.first { $0.name == "logs:api" } }
            }
            usleep(50_000)
        }
        #expect(targetUp)
        // 10 of every 100 requests fail: the embedded engine measures 0.1.
        #expect(localRatio.map { abs($0 - 0.1) < 1e-9 } == true, "local ratio \(String(describing: localRatio))")
        // The remote service's SLO ran on its query API (the fake): 0.5 ÷ 1.
        #expect(remoteRatio == 0.5)
        #expect(chartValue.map { $0 > 0 } == true)
        #expect(sawLogSeries && sawExtraLabel)
        #expect(feedHealth == SourceHealth(name: "logs:api", healthy: false, detail: "no such file", dropped: 2))
        #expect(feed.started)
        session.stop()
        #expect(feed.stopped)
    }

    @Test func sampleQueueIsBoundedAndCountsDrops() {
        let queue = LiveSampleQueue(capacity: 3)
        let s = LiveSampleQueue.Sample(labels: Labels(["__name__": "x"]), time: Timestamp(milliseconds: 1), value: 1)
        #expect(queue.push([s, s]) == 2)
        #expect(queue.push([s, s]) == 1)
        #expect(queue.dropped == 1)
        #expect(queue.drain().count == 3)
        #expect(queue.push([s]) == 1)
    }
}
