import BurnwatchCore
import BurnwatchRunbooks

/// The SLO overview as a console screen: one row per SLO, worst first; Enter opens the detail.
public struct SLOOverviewScreen: ScreenModel {
    public var id: ScreenID { .slos }
    public var title: String { "SLOs" }

    /// The selected SLO: a `:note` here is about it.
    public var journalSubject: String? {
        state.selectedRow.map { "SLO \($0.spec.service)/\($0.spec.name)" }
    }
    public var state: SLOOverviewState
    /// Active signals by severity (from the detectors' rounds), for the status line.
    public var signalCounts: [Severity: Int] = [:]

    public init(state: SLOOverviewState) { self.state = state }

    public var keymap: Keymap {
        Keymap([
            KeyBinding(keys: [.enter], action: .open, help: "open the SLO detail / the runbook section", group: "SLOs"),
            KeyBinding(keys: [.escape], action: .back, help: "close the detail", group: "SLOs"),
        ])
    }

    public func statusSegments(context: ScreenContext) -> [StatusSegment] {
        let pages = state.rows.filter { $0.rank == 0 }.count, tickets = state.rows.filter { $0.rank == 1 }.count
        var segments = [StatusSegment(" \(state.rows.count) SLOs ", style: Style(.statusBar, [.bold]))]
        if pages > 0 { segments.append(StatusSegment(" \(pages) PAGE ", style: Style(.page, [.bold]))) }
        if tickets > 0 { segments.append(StatusSegment(" \(tickets) TICKET ", style: Style(.warning, [.bold]))) }
        segments += SignalCounts.segments(signalCounts)
        if let row = state.detailRow ?? state.selectedRow, let error = row.error {
            segments.append(StatusSegment(" \(row.key): \(error) ", style: Style(.statusBar)))
        }
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
            case .open, .right, .toggle:
                if state.detailKey != nil {
                    guard let section = state.focusedSection else { return .ignored }
                    return ScreenResponse(handled: true, effects: [SLOEffects.openRunbook(fileName: section.fileName, anchor: section.anchor)],
                                          status: StatusMessage("runbook \(section.fileName)#\(section.anchor)", role: .info,
                                                                expires: context.now.map { $0 + Interval(milliseconds: 5000) }),
                                          navigate: .runbooks)
                }
                _ = state.openDetail()
            case .back, .left:
                guard state.closeDetail() else { return .ignored }
            default: return .ignored
            }
        case .external(let event):
            if let update = event as? SLOUpdate {
                state.apply(update)
            } else if let signals = event as? SignalsUpdate {
                guard signals.counts != signalCounts else { return .ignored }
                signalCounts = signals.counts
            } else if let sources = event as? WatchSourcesUpdate {
                state.applySources(sources)
            } else {
                return .ignored
            }
            return .changed
        case .tick:
            return .changed   // the header's clock
        case .mouse(let mouse):
            guard mouse.button == .left, state.detailKey == nil else { return .ignored }
            let area = Rect(x: 0, y: 0, width: context.bodySize.width, height: context.bodySize.height)
            if let row = SLOOverviewView.rowIndex(atLine: mouse.y, state: state, area: area) { state.selected = row }
        case .command(let words):
            guard words.first == "slo", words.count > 1 else { return .ignored }
            guard let i = state.rows.firstIndex(where: { $0.key == words[1] || $0.spec.name == words[1] }) else {
                return ScreenResponse(handled: true, status: StatusMessage("no SLO \(words[1])", role: .warning))
            }
            state.selected = i
            _ = state.openDetail()
        case .search, .key, .input, .activated:
            return .ignored
        }
        return state != before ? .changed : .ignored
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext) {
        if let row = state.detailRow {
            SLODetailView(state: state, row: row, now: context.now).render(into: &buffer, area: area)
        } else {
            SLOOverviewView(state: state, now: context.now).render(into: &buffer, area: area)
        }
    }
}
