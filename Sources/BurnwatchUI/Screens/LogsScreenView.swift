import BurnwatchCore

/// Draws the logs screen. Every piece of log text goes through `ScreenBuffer.write`, which shows
/// control characters, escape sequences and bidi overrides escaped (`\x1b[31m`).
struct LogsScreenView {
    var state: LogsScreenState
    var glyphs: Glyphs

    func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let layout = LogsScreenLayout(area: area, state: state)
        renderStrip(&buffer, layout.strip)
        renderFilter(&buffer, layout.filter)
        renderList(&buffer, layout.list)
        if !layout.detail.isEmpty { renderDetail(&buffer, layout.detail) }
        renderHealth(&buffer, layout.health)
    }

    // MARK: Strip

    static func role(_ group: LogsScreenState.LevelGroup) -> StyleRole {
        switch group {
        case .error: .page
        case .warn: .warning
        case .info: .info
        case .debug: .muted
        }
    }

    static func label(_ group: LogsScreenState.LevelGroup) -> String {
        switch group {
        case .error: "err"
        case .warn: "wrn"
        case .info: "inf"
        case .debug: "dbg"
        }
    }

    private func renderStrip(_ buffer: inout ScreenBuffer, _ rect: Rect) {
        guard !rect.isEmpty else { return }
        let groups = LogsScreenState.LevelGroup.allCases
        let cellWidth = rect.width / groups.count
        for (k, group) in groups.enumerated() {
            let x = rect.x + k * cellWidth
            let role = Self.role(group)
            let sparkWidth = max(0, cellWidth - 10)
            let values = state.rates(group, seconds: sparkWidth)
            let last = values.last.flatMap { $0 } ?? 0
            buffer.write(Self.label(group), x: x, y: rect.y, style: Style(role, [.bold]))
            let spark = Rect(x: x + 4, y: rect.y, width: sparkWidth, height: 1)
            buffer.render(Sparkline(values: values, mode: .blocks, style: Style(role), glyphs: glyphs), in: spark)
            buffer.write(TextFit.pad("\(Int(last))/s", toWidth: 5, alignment: .right), x: spark.maxX, y: rect.y,
                         style: Style(role), limit: x + cellWidth)
        }
    }

    // MARK: Filter line

    private func renderFilter(_ buffer: inout ScreenBuffer, _ rect: Rect) {
        guard !rect.isEmpty else { return }
        var x = rect.x
        if let request = state.request {
            x = buffer.write("request ", x: x, y: rect.y, style: Style(.header, [.bold]))
            x = buffer.write("\(request.field)=\(request.value)", x: x, y: rect.y, style: Style(.accent), limit: rect.maxX)
            x = buffer.write("  (r or Esc: back)", x: x, y: rect.y, style: Style(.muted), limit: rect.maxX)
        } else {
            let editing = state.editing
            x = buffer.write(editing != nil ? "filter> " : "filter: ", x: x, y: rect.y, style: Style(.header, [.bold]))
            let text = editing?.string ?? state.filterText
            let textStart = x
            if text.isEmpty, editing == nil {
                x = buffer.write("(none, / to type one)", x: x, y: rect.y, style: Style(.muted), limit: rect.maxX)
            } else {
                x = buffer.write(text, x: x, y: rect.y, style: Style(.prompt), limit: rect.maxX)
            }
            if editing != nil {
                buffer.write(" ", x: x, y: rect.y, style: Style(.prompt, [.reverse]), limit: rect.maxX)
                x += 1
            }
            if let error = state.filterError {
                // Mark the column the parser stopped at.
                let col = textStart + DisplayWidth.ofSafe(String(text.prefix(max(0, error.column - 1))))
                if col < rect.maxX { buffer.addAttributes([.reverse, .underline], in: Rect(x: col, y: rect.y, width: 1, height: 1)) }
                x = buffer.write("  column \(error.column): \(error.message)", x: x, y: rect.y, style: Style(.warning, [.bold]), limit: rect.maxX)
            }
        }
        var right = state.following ? "FOLLOW" : "PAUSED"
        if !state.following, state.newWhilePaused > 0 { right += " +\(state.newWhilePaused)" }
        right = " \(state.visible.count)/\(state.records.count)" + (state.evicted > 0 ? " ev \(state.evicted)" : "") + " " + right
        let w = DisplayWidth.of(right)
        if x + w < rect.maxX {
            buffer.write(right, x: rect.maxX - w, y: rect.y, style: Style(state.following ? .ok : .warning, [.bold]))
        }
    }

    // MARK: List

    static func levelTag(_ level: LogLevel) -> String {
        switch level {
        case .fatal: "FTL "
        case .error: "ERR "
        case .warn: "WRN "
        case .info: "INF "
        case .debug: "DBG "
        case .trace: "TRC "
        case .unknown: "--- "
        }
    }

    /// `HH:MM:SS.mmm` in UTC.
    static func clock(_ t: Timestamp) -> String {
        let ms = ((t.milliseconds % 86_400_000) + 86_400_000) % 86_400_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let milli = ms % 1000
        let m3 = milli < 10 ? "00\(milli)" : (milli < 100 ? "0\(milli)" : "\(milli)")
        return "\(two(ms / 3_600_000)):\(two(ms / 60_000 % 60)):\(two(ms / 1000 % 60)).\(m3)"
    }

    /// The text of a line in the list: the request summary and message for structured lines, the raw line otherwise.
    static func summary(_ r: LogsRecord) -> [Span] {
        guard r.structured else { return [Span(r.raw)] }
        let e = r.event
        var spans: [Span] = []
        if let method = e.method { spans.append(Span(method + " ", .accent)) }
        if let path = e.path ?? e.route { spans.append(Span(path + " ")) }
        if let status = e.status {
            let role: StyleRole = status >= 500 ? .page : (status >= 400 ? .warning : .ok)
            spans.append(Span("\(status) ", role))
        }
        if let d = e.duration { spans.append(Span(formatDuration(d) + " ", .muted)) }
        if let m = e.message { spans.append(Span(m + " ")) }
        if let kind = e.errorKind { spans.append(Span("error_kind=" + kind + " ", .page)) }
        var shown = 0
        for (k, v) in e.fields where shown < 12 && !Self.isShownElsewhere(k) {
            spans.append(Span(k + "=", .muted))
            spans.append(Span(v + " "))
            shown += 1
        }
        return spans
    }

    /// Fields the summary already shows through the normalised event (or that only add noise there).
    static func isShownElsewhere(_ key: String) -> Bool {
        if LogEvent.normalisedName(key) != nil { return true }
        switch key {
        case "@timestamp", "ts", "lvl", "severity", "logger", "caller", "msg", "message", "uri", "request.uri", "request.method",
             "request.headers.User-Agent", "resp_headers.Server", "resp_headers.Content-Type", "user_id", "request.proto",
             "request.remote_port", "level", "time":
            return true
        default:
            return false
        }
    }

    static func formatDuration(_ seconds: Double) -> String {
        if seconds >= 1 { return "\(Double(Int(seconds * 100)) / 100)s" }
        if seconds >= 0.001 { return "\(Double(Int(seconds * 10_000)) / 10)ms" }
        return "\(Int(seconds * 1_000_000))µs"
    }

    private var showsSource: Bool { state.health.count > 1 }

    private func renderList(_ buffer: inout ScreenBuffer, _ rect: Rect) {
        guard !rect.isEmpty else { return }
        if state.visible.isEmpty {
            let text = state.records.isEmpty ? "waiting for log lines…" : "no line matches the filter"
            buffer.write(text, x: rect.x + 1, y: rect.y, style: Style(.muted), limit: rect.maxX)
            return
        }
        let end = min(state.visible.count, state.scrollTop + rect.height)
        for (row, index) in (state.scrollTop..<end).enumerated() {
            guard let r = state.record(state.visible[index]) else { continue }
            let y = rect.y + row
            let isSelected = state.visible[index] == state.selected
            var x = buffer.write(Self.clock(r.time) + " ", x: rect.x, y: y, style: Style(.muted), limit: rect.maxX)
            let group = LogsScreenState.LevelGroup(r.event.level)
            x = buffer.write(Self.levelTag(r.event.level), x: x, y: y,
                             style: Style(r.event.level == .unknown ? .muted : Self.role(group), [.bold]), limit: rect.maxX)
            if showsSource {
                x = buffer.write(TextFit.pad(TextFit.truncate(Self.baseName(r.source), toWidth: 12), toWidth: 13), x: x, y: y,
                                 style: Style(.accent), limit: rect.maxX)
            }
            if r.truncated { x = buffer.write("[cut] ", x: x, y: y, style: Style(.warning), limit: rect.maxX) }
            buffer.write(spans: Self.summary(r), x: x, y: y, limit: rect.maxX)
            if isSelected {
                buffer.setStyle(Style(.selection), in: Rect(x: rect.x, y: y, width: rect.width, height: 1))
            }
        }
    }

    static func baseName(_ path: String) -> String {
        if let slash = path.lastIndex(of: "/"), path.index(after: slash) < path.endIndex {
            return String(path[path.index(after: slash)...])
        }
        return path
    }

    // MARK: Detail

    private func renderDetail(_ buffer: inout ScreenBuffer, _ rect: Rect) {
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), with: glyphs.horizontal, style: Style(.border))
        guard let r = state.selectedRecord else {
            buffer.write(" detail: no line selected ", x: rect.x + 2, y: rect.y, style: Style(.title), limit: rect.maxX)
            return
        }
        var title = " \(Self.baseName(r.source)) \(glyphs.separator) \(r.event.format)"
        if let t = r.event.time { title += " \(glyphs.separator) \(RFC3339.format(t))" }
        if r.truncated { title += " \(glyphs.separator) cut at the line cap" }
        buffer.write(title + " ", x: rect.x + 2, y: rect.y, style: Style(.title, [.bold]), limit: rect.maxX)
        let body = Rect(x: rect.x + 1, y: rect.y + 1, width: max(0, rect.width - 1), height: rect.height - 1)
        var lines: [[Span]]
        if r.structured, let value = LogsJSONPretty.parse(r.raw) {
            lines = LogsJSONPretty.lines(value, limit: body.height)
        } else {
            lines = [[Span(r.structured ? "logfmt line:" : "not JSON; the line as read:", .muted)]]
            lines += TextWrap.wrap([Span(r.raw)], width: max(1, body.width))
        }
        for (i, line) in lines.prefix(body.height).enumerated() {
            buffer.write(spans: line, x: body.x, y: body.y + i, limit: body.maxX)
        }
    }

    // MARK: Health

    private func renderHealth(_ buffer: inout ScreenBuffer, _ rect: Rect) {
        guard !rect.isEmpty else { return }
        let shown = state.health.count > rect.height ? rect.height - 1 : rect.height
        for (i, h) in state.health.prefix(shown).enumerated() {
            let y = rect.y + i
            let bad = h.state == .failed || h.state == .exited
            let role: StyleRole = bad ? .page : (h.lastError != nil || h.state == .waiting ? .warning : .ok)
            var x = buffer.write("\(glyphs.bullet) ", x: rect.x, y: y, style: Style(role), limit: rect.maxX)
            x = buffer.write(Self.keepingEnd(h.name, width: max(16, rect.width / 3)) + " ", x: x, y: y, style: Style(.accent), limit: rect.maxX)
            var text = "\(h.state.rawValue) \(Self.rate(h.linesPerSecond)) lines/s, \(h.lines) lines"
            if let p = h.preset { text += " (\(p))" }
            if h.unparsed > 0 { text += ", \(h.unparsed) unparsed" }
            if h.truncated > 0 { text += ", \(h.truncated) truncated" }
            if h.invalidUTF8 > 0 { text += ", \(h.invalidUTF8) invalid UTF-8" }
            if h.otherFormat > 0 { text += ", \(h.otherFormat) in another format" }
            if h.dropped > 0 { text += ", \(h.dropped) dropped" }
            if h.late > 0 { text += ", \(h.late) late" }
            x = buffer.write(text, x: x, y: y, style: Style(.muted), limit: rect.maxX)
            if let error = h.lastError {
                buffer.write("  " + error, x: x, y: y, style: Style(role, [.bold]), limit: rect.maxX)
            } else if let notice = h.lastNotice {
                buffer.write("  " + notice, x: x, y: y, style: Style(.muted), limit: rect.maxX)
            }
        }
        if shown < state.health.count {
            buffer.write("+\(state.health.count - shown) more sources", x: rect.x, y: rect.y + shown, style: Style(.muted), limit: rect.maxX)
        }
    }

    /// `text` cut from the left to `width` columns with a leading ellipsis: a path keeps its file name.
    static func keepingEnd(_ text: String, width: Int) -> String {
        let safe = TerminalSafeText.escape(text)
        guard DisplayWidth.of(safe) > width, width > 1 else { return safe }
        var tail = ""
        var w = 0
        for c in safe.reversed() {
            let cw = DisplayWidth.of(String(c))
            if w + cw > width - 1 { break }
            tail.insert(c, at: tail.startIndex)
            w += cw
        }
        return "…" + tail
    }

    static func rate(_ v: Double) -> String {
        if v >= 100 { return "\(Int(v.rounded()))" }
        return "\(Double(Int((v * 10).rounded())) / 10)"
    }
}
