import BurnwatchCore

/// The metrics screen: scrape targets with health, a series browser with a filter, and a chart
/// of any PromQL expression (`:chart EXPR [> threshold]`, or `/` while the chart pane has focus).
///
/// The screen is pure: it asks the watch session for query results with `MetricsEffects.watch`
/// and shows the `MetricsQueryResult`s that come back.
public struct MetricsScreen: ScreenModel {
    public var id: ScreenID { .metrics }
    public var title: String { "Metrics" }
    public var state: MetricsScreenState

    public init(state: MetricsScreenState) { self.state = state }

    public var keymap: Keymap {
        Keymap([
            KeyBinding(keys: [.left, .char("h")], action: .left, help: "previous pane", group: "Metrics"),
            KeyBinding(keys: [.right, .char("l")], action: .right, help: "next pane", group: "Metrics"),
            KeyBinding(keys: [.char("/")], action: .searchPrompt, help: "filter series / chart an expression (chart pane)", group: "Metrics"),
            KeyBinding(keys: [.char("c")], action: .custom("chart-selected"), help: "chart the selected series", group: "Metrics"),
        ])
    }

    public func statusSegments(context: ScreenContext) -> [StatusSegment] {
        let up = state.targets.filter { $0.up == true }.count
        var segments = [StatusSegment(" \(up)/\(state.targets.count) up ", style: Style(.statusBar, [.bold])),
                        StatusSegment(" \(state.filtered.count)/\(state.catalogTotal) series ")]
        if !state.filter.isEmpty { segments.append(StatusSegment(" filter: \(state.filter) ")) }
        return segments
    }

    public mutating func handle(_ input: ScreenInput, context: ScreenContext) -> ScreenResponse {
        let before = state
        var effects: [Effect] = []
        let page = max(1, context.bodySize.height / 2)
        switch input {
        case .action(let action):
            var watch: String?
            switch action {
            case .up: watch = state.move(by: -1)
            case .down: watch = state.move(by: 1)
            case .pageUp, .halfPageUp: watch = state.move(by: -page)
            case .pageDown, .halfPageDown: watch = state.move(by: page)
            case .top: watch = state.move(by: -Int(Int32.max))
            case .bottom: watch = state.move(by: Int(Int32.max))
            case .left: state.focusNext(-1)
            case .right: state.focusNext(1)
            case .open, .custom("chart-selected"):
                if let s = state.selectedSeries, state.focus == .series {
                    if let expr = state.setChart(MetricsScreenState.selector(s.labels)) { effects.append(MetricsEffects.watch(.chart, expr)) }
                } else {
                    return .ignored
                }
            default: return .ignored
            }
            if let watch { effects.append(MetricsEffects.watch(.series, watch)) }
        case .search(let text, _):
            if state.focus == .chart {
                if let expr = state.setChart(text) { effects.append(MetricsEffects.watch(.chart, expr)) }
            } else {
                state.setFilter(text)
                if let s = state.selectedSeries { effects.append(MetricsEffects.watch(.series, MetricsScreenState.selector(s.labels))) }
            }
        case .command(let words):
            guard let name = words.first else { return .ignored }
            let rest = words.dropFirst().joined(separator: " ")
            switch name {
            case "chart":
                let expr = state.setChart(rest)
                effects.append(MetricsEffects.watch(.chart, expr ?? ""))
            case "filter":
                state.setFilter(rest)
            default: return .ignored
            }
        case .external(let event):
            if let update = event as? MetricsTargetsUpdate {
                state.applyTargets(update)
            } else if let catalog = event as? MetricsSeriesCatalog {
                let had = state.selectedSeries?.labels
                state.applyCatalog(catalog)
                if let s = state.selectedSeries, s.labels != had {
                    effects.append(MetricsEffects.watch(.series, MetricsScreenState.selector(s.labels)))
                }
            } else if let result = event as? MetricsQueryResult {
                guard state.applyResult(result) else { return .ignored }
            } else {
                return .ignored
            }
        case .tick:
            return .changed   // ages of the last scrapes
        case .mouse, .key, .input, .activated:
            return .ignored
        }
        return ScreenResponse(handled: state != before || !effects.isEmpty, effects: effects)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext) {
        MetricsScreenView(state: state, now: context.now).render(into: &buffer, area: area)
    }
}
