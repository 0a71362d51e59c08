import BurnwatchCore
import BurnwatchTestSupport
import Testing
@testable import BurnwatchUI

/// Synthetic metrics data: two targets (one down with a hostile error text), a catalog, a chart.
enum MetricsSynthetic {
    static let t0 = Timestamp(seconds: 1_700_000_000)

    static let targets = MetricsTargetsUpdate(targets: [
        TargetHealth(job: "api", instance: "127.0.0.1:8080", url: "http://127.0.0.1:8080/metrics", up: true,
                     lastScrape: t0 - Interval(milliseconds: 2000), durationSeconds: 0.012, samples: 240),
        TargetHealth(job: "node", instance: "127.0.0.1:9100", url: "http://127.0.0.1:9100/metrics", up: false,
                     lastScrape: t0 - Interval(milliseconds: 5000), durationSeconds: 1.0, samples: 0,
                     error: "connection refused \u{1b}[31mred\u{7}", consecutiveFailures: 3),
    ])

    static func labels(_ name: String, _ pairs: [(String, String)]) -> Labels {
        Labels([Label("__name__", name)] + pairs.map { Label($0.0, $0.1) })
    }

    static let catalog = MetricsSeriesCatalog(series: [
        SeriesSummary(labels: labels("http_requests_total", [("code", "200"), ("job", "api")]), latest: 12_345, time: t0),
        SeriesSummary(labels: labels("http_requests_total", [("code", "500"), ("job", "api")]), latest: 67, time: t0),
        SeriesSummary(labels: labels("node_load1", [("job", "node")]), latest: 0.42, time: t0),
        SeriesSummary(labels: labels("weird", [("path", "/a\u{1b}]0;title\u{7}")]), latest: 1, time: t0),
    ], total: 4)

    /// A rising then falling series over 121 steps.
    static func result(_ purpose: MetricsQueryPurpose, _ expression: String, thresholdCrossing: Bool = true) -> MetricsQueryResult {
        let values: [Double?] = (0...120).map { i in i < 10 ? nil : 0.05 + 0.1 * (1 + sin(Double(i) / 12)) }
        return MetricsQueryResult(purpose: purpose, expression: expression, start: t0 - Interval(milliseconds: 600_000), end: t0,
                                  step: Interval(milliseconds: 5000), series: [ChartSeries(label: expression, values: values)])
    }

    static func screen(glyphs: Glyphs = .unicode, chart: Bool = true) -> MetricsScreen {
        var screen = MetricsScreen(state: MetricsScreenState(glyphs: glyphs))
        let context = ScreenContext(bodySize: TerminalSize(width: 120, height: 38), glyphs: glyphs, now: t0)
        _ = screen.handle(.external(targets), context: context)
        _ = screen.handle(.external(catalog), context: context)
        let selected = MetricsScreenState.selector(screen.state.selectedSeries!.labels)
        _ = screen.handle(.external(result(.series, selected)), context: context)
        if chart {
            _ = screen.handle(.command(["chart", "sum(rate(http_requests_total[1m]))", ">", "0.2"]), context: context)
            _ = screen.handle(.external(result(.chart, "sum(rate(http_requests_total[1m]))")), context: context)
        }
        return screen
    }
}

/// A sine without Foundation, good enough for test data.
private func sin(_ x: Double) -> Double {
    var x = x.truncatingRemainder(dividingBy: 2 * Double.pi)
    if x > Double.pi { x -= 2 * Double.pi }
    var term = x, sum = x
    for n in 1...10 { term *= -x * x / Double((2 * n) * (2 * n + 1)); sum += term }
    return sum
}

@Suite struct MetricsScreenReduceTests {
    let context = ScreenContext(bodySize: TerminalSize(width: 120, height: 38), glyphs: .unicode, now: MetricsSynthetic.t0)

    @Test func chartRequestSplitsATrailingThreshold() {
        #expect(MetricsChartRequest.parse("rate(x[1m]) > 0.1") == MetricsChartRequest(expression: "rate(x[1m])", thresholds: [0.1]))
        #expect(MetricsChartRequest.parse("a >= 2") == MetricsChartRequest(expression: "a", thresholds: [2]))
        #expect(MetricsChartRequest.parse(" up ") == MetricsChartRequest(expression: "up", thresholds: []))
        #expect(MetricsChartRequest.parse("a > b") == MetricsChartRequest(expression: "a > b", thresholds: []))
        #expect(MetricsChartRequest.parse("> 3") == MetricsChartRequest(expression: "> 3", thresholds: []))
    }

    @Test func chartCommandAsksTheSessionAndIgnoresStaleAnswers() {
        var screen = MetricsScreen(state: MetricsScreenState())
        let response = screen.handle(.command(["chart", "up", ">", "0.5"]), context: context)
        #expect(response.effects.compactMap(MetricsEffects.parse).map { "\($0.0):\($0.1)" } == ["chart:up"])
        #expect(screen.state.chart?.thresholds == [0.5])
        #expect(screen.state.focus == .chart)
        #expect(!screen.handle(.external(MetricsSynthetic.result(.chart, "other")), context: context).handled)
        #expect(screen.handle(.external(MetricsSynthetic.result(.chart, "up")), context: context).handled)
        #expect(screen.state.chartResult?.expression == "up")
    }

