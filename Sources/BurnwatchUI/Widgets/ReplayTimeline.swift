import BurnwatchCore

/// The replay's timeline row: play state and speed, the position's time, a bar from the first to
/// the last event with the alerts and signals marked on it, and the end's time.
///
/// `▶ ×10 14:03:20 ━━━━━━●──!──^──·── 14:15:02`: `!` a page, `^` a warning, `·` a resolution.
public struct ReplayTimeline: Widget, Hashable, Sendable {
    public var status: ReplayStatus
    public var glyphs: Glyphs

    public init(status: ReplayStatus, glyphs: Glyphs = .unicode) { self.status = status; self.glyphs = glyphs }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        buffer.fill(row, style: Style(.normal))
        let state = status.paused ? (glyphs.isUnicode ? "⏸" : "||") : String(glyphs.pointer)
        let head = " \(state) \(status.speedText) \(ChartFormat.clock(status.position)) "
        var x = buffer.write(head, x: row.x, y: row.y, style: Style(.accent, [.bold]), limit: row.maxX)
        let tail = " \(ChartFormat.clock(status.end)) "
        let barWidth = row.maxX - x - DisplayWidth.ofSafe(tail)
        guard barWidth >= 8 else { return }
        let span = max(1, status.end.milliseconds - status.start.milliseconds)
        func column(_ t: Timestamp) -> Int {
            let offset = min(max(0, t.milliseconds - status.start.milliseconds), span)
            return Int(Int64(barWidth - 1) * offset / span)
        }
        let here = column(status.position)
        var cells = [(Character, Style)](repeating: (glyphs.horizontal, Style(.muted)), count: barWidth)
        for i in 0..<here { cells[i] = (glyphs.isUnicode ? "━" : "=", Style(.accent)) }
        // the most severe mark wins a cell
        let order: [ReplayMark.Level] = [.resolved, .info, .warning, .page]
        var levels = [Int](repeating: -1, count: barWidth)
        for mark in status.marks {
            let c = column(mark.time)
            let rank = order.firstIndex(of: mark.level) ?? 0
            guard rank > levels[c] else { continue }
            levels[c] = rank
            switch mark.level {
            case .page: cells[c] = ("!", Style(.page, [.bold]))
            case .warning: cells[c] = (glyphs.isUnicode ? "▲" : "^", Style(.warning, [.bold]))
            case .info: cells[c] = (glyphs.bullet, Style(.info))
            case .resolved: cells[c] = (glyphs.isUnicode ? "·" : ".", Style(.ok))
            }
        }
        cells[here] = (glyphs.isUnicode ? "●" : "O", Style(.accent, [.bold]))
        for (ch, style) in cells { x = buffer.write(String(ch), x: x, y: row.y, style: style, limit: row.maxX) }
        _ = buffer.write(tail, x: x, y: row.y, style: Style(.muted), limit: row.maxX)
    }
}
