import BurnwatchCore

/// The only place console state changes (DESIGN.md §2): a pure function of the state and one event.
///
/// - Returns: the new state and the effects the run loop must carry out. `state.version` moves
///   exactly when something visible changed, so the loop redraws only then.
public func reduce(_ state: AppState, _ event: AppEvent) -> (AppState, [Effect]) {
    var s = state
    let effects = AppReducer.apply(event, to: &s)
    return (s, effects)
}

/// The rules of `reduce`, split by event kind.
public enum AppReducer {
    /// Applies `event` to `state` in place; see `reduce(_:_:)`.
    public static func apply(_ event: AppEvent, to state: inout AppState) -> [Effect] {
        switch event {
        case .key(let key): return handleKey(key, &state)
        case .resize(let size):
            if size != state.size {
                state.size = size
                state.touch()
            }
            return []
        case .tick(let time):
            state.now = time
            if let expires = state.status?.expires, expires <= time {
                state.status = nil
                state.touch()
            }
            return broadcast(.tick(time), &state)
        case .mouse(let mouse): return handleMouse(mouse, &state)
        case .external(let payload):
            if let request = payload as? ScreenCommandRequest { return deliver(request, &state) }
            if let replay = payload as? ReplayStatus {
                if state.replay != replay {
                    state.replay = replay
                    state.touch()
                }
                return []
            }
            return broadcast(.external(payload), &state)
        }
    }

    // MARK: Keys

