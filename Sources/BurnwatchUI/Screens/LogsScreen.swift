import BurnwatchCore

/// The logs screen: live tail with follow/pause, filter as you type, level colours, jumps between
/// errors and warnings, a detail pane, a per-second strip by level, the request view and the
/// sources' health. Lines arrive as `LogsBatch` external events from the log feed.
public struct LogsScreen: ScreenModel {
    public var id: ScreenID { .logs }
    public var title: String { "Logs" }
    public var state: LogsScreenState

    /// Creates the screen keeping at most `retention` lines.
    public init(retention: Int = 20_000) { state = LogsScreenState(retention: retention) }

    public init(state: LogsScreenState) { self.state = state }

    public var capturesKeys: Bool { state.editing != nil }

    public var keymap: Keymap {
        Keymap([
            KeyBinding(keys: [.char("/")], action: .custom("filter"), help: "filter as you type (e.g. status>=500)", group: "Logs"),
            KeyBinding(keys: [.char("f"), .char(" ")], action: .custom("follow"), help: "follow / pause", group: "Logs"),
            KeyBinding(keys: [.char("e")], action: .custom("next-error"), help: "next error", group: "Logs"),
            KeyBinding(keys: [.char("E")], action: .custom("previous-error"), help: "previous error", group: "Logs"),
            KeyBinding(keys: [.char("w")], action: .custom("next-warning"), help: "next warning", group: "Logs"),
            KeyBinding(keys: [.char("W")], action: .custom("previous-warning"), help: "previous warning", group: "Logs"),
            KeyBinding(keys: [.char("r")], action: .custom("request"), help: "lines of this request (again: back)", group: "Logs"),
            KeyBinding(keys: [.char("d")], action: .custom("detail"), help: "detail pane on/off", group: "Logs"),
        ])
    }

    public func statusSegments(context: ScreenContext) -> [StatusSegment] {
        var segments = [StatusSegment(state.following ? " FOLLOW " : " PAUSED ", style: Style(.statusBar, [.bold]))]
        var counts = " \(state.visible.count)/\(state.records.count) lines "
        if state.evicted > 0 { counts += "(\(state.evicted) evicted) " }
        segments.append(StatusSegment(counts))
        if !state.following, state.newWhilePaused > 0 { segments.append(StatusSegment(" +\(state.newWhilePaused) new ")) }
        return segments
    }

    public mutating func handle(_ input: ScreenInput, context: ScreenContext) -> ScreenResponse {
        let rows = Self.listRows(state, context)
        state.message = nil
        switch input {
        case .external(let event):
            if event is ReplayRewound {
                // a replay went back: start over with the same filter
                let filter = state.filterText
                state = LogsScreenState(retention: state.retention)
                if !filter.isEmpty { _ = state.setFilter(filter, pageRows: rows) }
                return .changed
            }
            guard let batch = event as? LogsBatch else { return .ignored }
            state.append(batch, pageRows: rows)
            let after = Self.listRows(state, context)
            if after != rows { state.resize(pageRows: after) }
            return .changed
        case .key(let key):
            guard state.editing != nil else { return .ignored }
            state.editKey(key, pageRows: rows)
            return .changed
        case .command(let words):
            guard let name = words.first, name == "filter" || name == "f" else { return .ignored }
            let text = words.dropFirst().joined(separator: " ")
            if !state.setFilter(text, pageRows: rows), let error = state.filterError {
                return ScreenResponse(handled: true, status: StatusMessage("filter: column \(error.column): \(error.message)", role: .warning))
            }
            return .changed
        case .search(let text, _):
            state.setFilter(text, pageRows: rows)
            return .changed
        case .mouse(let mouse):
            let layout = LogsScreenLayout(area: Rect(x: 0, y: 0, width: context.bodySize.width, height: context.bodySize.height), state: state)
            guard mouse.button == .left, layout.list.contains(x: mouse.x, y: mouse.y) else { return .ignored }
            state.select(index: state.scrollTop + mouse.y - layout.list.y, pageRows: rows)
            return .changed
        case .action(let action):
            return handle(action, context: context)
        case .activated:
            state.resize(pageRows: rows)
            return .changed
        case .tick, .input:
            return .ignored
        }
    }