    @Test func slashInTheChartPaneChartsAndElsewhereFilters() {
        var screen = MetricsSynthetic.screen(chart: false)
        _ = screen.handle(.search("500", forward: true), context: context)
        #expect(screen.state.filtered.map { screen.state.catalog[$0].labels["code"] } == ["500"])
        _ = screen.handle(.search("job=\"node\"", forward: true), context: context)
        #expect(screen.state.selectedSeries?.labels.metricName == "node_load1")
        _ = screen.handle(.action(.right), context: context)
        #expect(screen.state.focus == .chart)
        let response = screen.handle(.search("node_load1 < 1", forward: true), context: context)
        #expect(response.effects.compactMap(MetricsEffects.parse).first?.1 == "node_load1")
        #expect(screen.state.chart?.thresholds == [1])
    }

    @Test func movingTheSelectionWatchesTheNewSeries() {
        var screen = MetricsSynthetic.screen(chart: false)
        let response = screen.handle(.action(.down), context: context)
        let watched = response.effects.compactMap(MetricsEffects.parse)
        #expect(watched.count == 1 && watched[0].0 == .series)
        #expect(watched.first?.1 == "http_requests_total{code=\"500\", job=\"api\"}")
        #expect(screen.state.seriesHistory == nil)
    }

    @Test func catalogUpdateKeepsTheSelectedSeries() {
        var screen = MetricsSynthetic.screen(chart: false)
        _ = screen.handle(.action(.down), context: context)
        let selected = screen.state.selectedSeries?.labels
        var reordered = MetricsSynthetic.catalog
        reordered.series.reverse()
        _ = screen.handle(.external(reordered), context: context)
        #expect(screen.state.selectedSeries?.labels == selected)
    }

    @Test func hostileTextNeverReachesTheTerminalRaw() {
        for size in [TerminalSize(width: 80, height: 24), TerminalSize(width: 120, height: 40)] {
            var screen = MetricsSynthetic.screen()
            _ = screen.handle(.search("weird", forward: true), context: context)
            let app = AppState(screens: [screen], size: size)
            let dump = app.render().textDump()
            #expect(!dump.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
            #expect(dump.contains("DOWN"))
        }
    }

    @Test func chartDrawsThresholdAndAxes() {
        let chart = MetricsChart(series: [ChartSeries(label: "x", values: [0, 1, 2, 3])], thresholds: [1.5],
                                 start: MetricsSynthetic.t0, end: MetricsSynthetic.t0 + Interval(milliseconds: 60_000))
        var buffer = ScreenBuffer(width: 40, height: 6)
        buffer.render(chart, in: buffer.bounds)
        #expect(buffer.rowText(0).hasPrefix("3│"))
        #expect(buffer.rowText(4).hasPrefix("0│"))
        #expect(buffer.rowText(5).contains("22:13:20") && buffer.rowText(5).contains("22:14:20"))
        // The threshold row carries threshold dots across the plot.
        #expect((0..<5).contains { buffer.rowText($0).filter { $0 == "⠄" || $0 == "⠂" || $0 == "⠁" || $0 == "⡀" }.count > 10 })
    }

    @Test func numbersAreShort() {
        #expect(ChartFormat.number(14.4) == "14.4")
        #expect(ChartFormat.number(12_345) == "12.3k")
        #expect(ChartFormat.number(0.000017) == "1.7e-05")
        #expect(ChartFormat.number(-0.5) == "-0.5")
        #expect(ChartFormat.number(.nan) == "NaN")
        #expect(ChartFormat.clock(Timestamp(seconds: 3723)) == "01:02:03")
    }
}

@Suite struct MetricsScreenSnapshotTests {
    private func check(_ buffer: ScreenBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let problem = ScreenSnapshot.mismatch(buffer, named: name) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func metrics(width: Int, height: Int) {
        for (name, glyphs, chart) in [("unicode", Glyphs.unicode, true), ("ascii", Glyphs.ascii, true), ("nochart", Glyphs.unicode, false)] {
            var app = AppState(screens: [MetricsSynthetic.screen(glyphs: glyphs, chart: chart)], size: TerminalSize(width: width, height: height),
                               glyphs: glyphs)
            app.now = MetricsSynthetic.t0
            check(app.render(), "metrics-\(name)-\(width)x\(height)")
        }
        var empty = AppState(screens: [MetricsScreen(state: MetricsScreenState())], size: TerminalSize(width: width, height: height))
        empty.now = MetricsSynthetic.t0
        check(empty.render(), "metrics-empty-\(width)x\(height)")
    }
}
