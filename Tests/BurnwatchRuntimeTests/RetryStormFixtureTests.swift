import BurnwatchCore
import BurnwatchRuntime
import Foundation
import XCTest

/// The `retry_storm` detector over the real HAProxy 2.6 exporter body and access log.
///
/// The body was taken while the backends were failing and retrying (61,378 retries for 41,356
/// backend requests), so a storm there would be legitimate; but one body has no rate, so the
/// detector has nothing to judge and raises nothing. The access log holds a burst of retries
/// (a storm while it lasts) that is over within seconds.
final class RetryStormFixtureTests: XCTestCase {
    private let fixtures = "/work/shared/fixtures"
    private let t0 = Timestamp(seconds: 1_795_554_661)

    private func body() throws -> [UInt8] {
        let path = fixtures + "/exposition/haproxy.txt"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no fixture at \(path)") }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func store() -> SeriesStore {
        SeriesStore(retention: Retention(duration: Interval(milliseconds: 400 * 86_400_000), maxSamplesPerSeries: Int.max))
    }

    func testOneHAProxyBodyAndItsLogRaiseNothing() throws {
        var s = store()
        let report = MetricsFileLoader.load(bytes: try body(), source: "haproxy.txt", defaultTime: t0, into: &s)
        XCTAssertTrue(report.errors.isEmpty, "\(report.errors)")
        let log = fixtures + "/logs/haproxy.jsonl"
        if FileManager.default.fileExists(atPath: log) { _ = try LogSourceSeriesLoader.load(log, into: &s) }
        var engine = SignalEngine(detectors: [RetryStormDetector()])
        let querier = PromQLEngine(store: s)
        for k in -40...40 {
            let round = engine.evaluate(at: t0 + Interval(seconds: Double(k) * 15), querier: querier)
            XCTAssertTrue(round.active.allSatisfy { $0.severity <= .info }, "\(round.active.map(\.summary))")
        }
    }

    func testTheAccessLogsRetryBurstIsAStormThatDoesNotLastAMinute() throws {
        // 361 of the log's 362 requests were retried, all within a few seconds: each round sees a
        // storm while the burst is in its 1m window, but it never holds for the `for` minute.
        let log = fixtures + "/logs/haproxy.jsonl"
        guard FileManager.default.fileExists(atPath: log) else { throw XCTSkip("no fixture at \(log)") }
        var s = store()
        _ = try LogSourceSeriesLoader.load(log, into: &s)
        let querier = PromQLEngine(store: s)
        let times = (-4...8).map { t0 + Interval(seconds: Double($0) * 15) }
        let observed = times.flatMap { RetryStormDetector().observe(SignalContext(time: $0, querier: querier)) }
        let storms = observed.filter { $0.severity == .page }
        XCTAssertFalse(storms.isEmpty)
        XCTAssertGreaterThan(storms.first?.evidence.first { $0.name == "log_calls_retry_ratio" }?.value ?? 0, 0.9)
        var engine = SignalEngine(detectors: [RetryStormDetector()])
        for t in times { XCTAssertTrue(engine.evaluate(at: t, querier: querier).active.isEmpty) }
    }

    func testTheExporterNamesAreReadWhenTheBodyHasARate() throws {
        // The same body 30 s later with every value doubled: every counter's rate is its value ÷ 30 s.
        let text = String(decoding: try body(), as: UTF8.self)
        let doubled = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard !line.hasPrefix("#"), let cut = line.lastIndex(of: " "), let v = Double(line[line.index(after: cut)...]) else { return String(line) }
            return line[..<cut] + " " + String(v * 2)
        }.joined(separator: "\n")
        var s = store()
        _ = MetricsFileLoader.load(bytes: try body(), source: "haproxy.txt", defaultTime: t0, into: &s)
        _ = MetricsFileLoader.load(bytes: Array(doubled.utf8), source: "haproxy-later.txt", defaultTime: t0 + Interval(seconds: 30), into: &s)
        let context = SignalContext(time: t0 + Interval(seconds: 30), querier: PromQLEngine(store: s), services: ["orders"])
        let o = RetryStormDetector().observe(context)
        XCTAssertEqual(o.map(\.service), ["orders"])
        let ratio = o.first?.evidence.first { $0.name == "haproxy_retry_ratio" }?.value
        XCTAssertEqual(ratio ?? 0, 61378.0 / 41356.0, accuracy: 0.01, "retries ÷ backend HTTP requests")
        XCTAssertEqual(o.first?.severity, .page, "the backends were retrying when the body was taken")
        XCTAssertTrue(context.problems.isEmpty, "\(context.problems)")
    }
}