    /// The list's height for `state` in the body size of `context`.
    static func listRows(_ state: LogsScreenState, _ context: ScreenContext) -> Int {
        LogsScreenLayout(area: Rect(x: 0, y: 0, width: context.bodySize.width, height: context.bodySize.height), state: state).list.height
    }

    private mutating func handle(_ action: Action, context: ScreenContext) -> ScreenResponse {
        let rows = { [state] in Self.listRows(state, context) }
        switch action {
        case .up: state.move(by: -1, pageRows: rows())
        case .down: state.move(by: 1, pageRows: rows())
        case .pageUp: state.move(by: -max(1, rows() - 1), pageRows: rows())
        case .pageDown: state.move(by: max(1, rows() - 1), pageRows: rows())
        case .halfPageUp: state.move(by: -max(1, rows() / 2), pageRows: rows())
        case .halfPageDown: state.move(by: max(1, rows() / 2), pageRows: rows())
        case .top: state.jump(toTop: true, pageRows: rows())
        case .bottom: state.jump(toTop: false, pageRows: rows())
        case .open, .custom("detail"):
            state.toggleDetail()
            state.resize(pageRows: Self.listRows(state, context))
        case .toggle, .custom("follow"): state.toggleFollow(pageRows: rows())
        case .custom("filter"): state.beginEditing()
        case .custom("request"): state.toggleRequestView(pageRows: rows())
        case .custom("next-error"), .custom("previous-error"), .custom("next-warning"), .custom("previous-warning"):
            guard case .custom(let name) = action else { return .ignored }
            let group: LogsScreenState.LevelGroup = name.hasSuffix("error") ? .error : .warn
            let forward = name.hasPrefix("next")
            if !state.jump(to: group, forward: forward, pageRows: rows()) {
                let what = group == .error ? "error" : "warning"
                return ScreenResponse(handled: true, status: StatusMessage("no \(forward ? "later" : "earlier") \(what)", role: .muted))
            }
        case .back:
            if state.request != nil {
                state.toggleRequestView(pageRows: rows())
            } else if state.detailOpen {
                state.toggleDetail()
                state.resize(pageRows: Self.listRows(state, context))
            } else {
                return .ignored
            }
        default:
            return .ignored
        }
        if let message = state.message {
            return ScreenResponse(handled: true, status: StatusMessage(message, role: .muted))
        }
        return .changed
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext) {
        LogsScreenView(state: state, glyphs: context.glyphs).render(into: &buffer, area: area)
    }
}

/// Where the parts of the logs screen go in its area: strip, filter line, list, detail pane, health.
struct LogsScreenLayout {
    var strip: Rect
    var filter: Rect
    var list: Rect
    var detail: Rect
    var health: Rect

    init(area: Rect, state: LogsScreenState) {
        // Three rows, or a fifth of a taller screen: a failing source is not hidden behind `+N more`.
        let healthRows = state.health.isEmpty ? 0 : min(state.health.count, max(3, area.height / 5), max(0, area.height - 4))
        let rest = max(0, area.height - 2 - healthRows)
        // The detail pane takes two fifths, or what the lines leave free, keeping three list rows.
        let detailRows = state.detailOpen && rest >= 6 ? min(rest - 3, max(4, rest * 2 / 5, rest - state.visible.count)) : 0
        strip = Rect(x: area.x, y: area.y, width: area.width, height: min(1, area.height))
        filter = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height > 1 ? 1 : 0)
        list = Rect(x: area.x, y: area.y + 2, width: area.width, height: max(0, rest - detailRows))
        detail = Rect(x: area.x, y: list.maxY, width: area.width, height: detailRows)
        health = Rect(x: area.x, y: area.maxY - healthRows, width: area.width, height: healthRows)
    }
}