    static func handleKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        if state.prompt != nil { return handlePromptKey(key, &state) }
        if state.helpVisible { return handleHelpKey(key, &state) }
        if state.currentScreen.capturesKeys { return send(.key(key), &state) }
        guard let action = state.effectiveKeymap.resolvedAction(for: key) else {
            return send(.key(key), &state)
        }
        return perform(action, &state)
    }

    /// Carries out a keymap action: the app's own ones here, the rest by the current screen.
    public static func perform(_ action: Action, _ state: inout AppState) -> [Effect] {
        switch action {
        case .quit:
            state.shouldQuit = true
            state.touch()
            return [.quit]
        case .help:
            state.helpVisible = true
            state.helpScroll = 0
            state.touch()
        case .commandPrompt:
            openPrompt(.command, &state)
        case .searchPrompt:
            openPrompt(.search, &state)
        case .nextScreen:
            switchTo(index: (state.currentIndex + 1) % state.screens.count, &state)
        case .previousScreen:
            switchTo(index: (state.currentIndex + state.screens.count - 1) % state.screens.count, &state)
        case .screen(let n):
            if n >= 1, n <= state.screens.count {
                switchTo(index: n - 1, &state)
            } else {
                setStatus("no screen \(n)", .warning, &state)
            }
        case .redraw:
            state.touch()
        case .custom where Keymap.replayCommand(action) != nil:
            return state.replay == nil ? [] : [ReplayEffects.effect(Keymap.replayCommand(action)!)]
        case .nextMatch, .previousMatch:
            guard let query = state.lastSearch else {
                setStatus("no search yet: press / to search", .muted, &state)
                return []
            }
            return send(.search(query, forward: action == .nextMatch), &state)
        case .back:
            var screen = state.screens[state.currentIndex]
            let response = screen.handle(.action(.back), context: state.screenContext)
            state.screens[state.currentIndex] = screen
            if response.handled { return apply(response, &state) }
            goBack(&state)
        default:
            return send(.action(action), &state)
        }
        return []
    }

    static func handleHelpKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        let action = state.keymap.resolvedAction(for: key)
        let old = state.helpScroll
        switch action {
        case .back?, .help?, .quit?:
            state.helpVisible = false
            state.touch()
            return []
        case .up?: state.helpScroll -= 1
        case .down?: state.helpScroll += 1
        case .pageUp?, .halfPageUp?: state.helpScroll -= max(1, state.size.height / 2)
        case .pageDown?, .halfPageDown?: state.helpScroll += max(1, state.size.height / 2)
        case .top?: state.helpScroll = 0
        case .bottom?: state.helpScroll = Int(UInt16.max)
        default: return []
        }
        let limit = HelpOverlay(keymap: state.effectiveKeymap, glyphs: state.glyphs).maxScroll(in: state.bodyRect)
        state.helpScroll = min(max(0, state.helpScroll), limit)
        if state.helpScroll != old { state.touch() }
        return []
    }

    // MARK: Prompt

    static func openPrompt(_ mode: PromptMode, _ state: inout AppState) {
        let history: [String]
        switch mode {
        case .command: history = state.commandHistory
        case .search: history = state.searchHistory
        case .input: history = []
        }
        state.prompt = PromptState(mode: mode, history: history)
        state.touch()
    }

    static func handlePromptKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var prompt = state.prompt else { return [] }
        let before = prompt
        let outcome = prompt.apply(key)
        switch outcome {
        case .editing:
            state.prompt = prompt
            if prompt != before { state.touch() }
            return []
        case .cancelled:
            state.prompt = nil
            state.touch()
            return []
        case .submitted(let text):
            state.prompt = nil
            state.touch()
            switch prompt.mode {
            case .command:
                state.commandHistory = PromptState.appending(text, to: state.commandHistory)
                return runCommand(text, &state)
            case .search:
                guard !text.isEmpty else { return [] }
                state.searchHistory = PromptState.appending(text, to: state.searchHistory)
                state.lastSearch = text
                return send(.search(text, forward: true), &state)
            case .input(let id, _):
                return send(.input(id: id, text: text), &state)
            }
        }
    }

    /// Runs a `:` command: `q`/`quit`, `help`, `mouse on|off`, `screen N|NAME`; others go to the screen.
    static func runCommand(_ text: String, _ state: inout AppState) -> [Effect] {
        let words = text.split(separator: " ").map(String.init)
        guard let name = words.first else { return [] }
        switch name {
        case "q", "quit", "q!", "qa":
            return perform(.quit, &state)
        case "h", "help":
            return perform(.help, &state)
        case "mouse":
            let on: Bool
            switch words.dropFirst().first {
            case "on"?: on = true
            case "off"?: on = false
            default: on = !state.mouseEnabled
            }
            state.mouseEnabled = on
            setStatus("mouse " + (on ? "on" : "off"), .info, &state)
            return [.setMouseReporting(on)]
        case "goto":
            guard let replay = state.replay else {
                setStatus("goto works in a replay (burnwatch replay FILE)", .warning, &state)
                return []
            }
            let arg = words.dropFirst().joined(separator: " ")
            guard let time = ReplayEffects.target(arg, in: replay) else {
                setStatus("usage: goto 14:05 | -10m | +30s | start | end | RFC 3339 time", .warning, &state)
                return []
            }
            return [ReplayEffects.effect(.seek(time))]
        case "note":
            // a screen's own note (the runbook's item note) first; else a journal note at the current time
            var screen = state.screens[state.currentIndex]
            let response = screen.handle(.command(words), context: state.screenContext)
            state.screens[state.currentIndex] = screen
            if response.handled { return apply(response, &state) }
            let text = words.dropFirst().joined(separator: " ")
            guard !text.isEmpty else {
                setStatus("usage: note TEXT (goes to the journal at the current time)", .warning, &state)
                return []
            }
            guard let now = state.replay?.position ?? state.now else { return [] }
            // on the signals or SLO screen the note is about the selected row
            let subject = state.currentScreen.journalSubject
            setStatus("note added at \(ChartFormat.clock(now))" + (subject.map { " about \($0)" } ?? ""), .info, &state)
            return [ReplayEffects.note(subject.map { "\($0): \(text)" } ?? text, at: now)]
        case "screen", "s":
            guard let arg = words.dropFirst().first else {
                setStatus("usage: screen NUMBER|NAME", .warning, &state)
                return []
            }
            if let n = Int(arg) { return perform(.screen(n), &state) }
            if let i = state.screens.firstIndex(where: { $0.id.rawValue == arg || $0.title.lowercased() == arg.lowercased() }) {
                switchTo(index: i, &state)
            } else {
                setStatus("no screen named \(arg)", .warning, &state)
            }
            return []
        default:
            var screen = state.screens[state.currentIndex]
            let response = screen.handle(.command(words), context: state.screenContext)
            state.screens[state.currentIndex] = screen
            if response.handled { return apply(response, &state) }
            setStatus("unknown command: \(name)", .warning, &state)
            return []
        }
    }

    // MARK: Mouse

    static func handleMouse(_ mouse: MouseEvent, _ state: inout AppState) -> [Effect] {
        guard state.mouseEnabled, !state.isTooSmall else { return [] }
        switch mouse.button {
        case .wheelUp, .wheelDown:
            if state.helpVisible || state.prompt != nil { return handleKey(.mouse(mouse.button), &state) }
            guard let action = state.effectiveKeymap.action(for: .mouse(mouse.button)) else { return [] }
            return perform(action, &state)
        case .left, .middle, .right:
            if mouse.y == 0, mouse.button == .left {
                let tabs = Tabs(titles: state.screens.map(\.title), selected: state.currentIndex)
                if let i = tabs.tabRanges(in: state.size.rect).firstIndex(where: { $0.contains(mouse.x) }) {
                    switchTo(index: i, &state)
                }
                return []
            }
            let body = state.bodyRect
            guard body.contains(x: mouse.x, y: mouse.y), !state.helpVisible else { return [] }
            let local = MouseEvent(button: mouse.button, x: mouse.x - body.x, y: mouse.y - body.y)
            return send(.mouse(local), &state)
        }
    }

    // MARK: Screens

    /// Sends `input` to the current screen and applies its response.
    static func send(_ input: ScreenInput, _ state: inout AppState) -> [Effect] {
        var screen = state.screens[state.currentIndex]
        let response = screen.handle(input, context: state.screenContext)
        state.screens[state.currentIndex] = screen
        return apply(response, &state)
    }

    /// Sends `input` to every screen (ticks, source events).
    static func broadcast(_ input: ScreenInput, _ state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        let context = state.screenContext
        for i in state.screens.indices {
            var screen = state.screens[i]
            let response = screen.handle(input, context: context)
            state.screens[i] = screen
            // Only the current screen's redraw matters; the others draw fresh when switched to.
            if i == state.currentIndex || !response.effects.isEmpty || response.status != nil {
                effects += apply(response, &state, redraw: i == state.currentIndex)
            }
        }
        return effects
    }

    /// Runs a `:` command on one screen (another screen asked for it) and makes that screen current.
    static func deliver(_ request: ScreenCommandRequest, _ state: inout AppState) -> [Effect] {
        guard let i = state.index(of: request.screen) else {
            state.status = StatusMessage("no \(request.screen.rawValue) screen in this session", role: .warning)
            state.touch()
            return []
        }
        switchTo(index: i, &state)
        var screen = state.screens[i]
        let response = screen.handle(.command(request.words), context: state.screenContext)
        state.screens[i] = screen
        state.touch()
        return apply(response, &state)
    }

    static func apply(_ response: ScreenResponse, _ state: inout AppState, redraw: Bool = true) -> [Effect] {
        if response.handled, redraw { state.touch() }
        if let status = response.status {
            state.status = status
            state.touch()
        }
        if let mode = response.prompt { openPrompt(mode, &state) }
        if let target = response.navigate, let i = state.index(of: target) { switchTo(index: i, &state) }
        return response.effects
    }

    /// Makes screen `index` current, remembering the one left on the back stack.
    static func switchTo(index: Int, _ state: inout AppState) {
        guard index != state.currentIndex, state.screens.indices.contains(index) else { return }
        state.backStack.append(state.currentID)
        if state.backStack.count > AppState.maxBackStack { state.backStack.removeFirst() }
        state.currentIndex = index
        state.touch()
        _ = send(.activated, &state)
    }

    /// Returns to the previous screen on the back stack, if any.
    static func goBack(_ state: inout AppState) {
        while let id = state.backStack.popLast() {
            if let i = state.index(of: id), i != state.currentIndex {
                state.currentIndex = i
                state.touch()
                _ = send(.activated, &state)
                return
            }
        }
        if state.status == nil {
            setStatus("nothing to go back to (q quits)", .muted, &state)
        }
    }

    static func setStatus(_ text: String, _ role: StyleRole, _ state: inout AppState) {
        // five seconds of reading time: in a replay the clock runs at its speed
        let factor = state.replay.map { $0.speed ?? 1000 } ?? 1
        let lasting = Interval(milliseconds: Int64(5000 * max(1, factor)))
        state.status = StatusMessage(text, role: role, expires: state.now.map { $0 + lasting })
        state.touch()
    }
}
