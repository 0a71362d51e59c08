import BurnwatchCore

/// The metrics screen's drawing: targets on top; the series browser and the chart below.
/// Label values, errors and expressions are untrusted text; the buffer escapes them.
/// - Complexity: O(visible rows × width) plus the chart's O(width × height).
public struct MetricsScreenView: Widget {
    public var state: MetricsScreenState
    public var now: Timestamp?

    public init(state: MetricsScreenState, now: Timestamp?) { self.state = state; self.now = now }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard area.height >= 6 else { return }
        let targetRows = min(state.targets.count + 2, max(3, area.height / 3))
        let parts = area.rows([.length(targetRows), .fill(1)])
        renderTargets(&buffer, parts[0])
        let split = area.width >= 100 ? 45 : 50
        let panes = parts[1].columns([.percentage(split), .fill(1)], spacing: 1)
        renderSeries(&buffer, panes[0])
        renderChart(&buffer, panes[1])
    }

    private func paneTitle(_ buffer: inout ScreenBuffer, _ row: Rect, _ pane: MetricsPane, _ title: String, _ rest: [Span]) {
        let focused = state.focus == pane
        var spans = [Span((focused ? String(state.glyphs.pointer) : " ") + title, style: Style(focused ? .title : .muted, [.bold]))]
        spans += rest
        _ = buffer.write(spans: spans, x: row.x, y: row.y, limit: row.maxX)
    }

    private func renderTargets(_ buffer: inout ScreenBuffer, _ area: Rect) {
        let up = state.targets.filter { $0.up == true }.count
        paneTitle(&buffer, area.row(0), .targets, "TARGETS", [Span("  \(up)/\(state.targets.count) up", .muted)])
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        if state.targets.isEmpty {
            buffer.write("no scrape targets configured", in: body.row(0), style: Style(.muted))
            return
        }
        let rows: [[Span]] = state.targets.map { t in
            let stateSpan: Span
            switch t.up {
            case true?: stateSpan = Span("up", .ok, [.bold])
            case false?: stateSpan = Span("DOWN", .page, [.bold])
            case nil: stateSpan = Span("…", .muted)
            }
            let age = t.lastScrape.flatMap { last in
                now.map { n in
                    let seconds = (n - last).seconds
                    return seconds < 1 ? "just now" : ChartFormat.duration(seconds: seconds) + " ago"
                }
            } ?? "-"
            return [stateSpan, Span(t.job), Span(t.instance), Span(age, .muted),
                    Span(t.durationSeconds.map { ChartFormat.duration(seconds: $0) } ?? "-", .muted),
                    Span(t.samples.map(String.init) ?? "-", .muted),
                    Span(t.error ?? "", t.up == false ? .warning : .muted)]
        }
        let table = Table(columns: [TableColumn("STATE", width: .length(5)), TableColumn("JOB", width: .fill(1)),
                                    TableColumn("INSTANCE", width: .fill(2)), TableColumn("LAST", width: .length(8), alignment: .right),
                                    TableColumn("TOOK", width: .length(6), alignment: .right),
                                    TableColumn("SAMPLES", width: .length(7), alignment: .right), TableColumn("ERROR", width: .fill(2))],
                          rows: rows, selected: state.focus == .targets ? state.targetSelected : nil, glyphs: state.glyphs)
        buffer.render(table, in: body)
    }

    private func renderSeries(_ buffer: inout ScreenBuffer, _ area: Rect) {
        var rest = [Span("  \(state.filtered.count)/\(state.catalogTotal)", .muted)]
        if !state.filter.isEmpty { rest.append(Span("  /" + state.filter, .searchMatch)) }
        paneTitle(&buffer, area.row(0), .series, "SERIES", rest)
        let footer = 2
        let list = Rect(x: area.x, y: area.y + 1, width: area.width, height: max(0, area.height - 1 - footer))
        if state.filtered.isEmpty {
            buffer.write(state.catalog.isEmpty ? "waiting for the first scrape…" : "no series match the filter", in: list.row(0), style: Style(.muted))
        } else {
            // Only the visible window of rows is built, so large catalogs stay cheap.
            let visible = max(1, list.height)
            let offset = Table.scrollOffset(selected: state.seriesSelected, offset: 0, visibleRows: visible, rowCount: state.filtered.count)
            let shown = state.filtered[offset..<min(state.filtered.count, offset + visible)]
            let rows: [[Span]] = shown.map { i in
                let s = state.catalog[i]
                return [Span(s.labels.description), Span(s.latest.map(ChartFormat.number) ?? "-", .accent)]
            }
            let table = Table(columns: [TableColumn("series", width: .fill(1)), TableColumn("value", width: .length(8), alignment: .right)],
                              rows: rows, selected: state.focus == .series ? state.seriesSelected - offset : nil,
                              showsHeader: false, glyphs: state.glyphs)
            buffer.render(table, in: list)
        }
        // The selected series: latest value and a sparkline of its recent values.
        let info = Rect(x: area.x, y: area.maxY - footer, width: area.width, height: footer)
        guard let s = state.selectedSeries else { return }
        let value = s.latest.map(ChartFormat.number) ?? "-"
        _ = buffer.write(spans: [Span("latest ", .muted), Span(value, .accent, [.bold]), Span("  " + s.labels.description, .muted)],
                         x: info.x, y: info.y, limit: info.maxX)
        let values = state.seriesHistory?.series.first?.values ?? []
        buffer.render(Sparkline(values: values, mode: .braille, style: Style(.accent), glyphs: state.glyphs), in: info.row(1))
    }

    private func renderChart(_ buffer: inout ScreenBuffer, _ area: Rect) {
        guard let chart = state.chart else {
            paneTitle(&buffer, area.row(0), .chart, "CHART", [])
            buffer.write(":chart EXPR [> threshold], or / in this pane", in: area.row(1), style: Style(.muted))
            buffer.write("c charts the selected series", in: area.row(2), style: Style(.muted))
            return
        }
        paneTitle(&buffer, area.row(0), .chart, "CHART ", [Span(chart.expression, .code)])
        let info = area.row(1)
        guard let result = state.chartResult else {
            buffer.write("evaluating…", in: info, style: Style(.muted))
            return
        }
        if let error = result.error {
            buffer.write(error, in: info, style: Style(.warning))
            return
        }
        var spans: [Span] = []
        if let first = result.series.first {
            let current = first.values.last(where: { $0 != nil }) ?? nil
            spans.append(Span("now ", .muted))
            spans.append(Span(current.map(ChartFormat.number) ?? "no data", .accent, [.bold]))
            if result.series.count > 1 { spans.append(Span("  \(result.series.count) series", .muted)) }
        } else {
            spans.append(Span("no data", .muted))
        }
        for t in chart.thresholds { spans.append(Span("  threshold " + ChartFormat.number(t), .warning)) }
        _ = buffer.write(spans: spans, x: info.x, y: info.y, limit: info.maxX)
        let plot = Rect(x: area.x, y: area.y + 2, width: area.width, height: max(0, area.height - 2))
        buffer.render(MetricsChart(series: result.series, thresholds: chart.thresholds, start: result.start, end: result.end,
                                   glyphs: state.glyphs), in: plot)
    }
}
