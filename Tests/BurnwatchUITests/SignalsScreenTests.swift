import BurnwatchCore
import Testing
@testable import BurnwatchUI

/// Signals as the watch session sends them, built by hand (the detectors have their own tests).
enum SignalsSynthetic {
    static let t0 = Timestamp(seconds: 1_700_000_000)

    static let storm = Signal(kind: .retryStorm, service: "orders-api", severity: .page, since: t0 - Interval(milliseconds: 90_000),
                              summary: "retries 34% of requests over 1m (page ≥ 20%)",
                              evidence: [SignalEvidence("retry_ratio", 0.34, source: "sum(rate(haproxy_backend_retry_warnings_total[1m])) / sum(rate(haproxy_backend_http_requests_total[1m]))"),
                                         SignalEvidence("amplification", nil, source: "log attempts per request_id")],
                              runbooks: ["reliability.md#retry-storms", "client-calls.md#retry-storms"])
    static let pool = Signal(kind: .saturation, service: "orders-api", severity: .warning, since: t0 - Interval(milliseconds: 30_000),
                             summary: "workers 85% busy (warn ≥ 80%)",
                             evidence: [SignalEvidence("utilization", 0.85, source: "sum(app_worker_pool_busy_workers) / sum(app_worker_pool_workers)")],
                             runbooks: ["concurrency.md#saturated-pools"])
    static let logsOnly = Signal(kind: .missingCorrelation, service: "billing", severity: .info, since: t0,
                                 summary: "3% of request lines lack request_id and trace_id",
                                 evidence: [SignalEvidence("uncorrelated_share", 0.03, source: "log lines without request_id or trace_id")],
                                 runbooks: [])

    static func update(_ signals: [Signal], at: Timestamp = t0, transitions: [SignalTransition] = []) -> SignalsUpdate {
        SignalsUpdate(at: at, signals: signals, transitions: transitions)
    }
}

@Suite struct SignalsScreenTests {
    let context = ScreenContext(bodySize: TerminalSize(width: 140, height: 30), glyphs: .unicode, now: SignalsSynthetic.t0)

    func screen(_ signals: [Signal] = [SignalsSynthetic.storm, SignalsSynthetic.pool, SignalsSynthetic.logsOnly]) -> SignalsScreen {
        var s = SignalsScreen(state: SignalsScreenState(user: "ana"))
        _ = s.handle(.external(SignalsSynthetic.update(signals)), context: context)
        return s
    }

    func text(_ screen: SignalsScreen, width: Int = 140, height: Int = 30) -> String {
        var buffer = ScreenBuffer(width: width, height: height)
        screen.render(into: &buffer, area: buffer.bounds, context: context)
        return (0..<height).map { buffer.rowText($0) }.joined(separator: "\n")
    }

    @Test func listsEachSignalWithSeverityAgeAndSummary() {
        let s = screen()
        #expect(s.title == "Signals (3)")
        let shown = text(s)
        let rows = shown.split(separator: "\n").map(String.init)
        let storm = try? #require(rows.first { $0.contains("retry_storm") })
        #expect(storm?.hasPrefix("PAGE") == true, "\(shown)")
        #expect(storm?.contains("orders-api") == true)
        #expect(storm?.contains("1m30s") == true || storm?.contains("1m 30s") == true || storm?.contains("90s") == true, "\(shown)")
        #expect(storm?.contains("retries 34% of requests") == true)
        #expect(rows.contains { $0.hasPrefix("WARNING") && $0.contains("saturation") })
        #expect(shown.contains("3 active"))
        let segments = s.statusSegments(context: context).map(\.text).joined()
        #expect(segments.contains("1 SIGNAL PAGE") && segments.contains("1 WARN") && segments.contains("1 info"), "\(segments)")
    }

    @Test func noSignalSaysSoNotZero() {
        let s = screen([])
        #expect(s.title == "Signals")
        #expect(text(s).contains("No signal"))
        #expect(text(s).contains("none active"))
    }

    @Test func enterOpensTheFirstRunbookSection() {
        var s = screen()
        let r = s.handle(.action(.open), context: context)
        #expect(r.navigate == .runbooks)
        #expect(r.effects.compactMap(SLOEffects.parse) == [RunbookOpenRequest(fileName: "reliability.md", anchor: "retry-storms")])
        // A kind no runbook section lists says so instead of opening nothing.
        _ = s.handle(.action(.bottom), context: context)
        let none = s.handle(.action(.open), context: context)
        #expect(none.navigate == nil && none.effects.isEmpty)
        #expect(none.status?.text.contains("no runbook section") == true)
    }

    @Test func spaceShowsTheEvidenceWithItsQueriesAndNoData() {
        var s = screen()
        _ = s.handle(.action(.toggle), context: context)
        #expect(s.state.detail)
        let shown = text(s)
        #expect(shown.contains("retry_ratio 0.34"), "\(shown)")
        #expect(shown.contains("haproxy_backend_retry_warnings_total"))
        #expect(shown.contains("amplification no data"))
        #expect(shown.contains("reliability.md#retry-storms  client-calls.md#retry-storms"))
        #expect(s.handle(.action(.back), context: context).handled)
        #expect(!s.state.detail)
        #expect(!s.handle(.action(.back), context: context).handled)
    }

