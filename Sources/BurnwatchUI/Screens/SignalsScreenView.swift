import BurnwatchCore

/// The signals screen's drawing: one row per signal with a sparkline of its main evidence, and
/// the selected signal's evidence and runbooks in a pane below when open.
///
/// - Complexity: O(visible rows × width).
public struct SignalsScreenView: Widget {
    public var state: SignalsScreenState
    public var now: Timestamp?

    public init(state: SignalsScreenState, now: Timestamp?) { self.state = state; self.now = now }

    static let columns = [
        TableColumn("SEVERITY", width: .length(9)),
        TableColumn("KIND", width: .length(21)),
        TableColumn("SERVICE", width: .fill(1)),
        TableColumn("AGE", width: .length(6), alignment: .right),
        TableColumn("TREND", width: .length(12)),
        TableColumn("SUMMARY", width: .fill(4)),
    ]

    static func role(_ s: Signal) -> StyleRole {
        guard s.isActive else { return .muted }
        switch s.severity { case .page: return .page; case .warning: return .warning; case .info: return .accent }
    }

    func table(height: Int) -> Table {
        let rows: [[Span]] = state.signals.map { s in
            let age = now.map { ChartFormat.duration(seconds: max(0, ($0 - s.since).seconds)) } ?? "-"
            var summary = s.summary
            if let ack = state.acknowledgements[s.key] { summary = "ack by \(ack.by) · " + summary }
            if let resolved = s.resolvedAt { summary = "resolved \(ChartFormat.clock(resolved)) · " + summary }
            return [Span(s.isActive ? s.severity.rawValue.uppercased() : "resolved", style: Style(Self.role(s), s.isActive ? [.bold] : [])),
                    Span(s.kind.rawValue, style: Style(s.isActive ? .title : .muted)),
                    Span(s.service, style: Style(s.isActive ? .normal : .muted)),
                    Span(age, .muted),
                    Span(""),
                    Span(summary, style: Style(s.isActive ? .normal : .muted))]
        }
        return Table(columns: Self.columns, rows: rows, selected: rows.isEmpty ? nil : state.selected, offset: state.offset,
                     glyphs: state.glyphs).scrolled(height: height)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let active = state.signals.filter(\.isActive)
        var header = [Span("Signals", .title, [.bold])]
        header.append(Span(active.isEmpty ? "  none active" : "  \(active.count) active", active.isEmpty ? .ok : .warning))
        if let at = state.lastUpdate { header.append(Span("  round \(ChartFormat.clock(at)) UTC", .muted)) }
        header.append(Span("  Enter runbook · space evidence · m chart · l logs · a ack", .muted))
        _ = buffer.write(spans: header, x: area.x, y: area.y, limit: area.maxX)
        let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: max(0, area.height - 1))
        if state.signals.isEmpty {
            buffer.write("No signal: nothing the detectors know is failing (docs/signals.md lists what they watch).",
                         in: body.row(1), style: Style(.muted))
            return
        }
        let detailHeight = state.detail ? min(max(7, (state.selectedSignal?.evidence.count ?? 0) + 5), body.height / 2) : 0
        let listArea = Rect(x: body.x, y: body.y, width: body.width, height: body.height - detailHeight)
        let table = table(height: listArea.height)
        buffer.render(table, in: listArea)
        let content = Rect(x: listArea.x, y: listArea.y, width: listArea.width - 1, height: listArea.height)
        let trend = content.columns(table.columns.map(\.width), spacing: table.spacing)[4]
        for (line, index) in (table.offset..<min(state.signals.count, table.offset + table.visibleRows(height: listArea.height))).enumerated() {
            let s = state.signals[index]
            buffer.render(Sparkline(values: state.history[s.key] ?? [], mode: .braille, style: Style(Self.role(s)), glyphs: state.glyphs),
                          in: Rect(x: trend.x, y: listArea.y + 1 + line, width: trend.width, height: 1))
        }
        if detailHeight > 0, let s = state.selectedSignal {
            renderDetail(s, into: &buffer, area: Rect(x: body.x, y: listArea.maxY, width: body.width, height: detailHeight))
        }
    }

    private func renderDetail(_ s: Signal, into buffer: inout ScreenBuffer, area: Rect) {
        buffer.write(String(repeating: state.glyphs.horizontal, count: area.width), in: area.row(0), style: Style(.border))
        var y = area.y + 1
        _ = buffer.write(spans: [Span("\(s.kind.rawValue) · \(s.service)", .title, [.bold]),
                                 Span("  since \(ChartFormat.clock(s.since)) UTC", .muted)], x: area.x, y: y, limit: area.maxX)
        y += 1
        buffer.write(s.summary, in: Rect(x: area.x, y: y, width: area.width, height: 1))
        y += 1
        for e in s.evidence where y < area.maxY - 1 {
            _ = buffer.write(spans: [Span("  " + e.name + " ", .muted),
                                     Span(e.value.map(ChartFormat.number) ?? "no data", e.value == nil ? .muted : .normal, [.bold]),
                                     Span("  " + e.source, .muted)], x: area.x, y: y, limit: area.maxX)
            y += 1
        }
        if y < area.maxY {
            let links = s.runbooks.isEmpty ? "no runbook section answers this kind" : s.runbooks.joined(separator: "  ")
            _ = buffer.write(spans: [Span("  runbooks ", .muted), Span(links, .accent)], x: area.x, y: y, limit: area.maxX)
        }
    }
}
