import BurnwatchCore
import BurnwatchRunbooks

/// The journal could not record a tick or note: sent by the run loop, shown as a warning.
public struct RunbookJournalFailure: ExternalEvent, Hashable {
    public var message: String
    public init(message: String) { self.message = message }
}

extension RunbookJournalWrite {
    static let tickEffect = "journal.tick"
    static let noteEffect = "journal.note"

    /// The effect that asks the run loop to write this to the journal.
    public var effect: Effect {
        switch self {
        case .tick(let id, let ticked, let by, let at):
            return .custom(name: Self.tickEffect, arguments: [id, ticked ? "1" : "0", by, String(at.milliseconds)])
        case .note(let id, let text, let by, let at):
            return .custom(name: Self.noteEffect, arguments: [id, text, by, String(at.milliseconds)])
        }
    }

    /// The journal write an effect asks for, or nil when the effect is something else.
    public init?(effect: Effect) {
        guard case .custom(let name, let a) = effect, a.count == 4, let ms = Int64(a[3]) else { return nil }
        switch name {
        case Self.tickEffect: self = .tick(itemID: a[0], ticked: a[1] == "1", by: a[2], at: Timestamp(milliseconds: ms))
        case Self.noteEffect: self = .note(itemID: a[0], text: a[1], by: a[2], at: Timestamp(milliseconds: ms))
        default: return nil
        }
    }
}

/// The runbook screen as a console screen: table of contents, rendered runbook, links with history,
/// search within and across runbooks, and the checklist mode whose ticks and notes go to the journal.
public struct RunbookScreen: ScreenModel {
    public var id: ScreenID { .runbooks }
    public var title: String { "Runbooks" }
    /// The screen's state (see `RunbookScreenState`).
    public var state: RunbookScreenState

    public init(state: RunbookScreenState) { self.state = state }

    static let noteInputPrefix = "note:"
    static let searchAllInput = "search-all"

    public var keymap: Keymap {
        var bindings = [
            KeyBinding(keys: [.char("["), .ctrl("o")], action: .custom("history-back"), help: "back in link history", group: "Runbook"),
            KeyBinding(keys: [.char("]")], action: .custom("history-forward"), help: "forward in link history", group: "Runbook"),
            KeyBinding(keys: [.char("c")], action: .custom("checklist"), help: "checklist mode on/off", group: "Runbook"),
            KeyBinding(keys: [.char("t")], action: .custom("contents"), help: "table of contents", group: "Runbook"),
            KeyBinding(keys: [.char("s")], action: .custom("search-all"), help: "search all runbooks", group: "Runbook"),
        ]
        if state.checklistMode {
            bindings.append(KeyBinding(keys: [.char("n")], action: .custom("note"), help: "add a note to the item", group: "Runbook"))
        }
        return Keymap(bindings)
    }

    public func statusSegments(context: ScreenContext) -> [StatusSegment] {
        var segments = [StatusSegment(state.checklistMode ? " CHECKLIST " : " READ ", style: Style(.statusBar, [.bold]))]
        if let document = state.document {
            let p = state.progress(of: document.checklistItems)
            segments.append(StatusSegment(" \(document.fileName) \(p.done)/\(p.total) "))
        }
        if !state.searchQuery.isEmpty { segments.append(StatusSegment(" /\(state.searchQuery) ")) }
        if let warning = state.warning {
            let text = warning.hasPrefix("journal") ? " journal: memory only " : " warning "
            segments.append(StatusSegment(text, style: Style(.warning)))
        }
        return segments
    }

