import BurnwatchCore

/// The overview's drawing: a header (clock, sources, drops) and one row per SLO, worst first.
///
/// Columns: state, service, name, objective, budget remaining (a gauge), burn rates (as many
/// windows as the width allows, coloured by tier), and a sparkline of the 5m error ratio.
/// - Complexity: O(visible rows × width).
public struct SLOOverviewView: Widget {
    public var state: SLOOverviewState
    public var now: Timestamp?

    public init(state: SLOOverviewState, now: Timestamp?) { self.state = state; self.now = now }

    /// The window indexes (into `SLOWindow.all`) shown for a width.
    static func windowIndexes(width: Int) -> [Int] {
        if width >= 120 { return [0, 1, 2, 4, 5, 6] }   // 5m 30m 1h 6h 1d 3d
        if width >= 100 { return [0, 2, 4, 5] }         // 5m 1h 6h 1d
        return [0, 2]                                   // 5m 1h
    }

    static func columns(width: Int) -> [TableColumn] {
        let wide = width >= 120
        var columns = [
            TableColumn("STATE", width: .length(11)),
            TableColumn("SERVICE", width: .fill(1)),
            TableColumn("SLO", width: .fill(2)),
            TableColumn("OBJ", width: .length(6), alignment: .right),
            TableColumn("BUDGET", width: .length(wide ? 16 : 11)),
        ]
        for k in windowIndexes(width: width) {
            columns.append(TableColumn(SLOWindow.all[k].description, width: .length(6), alignment: .right))
        }
        columns.append(TableColumn("ERRORS", width: .length(wide ? 16 : 8)))
        return columns
    }

    /// The row index shown at body line `y`, for mouse clicks.
    static func rowIndex(atLine y: Int, state: SLOOverviewState, area: Rect) -> Int? {
        table(state: state, width: area.width).row(atLine: y, in: tableArea(area))
    }

    static func tableArea(_ area: Rect) -> Rect { Rect(x: area.x, y: area.y + 1, width: area.width, height: max(0, area.height - 1)) }

    static func table(state: SLOOverviewState, width: Int) -> Table {
        let windows = windowIndexes(width: width)
        let rows: [[Span]] = state.rows.map { row in
            var cells = [
                Span(row.stateText, style: Style(row.stateRole, row.rank <= 1 ? [.bold] : [])),
                Span(row.spec.service),
                Span(row.spec.name),
                Span(ChartFormat.fixed(row.spec.objective * 100, significant: 5) + "%", .muted),
                Span(""),
            ]
            for k in windows {
                let burn = row.status.flatMap { k < $0.windows.count ? $0.windows[k].burnRate : nil }
                cells.append(Span(burn.map { ChartFormat.number($0) + "x" } ?? "-", style: Style(row.burnRole(windowIndex: k))))
            }
            cells.append(Span(""))
            return cells
        }
        return Table(columns: columns(width: width), rows: rows, selected: state.rows.isEmpty ? nil : state.selected,
                     offset: state.offset, glyphs: state.glyphs)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        renderHeader(&buffer, area.row(0))
        let tableArea = Self.tableArea(area)
        if state.rows.isEmpty {
            buffer.write("No SLOs configured: add `slos:` to the config (see docs/slo.md).", in: tableArea.row(1), style: Style(.muted))
            return
        }
        let table = Self.table(state: state, width: area.width).scrolled(height: tableArea.height)
        buffer.render(table, in: tableArea)
        // Gauges and sparklines over their (blank) cells.
        let content = Rect(x: tableArea.x, y: tableArea.y, width: tableArea.width - 1, height: tableArea.height)
        let cols = content.columns(table.columns.map(\.width), spacing: table.spacing)
        let budgetColumn = cols[4], sparkColumn = cols[cols.count - 1]
        let visible = table.visibleRows(height: tableArea.height)
        for (line, index) in (table.offset..<min(state.rows.count, table.offset + visible)).enumerated() {
            let y = tableArea.y + 1 + line
            let row = state.rows[index]
            let remaining = row.status?.budgetRemaining
            let role: StyleRole = remaining.map { $0 <= 0 ? .page : $0 < 0.25 ? .warning : .ok } ?? .muted
            let label = remaining.map { ChartFormat.number(($0 * 1000).rounded() / 10) + "%" }
            buffer.render(Gauge(ratio: remaining.map { max(0, $0) }, label: label, style: Style(role), glyphs: state.glyphs),
                          in: Rect(x: budgetColumn.x, y: y, width: budgetColumn.width, height: 1))
            buffer.render(Sparkline(values: row.errorRatio.values, mode: .braille, style: Style(row.stateRole == .page ? .page : .accent),
                                    glyphs: state.glyphs),
                          in: Rect(x: sparkColumn.x, y: y, width: sparkColumn.width, height: 1))
        }
    }

    private func renderHeader(_ buffer: inout ScreenBuffer, _ row: Rect) {
        var spans: [Span] = []
        if let now { spans.append(Span(ChartFormat.clock(now) + " UTC", .title, [.bold])) }
        for source in state.sources {
            spans.append(Span("  " + source.name + " ", .muted))
            spans.append(Span(source.detail.isEmpty ? (source.healthy ? "ok" : "failing") : source.detail,
                              source.healthy ? .ok : .warning))
            if source.dropped > 0 { spans.append(Span(" dropped \(source.dropped)", .warning)) }
        }
        // windows longer than the data held (a fresh start, a gap in the source) say so
        if let held = state.rows.compactMap({ $0.status?.budgetDataSeconds }).min() {
            spans.append(Span("  data held ", .muted))
            spans.append(Span(ChartFormat.duration(seconds: held) + " (longer windows hold only that)", .warning))
        }
        spans.append(Span("  events dropped ", .muted))
        spans.append(Span(String(state.droppedEvents), state.droppedEvents > 0 ? .warning : .muted))
        _ = buffer.write(spans: spans, x: row.x, y: row.y, limit: row.maxX)
    }
}
