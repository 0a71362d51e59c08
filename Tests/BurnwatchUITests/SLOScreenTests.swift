import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchTestSupport
import Testing
@testable import BurnwatchUI

/// Synthetic SLO data: real `SLOStatus.compute` over chosen measurements.
enum SLOSynthetic {
    static let t0 = Timestamp(seconds: 1_700_000_000)

    static func spec(_ service: String, _ name: String, objective: Double = 0.999, minEvents: Double? = nil) -> SLOSpec {
        SLOSpec(service: service, name: name, objective: objective,
                indicator: .events(errorQuery: "sum(rate(http_requests_total{job=\"\(service)\",code=~\"5..\"}[{{.window}}]))",
                                   totalQuery: "sum(rate(http_requests_total{job=\"\(service)\"}[{{.window}}]))"),
                minEvents: minEvents)
    }

    /// The data began ten minutes before `t0`: windows longer than that say how much they hold.
    static let dataStart = t0 - Interval(milliseconds: 600_000)

    /// A status with the same error ratio and `events` in every window (nil ratio: no data).
    static func status(_ spec: SLOSpec, ratio: Double?, events: Double, at: Timestamp = t0) -> SLOStatus {
        let m = ratio.map { SLOWindowMeasurement(errorRatio: $0, events: events) } ?? .noData
        return SLOStatus.compute(spec, at: at, measurements: Array(repeating: m, count: SLOWindow.all.count), dataStart: dataStart)
    }

    static let sections = [
        RunbookSectionRef(fileName: "README.md", anchor: "the-first-five-minutes", title: "The first five minutes", line: 3, layer: 0),
        RunbookSectionRef(fileName: "reliability.md", anchor: "error-budget-burning", title: "Error budget burning", line: 40, layer: 0),
    ]

    static let paging = spec("checkout", "availability")
    static let quiet = spec("search", "latency-ok", objective: 0.99)
    static let lowTraffic = spec("batch", "jobs", objective: 0.995, minEvents: 1000)
    static let empty = spec("payments", "no-metrics-yet")

    /// One round: checkout pages, search is fine, batch has low traffic, payments has no data.
    static func round(at: Timestamp, checkoutRatio: Double = 0.5) -> SLOUpdate {
        SLOUpdate(at: at, rows: [
            SLORowUpdate(spec: quiet, status: status(quiet, ratio: 0.0005, events: 90_000, at: at)),
            SLORowUpdate(spec: paging, status: status(paging, ratio: checkoutRatio, events: 12_000, at: at)),
            SLORowUpdate(spec: lowTraffic, status: status(lowTraffic, ratio: 0.2, events: 12, at: at)),
            SLORowUpdate(spec: empty, status: status(empty, ratio: nil, events: 0, at: at)),
        ])
    }

    static func screen(rounds: Int, glyphs: Glyphs = .unicode) -> SLOOverviewScreen {
        var state = SLOOverviewState(specs: [paging, quiet, lowTraffic, empty], runbookSections: sections, glyphs: glyphs)
        for k in 0..<rounds {
            // The paging SLO's error ratio grows over the rounds, so its sparkline rises.
            state.apply(round(at: t0 + Interval(milliseconds: Int64(k) * 1000), checkoutRatio: 0.02 + 0.5 * Double(k) / Double(max(1, rounds))))
        }
        return SLOOverviewScreen(state: state)
    }
}

@Suite struct SLOScreenReduceTests {
    let context = ScreenContext(bodySize: TerminalSize(width: 120, height: 38), glyphs: .unicode, now: SLOSynthetic.t0)

    @Test func statesFromTheMath() {
        let s = SLOSynthetic.screen(rounds: 1).state
        let byKey = Dictionary(uniqueKeysWithValues: s.rows.map { ($0.key, $0.stateText) })
        #expect(byKey["checkout/availability"] == "PAGE")
        #expect(byKey["search/latency-ok"] == "ok")
        #expect(byKey["batch/jobs"] == "low traffic")
        #expect(byKey["payments/no-metrics-yet"] == "no data")
    }

    @Test func sortedWorstFirstAndSelectionFollowsTheSLO() {
        var screen = SLOSynthetic.screen(rounds: 0)
        // Before any data every row is "no data"; select search's row.
        let searchIndex = screen.state.rows.firstIndex { $0.key == "search/latency-ok" }!
        for _ in 0..<searchIndex { _ = screen.handle(.action(.down), context: context) }
        #expect(screen.state.selectedRow?.key == "search/latency-ok")
        _ = screen.handle(.external(SLOSynthetic.round(at: SLOSynthetic.t0)), context: context)
        #expect(screen.state.rows.map(\.stateText) == ["PAGE", "no data", "low traffic", "ok"])
        #expect(screen.state.selectedRow?.key == "search/latency-ok")
    }

    @Test func okThenPageWhenErrorsRise() {
        var screen = SLOSynthetic.screen(rounds: 0)
        _ = screen.handle(.external(SLOSynthetic.round(at: SLOSynthetic.t0, checkoutRatio: 0.0001)), context: context)
        #expect(screen.state.rows.first { $0.key == "checkout/availability" }?.stateText == "ok")
        _ = screen.handle(.external(SLOSynthetic.round(at: SLOSynthetic.t0 + Interval(milliseconds: 1000), checkoutRatio: 0.3)), context: context)
        #expect(screen.state.rows.first?.key == "checkout/availability")
        #expect(screen.state.rows.first?.stateText == "PAGE")
        #expect(screen.state.rows.first?.errorRatio.values == [0.0001, 0.3])
    }