    public mutating func handle(_ input: ScreenInput, context: ScreenContext) -> ScreenResponse {
        state.resize(to: context.bodySize)
        let before = state
        let time = context.now ?? Timestamp(milliseconds: 0)
        var writes: [RunbookJournalWrite] = []
        var prompt: PromptMode?
        switch input {
        case .action(let action):
            switch action {
            case .up: state.moveUp()
            case .down: state.moveDown()
            case .pageUp: state.scroll(by: -state.pageRows)
            case .pageDown: state.scroll(by: state.pageRows)
            case .halfPageUp: state.scroll(by: -max(1, state.textArea.height / 2))
            case .halfPageDown: state.scroll(by: max(1, state.textArea.height / 2))
            case .top: state.jump(toTop: true)
            case .bottom: state.jump(toTop: false)
            case .open: writes = state.activate(at: time)
            case .toggle:
                if state.panel == .document { writes = state.toggleTick(at: time) } else { writes = state.activate(at: time) }
            case .back:
                if !state.closePanel() {
                    guard !state.backStack.isEmpty else { return .ignored }
                    state.back()
                }
            case .custom("history-back"): state.back()
            case .custom("history-forward"): state.forward()
            case .custom("checklist"): state.toggleChecklistMode()
            case .custom("contents"): state.toggleContents()
            case .custom("search-all"): prompt = .input(id: Self.searchAllInput, label: "search all runbooks")
            case .custom("note"):
                if let id = state.focusedItemID {
                    prompt = .input(id: Self.noteInputPrefix + id, label: "note")
                } else {
                    state.message = "no checklist item here"
                }
            default: return .ignored
            }
        case .search(let query, let forward):
            state.search(query, forward: forward)
        case .command(let words):
            guard let name = words.first else { return .ignored }
            let rest = words.dropFirst().joined(separator: " ")
            switch name {
            case "search", "grep", "find": state.searchAll(rest)
            case "open", "o":
                let parts = rest.split(separator: "#", maxSplits: 1).map(String.init)
                let file = parts.first.map { $0.isEmpty ? state.place.fileName : $0 } ?? state.place.fileName
                state.open(fileName: file.hasSuffix(".md") ? file : file + ".md", anchor: parts.count > 1 ? parts[1] : nil)
            case "checklist": state.toggleChecklistMode()
            case "contents", "toc": state.toggleContents()
            default: return .ignored
            }
        case .input(let id, let text):
            if id == Self.searchAllInput {
                state.searchAll(text)
            } else if id.hasPrefix(Self.noteInputPrefix) {
                writes = state.addNote(itemID: String(id.dropFirst(Self.noteInputPrefix.count)), text: text, at: time)
            } else {
                return .ignored
            }
        case .mouse(let mouse):
            handleMouse(mouse)
        case .external(let event):
            if let request = event as? RunbookOpenRequest {
                // Another screen (the SLO detail) asked for a section.
                _ = state.open(fileName: request.fileName, anchor: request.anchor)
            } else {
                guard let failure = event as? RunbookJournalFailure else { return .ignored }
                state.journalFailed(failure.message)
            }
        case .key, .tick, .activated:
            return .ignored
        }
        var status: StatusMessage?
        if let message = state.message {
            let role: StyleRole = message.hasPrefix("broken") || message.hasPrefix("no ") ? .warning : .info
            status = StatusMessage(message, role: role, expires: context.now.map { $0 + Interval(milliseconds: 5000) })
            state.message = nil
        }
        return ScreenResponse(handled: state != before || status != nil, effects: writes.map(\.effect), status: status, prompt: prompt)
    }

    private mutating func handleMouse(_ mouse: MouseEvent) {
        guard mouse.button == .left else { return }
        let area = state.textArea
        guard area.contains(x: mouse.x, y: mouse.y), state.panel == .document else { return }
        let row = state.place.scroll + (mouse.y - area.y)
        guard state.layout.rows.indices.contains(row) else { return }
        var column = area.x
        for span in state.layout.rows[row].spans {
            let width = DisplayWidth.ofSafe(span.text)
            if mouse.x >= column, mouse.x < column + width, let focusable = span.focusable {
                state.place.focus = focusable
                return
            }
            column += width
        }
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext) {
        let size = TerminalSize(width: area.width, height: area.height)
        if size == state.size {
            state.render(into: &buffer, area: area)
        } else {
            var resized = state
            resized.resize(to: size)
            resized.render(into: &buffer, area: area)
        }
    }
}
