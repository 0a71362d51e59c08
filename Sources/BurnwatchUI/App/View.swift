/// Renders the console: a pure function from state and terminal size to a screen buffer.
///
/// Layout: the tab row, the current screen's body, and the status line (or the prompt line while
/// a prompt is open); the help overlay on top; below the minimum size only the too-small message.
/// - Complexity: O(width × height) plus the screen's own rendering.
public func view(_ state: AppState, size: TerminalSize) -> ScreenBuffer {
    var buffer = ScreenBuffer(size: size)
    let min = AppState.minimumSize
    if size.width < min.width || size.height < min.height {
        buffer.render(TooSmall(need: min, have: size, glyphs: state.glyphs), in: buffer.bounds)
        return buffer
    }
    let g = state.glyphs
    let parts = buffer.bounds.rows(state.replay == nil ? [.length(1), .fill(1), .length(1)]
                                                       : [.length(1), .fill(1), .length(1), .length(1)])
    if let replay = state.replay {
        buffer.render(ReplayTimeline(status: replay, glyphs: g), in: parts[2])
    }
    let statusRow = parts[parts.count - 1]
    buffer.render(Tabs(titles: state.screens.map(\.title), selected: state.currentIndex, glyphs: g), in: parts[0])
    var context = state.screenContext
    context.bodySize = TerminalSize(width: parts[1].width, height: parts[1].height)
    state.currentScreen.render(into: &buffer, area: parts[1], context: context)
    if let prompt = state.prompt {
        buffer.render(PromptLine(state: prompt), in: statusRow)
    } else {
        var left: [StatusSegment]
        if let status = state.status {
            // Quiet messages keep the bar's look; warnings and pages stand out in their own role.
            let style: Style
            switch status.role {
            case .info, .normal, .statusBar: style = Style(.statusBar)
            case .muted: style = Style(.statusBar, [.dim])
            default: style = Style(status.role, [.bold])
            }
            left = [StatusSegment(status.text, style: style)]
        } else {
            left = state.currentScreen.statusSegments(context: context)
        }
        if left.isEmpty { left = [StatusSegment(state.currentScreen.title)] }
        let right = [StatusSegment("? help  : command  q quit", style: Style(.statusBar, [.dim]))]
        buffer.render(StatusLine(left: left, right: right, glyphs: g), in: statusRow)
    }
    if state.helpVisible {
        buffer.render(HelpOverlay(keymap: state.effectiveKeymap, glyphs: g, scroll: state.helpScroll), in: parts[1])
    }
    return buffer
}

extension AppState {
    /// The frame for the current size; see `view(_:size:)`.
    public func render() -> ScreenBuffer { view(self, size: size) }

    /// Where the terminal cursor belongs: on the prompt while one is open, else hidden (nil).
    public var cursorPosition: (x: Int, y: Int)? {
        guard let prompt, !isTooSmall else { return nil }
        let row = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
        return (PromptLine(state: prompt).cursorX(in: row), row.y)
    }
}