    @Test func historyIsBounded() {
        var h = BoundedHistory(capacity: 3)
        for v in 0..<5 { h.append(Double(v)) }
        #expect(h.values == [2, 3, 4])
    }

    @Test func burnColouredByTier() {
        let s = SLOSynthetic.screen(rounds: 1).state
        let page = s.rows.first { $0.key == "checkout/availability" }!
        #expect(page.burnRole(windowIndex: 0) == .page)      // 5m: short window of the 14.4x tier
        let ok = s.rows.first { $0.key == "search/latency-ok" }!
        #expect(ok.burnRole(windowIndex: 0) == .ok)
        let none = s.rows.first { $0.key == "payments/no-metrics-yet" }!
        #expect(none.burnRole(windowIndex: 0) == .muted)
    }

    @Test func detailOpensClosesAndOpensARunbookSection() {
        var screen = SLOSynthetic.screen(rounds: 2)
        _ = screen.handle(.action(.top), context: context)
        #expect(screen.handle(.action(.open), context: context).handled)
        #expect(screen.state.detailKey == "checkout/availability")
        // Past the 8 windows to the second runbook section.
        for _ in 0..<(SLOWindow.all.count + 1) { _ = screen.handle(.action(.down), context: context) }
        #expect(screen.state.focusedSection?.anchor == "error-budget-burning")
        let response = screen.handle(.action(.open), context: context)
        #expect(response.navigate == .runbooks)
        #expect(response.effects.compactMap(SLOEffects.parse) == [RunbookOpenRequest(fileName: "reliability.md", anchor: "error-budget-burning")])
        #expect(screen.handle(.action(.back), context: context).handled)
        #expect(screen.state.detailKey == nil)
        #expect(!screen.handle(.action(.back), context: context).handled)
    }

    @Test func detailShowsTheExactQuery() {
        let row = SLOSynthetic.screen(rounds: 1).state.rows.first { $0.key == "checkout/availability" }!
        #expect(row.queries(windowIndex: 2, at: SLOSynthetic.t0)[0]
            == "(sum(rate(http_requests_total{job=\"checkout\",code=~\"5..\"}[1h]))) / (sum(rate(http_requests_total{job=\"checkout\"}[1h])))")
    }

    @Test func sourcesAndDropsReachTheHeader() {
        var screen = SLOSynthetic.screen(rounds: 1)
        _ = screen.handle(.external(WatchSourcesUpdate(sources: [SourceHealth(name: "scrape", healthy: false, detail: "1/2 up", dropped: 3)],
                                                       droppedEvents: 7)), context: context)
        var buffer = ScreenBuffer(width: 120, height: 10)
        screen.render(into: &buffer, area: buffer.bounds, context: context)
        #expect(buffer.rowText(0).contains("scrape 1/2 up dropped 3"))
        #expect(buffer.rowText(0).contains("events dropped 7"))
    }

    @Test func untrustedErrorTextIsEscaped() {
        var state = SLOOverviewState(specs: [], glyphs: .unicode)
        state.apply(SLOUpdate(at: SLOSynthetic.t0, rows: [SLORowUpdate(spec: SLOSynthetic.empty, status: nil, error: "bad \u{1b}[2J query")]))
        let app = AppState(screens: [SLOOverviewScreen(state: state)], size: TerminalSize(width: 80, height: 24))
        let dump = app.render().textDump()
        #expect(!dump.unicodeScalars.contains("\u{1b}"))
        #expect(dump.contains("error"))
    }
}

@Suite struct SLOScreenSnapshotTests {
    private func check(_ buffer: ScreenBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let problem = ScreenSnapshot.mismatch(buffer, named: name) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    private func app(_ screen: SLOOverviewScreen, _ size: TerminalSize, glyphs: Glyphs = .unicode) -> AppState {
        var s = AppState(screens: [screen, MetricsScreen(state: MetricsScreenState(glyphs: glyphs))], size: size, glyphs: glyphs)
        s.now = SLOSynthetic.t0 + Interval(milliseconds: 30_000)
        return s
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func overview(width: Int, height: Int) {
        let size = TerminalSize(width: width, height: height)
        check(app(SLOSynthetic.screen(rounds: 0), size).render(), "slo-overview-nodata-\(width)x\(height)")
        check(app(SLOSynthetic.screen(rounds: 30), size).render(), "slo-overview-\(width)x\(height)")
        check(app(SLOSynthetic.screen(rounds: 30, glyphs: .ascii), size, glyphs: .ascii).render(), "slo-overview-ascii-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func detail(width: Int, height: Int) {
        var screen = SLOSynthetic.screen(rounds: 30)
        let context = ScreenContext(bodySize: TerminalSize(width: width, height: height - 2), glyphs: .unicode, now: SLOSynthetic.t0)
        _ = screen.handle(.action(.top), context: context)
        _ = screen.handle(.action(.open), context: context)
        check(app(screen, TerminalSize(width: width, height: height)).render(), "slo-detail-page-\(width)x\(height)")
        // The low-traffic SLO's detail.
        var low = SLOSynthetic.screen(rounds: 5)
        let i = low.state.rows.firstIndex { $0.key == "batch/jobs" }!
        _ = low.handle(.action(.top), context: context)
        for _ in 0..<i { _ = low.handle(.action(.down), context: context) }
        _ = low.handle(.action(.open), context: context)
        check(app(low, TerminalSize(width: width, height: height)).render(), "slo-detail-lowtraffic-\(width)x\(height)")
    }
}
