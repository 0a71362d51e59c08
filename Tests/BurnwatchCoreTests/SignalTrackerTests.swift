import BurnwatchCore
import XCTest

final class SignalTrackerTests: XCTestCase {
    private func obs(_ severity: Severity?, _ summary: String = "s") -> [SignalObservation] {
        [SignalObservation(.retryStorm, service: "api", severity: severity, summary: summary,
                           evidence: [SignalEvidence("retry_ratio", severity == nil ? 0.01 : 0.3, source: "q")])]
    }

    private func run(_ sequence: [Severity?], wait: Double = 60, every: Double = 15) -> (SignalTracker, [[SignalTransition]]) {
        var tracker = SignalTracker()
        var out: [[SignalTransition]] = []
        let settings = SignalSettings(for: Interval(seconds: wait))
        for (k, s) in sequence.enumerated() {
            out.append(tracker.advance(obs(s), at: Timestamp(seconds: 1000 + Double(k) * every),
                                       settings: { _ in settings }, runbooks: { _ in ["reliability.md#retry-storms"] }))
        }
        return (tracker, out)
    }

    func testFiresOnlyAfterTheConditionHeldForItsWaitAndSinceIsWhenItBegan() {
        // Held for 45 s (4 rounds at 15 s) does not fire with a 60 s wait; the 5th round does.
        let (_, early) = run([.warning, .warning, .warning, .warning])
        XCTAssertTrue(early.allSatisfy(\.isEmpty))
        let (tracker, t) = run([nil, .warning, .warning, .warning, .warning, .warning])
        XCTAssertEqual(t[5].count, 1)
        guard case .fired(let s, let at)? = t[5].first else { return XCTFail("expected a firing") }
        XCTAssertEqual(at, Timestamp(seconds: 1075))
        XCTAssertEqual(s.since, Timestamp(seconds: 1015))
        XCTAssertEqual(s.runbooks, ["reliability.md#retry-storms"])
        XCTAssertEqual(tracker.active.map(\.severity), [.warning])
    }

    func testAFlapShorterThanTheWaitNeitherFiresNorClears() {
        let (_, t) = run([.page, .page, nil, .page, .page, .page, .page])
        XCTAssertTrue(t.joined().isEmpty, "the streak restarted at the gap, so 45 s is not enough")
        let (tracker, t2) = run([.page, .page, .page, .page, .page, nil, nil, .page, nil, nil, nil, nil, nil])
        let kinds = t2.joined().map { if case .resolved = $0 { return "resolved" } else { return "fired" } }
        XCTAssertEqual(kinds, ["fired", "resolved"])
        XCTAssertTrue(tracker.active.isEmpty)
        XCTAssertEqual(tracker.recent.count, 1, "a resolved signal stays visible")
        XCTAssertEqual(tracker.recent[0].resolvedAt, Timestamp(seconds: 1000 + 12 * 15))
    }

    func testEscalatesAtOnceAndDeEscalatesOnlyAfterTheWait() {
        let (_, t) = run([.warning, .warning, .warning, .warning, .warning, .page, .warning, .warning, .warning, .warning, .warning])
        let changes = t.joined().compactMap { tr -> String? in
            if case .severityChanged(let s, let from, _) = tr { return "\(from.rawValue)->\(s.severity.rawValue)" }
            return nil
        }
        XCTAssertEqual(changes, ["warning->page", "page->warning"])
        XCTAssertEqual(t[5].count, 1, "the page takes over in the round it appears")
    }

    func testResolvedSignalsAgeOutAfterFifteenMinutes() {
        var seq: [Severity?] = [.warning, .warning, .warning, .warning, .warning]
        seq += Array(repeating: nil, count: 5 + 61)
        let (tracker, _) = run(seq)
        XCTAssertTrue(tracker.recent.isEmpty)
    }

    func testEngineMergesOneSignalPerKindAndServiceHighestSeverityWins() {
        struct Two: SignalDetector {
            let kind = SignalKind.saturation
            func observe(_ c: SignalContext) -> [SignalObservation] {
                [SignalObservation(.saturation, service: "api", severity: .warning, summary: "pool 85%", evidence: [SignalEvidence("a", 0.85, source: "x")]),
                 SignalObservation(.saturation, service: "api", severity: .page, summary: "fds 95%", evidence: [SignalEvidence("b", 0.95, source: "y")])]
            }
        }
        var engine = SignalEngine(detectors: [Two()], configs: [ServiceSignalConfig(service: "api", overrides: [.saturation: SignalSettingsOverride(for: Interval(milliseconds: 0))])])
        let r = engine.evaluate(at: Timestamp(seconds: 1), querier: PromQLEngine(store: SeriesStore()))
        XCTAssertEqual(r.active.count, 1)
        XCTAssertEqual(r.active[0].severity, .page)
        XCTAssertEqual(r.active[0].summary, "fds 95%")
        XCTAssertEqual(r.active[0].evidence.map(\.name), ["b", "a"])
    }

    func testAKindTurnedOffInTheConfigNeverFires() {
        var s = SyntheticSeries()
        s.gauge(["__name__": "up", "job": "api", "instance": "a:1"], to: 600) { _ in 0 }
        var engine = SignalEngine(services: ["api"], configs: [ServiceSignalConfig(service: "api", overrides: [.scrapeFailure: SignalSettingsOverride(enabled: false)])])
        XCTAssertTrue(s.run(&engine, from: 0, to: 600).allSatisfy { $0.active.isEmpty })
        var on = SignalEngine(services: ["api"])
        let rounds = s.run(&on, from: 0, to: 600)
        XCTAssertNil(SyntheticSeries.severities(rounds, .scrapeFailure)[1], "30 s wait")
        XCTAssertEqual(SyntheticSeries.severities(rounds, .scrapeFailure)[2], .warning)
        XCTAssertEqual(rounds[2].active[0].evidence("targets_down")?.value, 1)
    }
}