    @Test func selectionFollowsTheSignalAcrossRounds() {
        var s = screen()
        _ = s.handle(.action(.down), context: context)
        #expect(s.state.selectedSignal?.kind == .saturation)
        // The storm resolves: the pool is still selected, the storm moves below as resolved.
        var resolved = SignalsSynthetic.storm
        resolved.resolvedAt = SignalsSynthetic.t0
        _ = s.handle(.external(SignalsSynthetic.update([SignalsSynthetic.pool, SignalsSynthetic.logsOnly, resolved])), context: context)
        #expect(s.state.selectedSignal?.kind == .saturation)
        #expect(s.title == "Signals (2)")
        #expect(text(s).split(separator: "\n").contains { $0.hasPrefix("resolved") && $0.contains("retry_storm") })
    }

    @Test func trendKeepsOneValuePerRound() {
        var s = screen()
        for k in 1...5 {
            var storm = SignalsSynthetic.storm
            storm.evidence[0].value = 0.2 + Double(k) / 10
            _ = s.handle(.external(SignalsSynthetic.update([storm], at: SignalsSynthetic.t0 + Interval(milliseconds: Int64(k) * 5000))), context: context)
        }
        #expect(s.state.history[SignalsSynthetic.storm.key]?.count == 6)
        #expect(s.state.history[SignalsSynthetic.pool.key] == nil)
    }

    @Test func chartAndLogsAskOtherScreens() {
        var s = screen()
        let chart = s.handle(.action(.custom("chart")), context: context)
        #expect(chart.effects.compactMap(SignalEffects.parse)
            == [ScreenCommandRequest(screen: .metrics, words: ["chart", SignalsSynthetic.storm.evidence[0].source])])
        let logs = s.handle(.action(.custom("logs")), context: context)
        #expect(logs.effects.compactMap(SignalEffects.parse) == [ScreenCommandRequest(screen: .logs, words: ["filter", "service=orders-api"])])
        // A signal whose evidence is not PromQL has nothing to chart.
        _ = s.handle(.action(.bottom), context: context)
        let none = s.handle(.action(.custom("chart")), context: context)
        #expect(none.effects.isEmpty && none.status?.text.contains("no PromQL evidence") == true)
    }

    @Test func acknowledgeMarksTheRowAndAsksTheJournal() {
        var s = screen()
        let r = s.handle(.action(.custom("acknowledge")), context: context)
        let ack = try? #require(r.effects.compactMap(SignalEffects.parseAcknowledge).first)
        #expect(ack?.kind == "retry_storm" && ack?.service == "orders-api" && ack?.user == "ana")
        #expect(text(s).contains("ack by ana"))
    }

    @Test func transitionsBecomeJournalLines() {
        var s = SignalsScreen(state: SignalsScreenState(user: "ana"))
        let fired = SignalTransition.fired(SignalsSynthetic.storm, at: SignalsSynthetic.t0)
        let r = s.handle(.external(SignalsSynthetic.update([SignalsSynthetic.storm], transitions: [fired])), context: context)
        let lines = r.effects.compactMap(SignalEffects.parseJournal)
        #expect(lines.count == 1)
        #expect(lines.first?.text == "signal retry_storm fired on orders-api (page): retries 34% of requests over 1m (page ≥ 20%)")
        #expect(lines.first?.runbook == "reliability.md#retry-storms")
        #expect(lines.first?.at == SignalsSynthetic.t0)
    }

    @Test func theChartKeyRunsTheChartOnTheMetricsScreen() {
        let app = AppState(screens: [screen(), MetricsScreen(state: MetricsScreenState())], size: TerminalSize(width: 140, height: 32))
        var (next, effects) = reduce(app, .key(.char("m")))
        let request = try? #require(effects.compactMap(SignalEffects.parse).first)
        // The run loop sends the request back in; the metrics screen becomes current with the chart.
        (next, effects) = reduce(next, .external(request!))
        #expect(next.currentID == .metrics)
        #expect(effects.contains { MetricsEffects.parse($0)?.1 == SignalsSynthetic.storm.evidence[0].source })
    }

    @Test func aMissingScreenIsSaidNotIgnored() {
        let app = AppState(screens: [screen()], size: TerminalSize(width: 140, height: 32))
        let (next, _) = reduce(app, .external(ScreenCommandRequest(screen: .logs, words: ["filter", "service=x"])))
        #expect(next.status?.text.contains("no logs screen") == true)
        #expect(next.currentID == .signals)
    }

    @Test func sloOverviewCountsActiveSignals() {
        var slo = SLOOverviewScreen(state: SLOOverviewState())
        let r = slo.handle(.external(SignalsSynthetic.update([SignalsSynthetic.storm, SignalsSynthetic.pool])), context: context)
        #expect(r.handled)
        let segments = slo.statusSegments(context: context).map(\.text).joined()
        #expect(segments.contains("1 SIGNAL PAGE") && segments.contains("1 WARN"), "\(segments)")
    }

    @Test func untrustedSummaryTextIsEscaped() {
        var evil = SignalsSynthetic.storm
        evil.service = "orders\u{1b}]0;pwned\u{07}"
        let app = AppState(screens: [screen([evil])], size: TerminalSize(width: 140, height: 32))
        let dump = app.render().textDump()
        #expect(!dump.unicodeScalars.contains("\u{1b}") && !dump.unicodeScalars.contains("\u{07}"))
    }
}
