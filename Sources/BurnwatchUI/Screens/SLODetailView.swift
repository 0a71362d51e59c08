import BurnwatchCore
import BurnwatchRunbooks

/// One SLO's detail: budget, the numbers per window with the exact query behind each, the
/// focused window's burn rate over time with its tier thresholds, the budget over time, and the
/// runbook sections for `slo_burn`.
public struct SLODetailView: Widget {
    public var state: SLOOverviewState
    public var row: SLORowState
    public var now: Timestamp?

    public init(state: SLOOverviewState, row: SLORowState, now: Timestamp?) { self.state = state; self.row = row; self.now = now }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard area.height >= 6 else { return }
        let g = state.glyphs
        let sectionsShown = min(state.runbookSections.count, max(1, area.height / 6))
        let parts = area.rows([.length(1), .length(1), .length(1 + SLOWindow.all.count), .length(2), .fill(1),
                               .length(1 + max(1, sectionsShown))])
        // Title.
        var title = [Span(row.spec.service + " / " + row.spec.name, .title, [.bold]),
                     Span("  objective " + ChartFormat.fixed(row.spec.objective * 100, significant: 5) + "% over " + row.spec.period.description, .muted),
                     Span("  " + row.stateText, style: Style(row.stateRole, [.bold])),
                     Span("  via " + row.source, .muted)]
        if let error = row.error { title.append(Span("  " + error, .warning)) }
        _ = buffer.write(spans: title, x: parts[0].x, y: parts[0].y, limit: parts[0].maxX)

        // Budget remaining and time to exhaustion.
        let budgetRow = parts[1]
        buffer.write("budget left", x: budgetRow.x, y: budgetRow.y, style: Style(.muted))
        let remaining = row.status?.budgetRemaining
        var tte = row.status?.timeToExhaustionSeconds.map { $0 <= 0 ? "  budget spent" : "  exhausted in " + ChartFormat.duration(seconds: $0) } ?? ""
        if let held = row.status?.budgetDataSeconds { tte += "  from " + ChartFormat.duration(seconds: held) + " of data" }
        let gaugeWidth = max(10, min(40, budgetRow.width / 3))
        buffer.render(Gauge(ratio: remaining.map { max(0, $0) }, label: remaining.map { ChartFormat.number(($0 * 1000).rounded() / 10) + "%" },
                            style: Style(remaining.map { $0 <= 0 ? .page : $0 < 0.25 ? .warning : .ok } ?? .muted), glyphs: g),
                      in: Rect(x: budgetRow.x + 12, y: budgetRow.y, width: gaugeWidth, height: 1))
        let afterGauge = budgetRow.x + 13 + gaugeWidth
        buffer.write(tte, x: afterGauge, y: budgetRow.y, style: Style(.normal), limit: budgetRow.maxX)
        let sparkX = afterGauge + tte.count + 2
        if budgetRow.maxX - sparkX > 12 {
            buffer.write("over time", x: sparkX, y: budgetRow.y, style: Style(.muted))
            buffer.render(Sparkline(values: row.budget.values, mode: .braille, style: Style(.accent), glyphs: g),
                          in: Rect(x: sparkX + 10, y: budgetRow.y, width: budgetRow.maxX - sparkX - 10, height: 1))
        }

        // Windows: error ratio, burn rate, events, and the query.
        let focus = state.detailFocus
        let windows: [[Span]] = SLOWindow.all.indices.map { k in
            let w = row.status.flatMap { k < $0.windows.count ? $0.windows[k] : nil }
            return [Span(SLOWindow.all[k].description),
                    Span(w?.errorRatio.map { ChartFormat.percent($0) } ?? "no data", w?.errorRatio == nil ? .muted : .normal),
                    Span(w?.burnRate.map { ChartFormat.number($0) + "x" } ?? "-", style: Style(row.burnRole(windowIndex: k))),
                    Span(w?.events.map { ChartFormat.number($0) } ?? "-", .muted),
                    Span(w?.dataSeconds.map { ChartFormat.duration(seconds: $0) + " of data" } ?? "", .warning),
                    Span(row.queries(windowIndex: k, at: now)[0], .code)]
        }
        let table = Table(columns: [TableColumn("WINDOW", width: .length(7)), TableColumn("ERRORS", width: .length(8), alignment: .right),
                                    TableColumn("BURN", width: .length(7), alignment: .right), TableColumn("EVENTS", width: .length(7), alignment: .right),
                                    TableColumn("HELD", width: .length(12)), TableColumn("QUERY", width: .fill(1))],
                          rows: windows, selected: focus < SLOWindow.all.count ? focus : nil, glyphs: g)
        buffer.render(table, in: parts[2])

        // The focused window's full query.
        let k = state.focusedWindow
        let query = row.queries(windowIndex: k, at: now)[0]
        let wrapped = RichText(lines: [RichLine([Span(SLOWindow.all[k].description + ": ", .muted), Span(query, .code)], hangingIndent: 2)])
        buffer.render(wrapped, in: parts[3])

        // Burn rate of the focused window over time, with the thresholds of the tiers using it.
        let chartArea = parts[4]
        var thresholds: [Double] = []
        var tierText: [String] = []
        if case .fixed(let length) = SLOWindow.all[k], let alerts = row.status?.alerts {
            for alert in alerts where alert.tier.long == length || alert.tier.short == length {
                thresholds.append(alert.tier.factor)
                tierText.append("\(alert.tier.severity.rawValue) \(ChartFormat.number(alert.tier.factor))x")
            }
        }
        let caption = "burn rate " + SLOWindow.all[k].description + " since start" + (tierText.isEmpty ? "" : " (thresholds " + tierText.joined(separator: ", ") + ")")
        buffer.write(caption, in: chartArea.row(0), style: Style(.muted))
        if chartArea.height > 3 {
            let chart = MetricsChart(series: [ChartSeries(label: "burn", values: row.burn[k].values)], thresholds: thresholds,
                                     start: row.firstUpdate, end: row.lastUpdate, glyphs: g)
            buffer.render(chart, in: Rect(x: chartArea.x, y: chartArea.y + 1, width: chartArea.width, height: chartArea.height - 1))
        }

        // Runbook sections for slo_burn.
        let list = parts[5]
        buffer.write("runbooks for slo_burn (Enter opens)", in: list.row(0), style: Style(.heading, [.bold]))
        if state.runbookSections.isEmpty {
            buffer.write("no runbook section answers slo_burn", in: list.row(1), style: Style(.muted))
            return
        }
        let focusedSection = focus - SLOWindow.all.count
        let first = max(0, min(focusedSection, state.runbookSections.count - sectionsShown))
        for (line, i) in (first..<min(state.runbookSections.count, first + sectionsShown)).enumerated() {
            let section = state.runbookSections[i]
            let r = list.row(1 + line)
            let selected = i == focusedSection
            if selected { buffer.fill(r, style: Style(.selection)) }
            let spans = [Span(String(g.pointer) + " ", style: Style(selected ? .selection : .muted)),
                         Span(section.title, style: Style(selected ? .selection : .link)),
                         Span("  " + section.fileName + "#" + section.anchor, style: Style(selected ? .selection : .muted))]
            _ = buffer.write(spans: spans, x: r.x, y: r.y, limit: r.maxX)
        }
    }
}
