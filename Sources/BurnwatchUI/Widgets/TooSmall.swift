/// The screen shown when the terminal is below the minimum size.
public struct TooSmall: Widget, Hashable, Sendable {
    public var need: TerminalSize
    public var have: TerminalSize
    public var glyphs: Glyphs

    public init(need: TerminalSize, have: TerminalSize, glyphs: Glyphs = .unicode) {
        self.need = need
        self.have = have
        self.glyphs = glyphs
    }

    /// "terminal too small: need W×H, have w×h" (with `x` in ASCII mode).
    public var message: String {
        let t = glyphs.times
        return "terminal too small: need \(need.width)\(t)\(need.height), have \(have.width)\(t)\(have.height)"
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        buffer.fill(area)
        // Wrap the message into the width available, centred vertically.
        let lines = TextWrap.wrap(message, width: max(1, area.width))
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < area.maxY {
            buffer.write(line, in: Rect(x: area.x, y: top + i, width: area.width, height: 1),
                         style: Style(.warning), alignment: .center, ellipsis: glyphs.ellipsis)
        }
    }
}
