import BurnwatchCore
import BurnwatchRunbooks

/// The signals screen: what the detectors say is failing, worst first, each with its evidence,
/// a trend of its main number, and the runbook section that answers it.
public struct SignalsScreen: ScreenModel {
    public var id: ScreenID { .signals }
    public var title: String {
        let active = state.signals.filter(\.isActive).count
        return active == 0 ? "Signals" : "Signals (\(active))"
    }
    public var state: SignalsScreenState

    public init(state: SignalsScreenState = SignalsScreenState()) { self.state = state }

    /// The screen's own keys (data: the help overlay and `burnwatch keys` are generated from it).
    public static let bindings = Keymap([
        KeyBinding(keys: [.enter], action: .open, help: "open the signal's runbook section", group: "Signals"),
        KeyBinding(keys: [.char(" "), .right], action: .toggle, help: "evidence pane on/off", group: "Signals"),
        KeyBinding(keys: [.char("m")], action: .custom("chart"), help: "chart the main evidence query (metrics screen)", group: "Signals"),
        KeyBinding(keys: [.char("l")], action: .custom("logs"), help: "logs of the signal's service (logs screen)", group: "Signals"),
        KeyBinding(keys: [.char("a")], action: .custom("acknowledge"), help: "acknowledge the signal (journal)", group: "Signals"),
        KeyBinding(keys: [.escape, .left], action: .back, help: "close the evidence pane", group: "Signals"),
    ])

    public var keymap: Keymap { Self.bindings }

    /// The selected signal: a `:note` here is about it.
    public var journalSubject: String? {
        state.selectedSignal.map { "signal \($0.kind.rawValue) on \($0.service)" }
    }

    public func statusSegments(context: ScreenContext) -> [StatusSegment] {
        var segments = [StatusSegment(" \(state.signals.filter(\.isActive).count) signals ", style: Style(.statusBar, [.bold]))]
        segments += SignalCounts.segments(SignalCounts.active(state.signals))
        return segments
    }

    public mutating func handle(_ input: ScreenInput, context: ScreenContext) -> ScreenResponse {
        let before = state
        let page = max(1, context.bodySize.height - 3)
        switch input {
        case .action(let action):
            if let delta = ListMovement.delta(action, page: page) {
                state.move(by: delta)
                return state != before ? .changed : .ignored
            }
            switch action {
            case .toggle:
                guard state.selectedSignal != nil else { return .ignored }
                state.detail.toggle()
            case .back:
                guard state.detail else { return .ignored }
                state.detail = false
            case .open: return openRunbook(context)
            case .custom("chart"): return chart()
            case .custom("logs"): return logs()
            case .custom("acknowledge"): return acknowledge(context)
            default: return .ignored
            }
        case .external(let event):
            guard let update = event as? SignalsUpdate else { return .ignored }
            state.apply(update)
            let journal = update.transitions.map {
                SignalEffects.journal(SignalEffects.journalText($0), runbook: $0.signal.runbooks.first, at: $0.at)
            }
            return ScreenResponse(handled: true, effects: journal)
        case .tick:
            return state.signals.isEmpty ? .ignored : .changed   // ages
        case .mouse(let mouse):
            guard mouse.button == .left else { return .ignored }
            let row = mouse.y - 2   // the header line, then the table's heading
            if row >= 0, state.offset + row < state.signals.count { state.selected = state.offset + row }
        case .command(let words):
            guard words.first == "signal", words.count > 1 else { return .ignored }
            guard let i = state.signals.firstIndex(where: { $0.kind.rawValue == words[1] && (words.count < 3 || $0.service == words[2]) }) else {
                return ScreenResponse(handled: true, status: StatusMessage("no signal \(words.dropFirst().joined(separator: " "))", role: .warning))
            }
            state.selected = i
            state.detail = true
        case .search, .key, .input, .activated:
            return .ignored
        }
        return state != before ? .changed : .ignored
    }

    private func openRunbook(_ context: ScreenContext) -> ScreenResponse {
        guard let s = state.selectedSignal else { return .ignored }
        guard let first = s.runbooks.first else {
            return ScreenResponse(handled: true, status: StatusMessage("no runbook section lists \(s.kind.rawValue)", role: .warning))
        }
        let parts = RunbookSectionRef.split(first)
        return ScreenResponse(handled: true, effects: [SLOEffects.openRunbook(fileName: parts.fileName, anchor: parts.anchor ?? "")],
                              status: StatusMessage("runbook \(first)", role: .info, expires: context.now.map { $0 + Interval(milliseconds: 5000) }),
                              navigate: .runbooks)
    }

    private func chart() -> ScreenResponse {
        guard let s = state.selectedSignal else { return .ignored }
        guard let query = state.chartQuery else {
            return ScreenResponse(handled: true, status: StatusMessage("\(s.kind.rawValue): no PromQL evidence to chart", role: .warning))
        }
        return ScreenResponse(handled: true, effects: [SignalEffects.command(.metrics, ["chart", query])])
    }

    private func logs() -> ScreenResponse {
        guard let s = state.selectedSignal else { return .ignored }
        return ScreenResponse(handled: true, effects: [SignalEffects.command(.logs, ["filter", "service=\(s.service)"])])
    }

    private mutating func acknowledge(_ context: ScreenContext) -> ScreenResponse {
        guard let time = context.now ?? state.lastUpdate else { return .ignored }
        guard let s = state.acknowledge(at: time) else {
            return ScreenResponse(handled: true, status: StatusMessage("only an active signal can be acknowledged", role: .warning))
        }
        return ScreenResponse(handled: true, effects: [SignalEffects.acknowledge(kind: s.kind, service: s.service, by: state.user)],
                              status: StatusMessage("acknowledged \(s.kind.rawValue) · \(s.service)", role: .info,
                                                    expires: context.now.map { $0 + Interval(milliseconds: 5000) }))
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext) {
        SignalsScreenView(state: state, now: context.now).render(into: &buffer, area: area)
    }
}
