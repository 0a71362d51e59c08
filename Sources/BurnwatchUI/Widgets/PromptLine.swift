/// The prompt line: the mode's prefix, the text, and the cursor shown reversed.
///
/// Long text scrolls horizontally so the cursor stays visible.
public struct PromptLine: Widget, Hashable, Sendable {
    public var state: PromptState

    public init(state: PromptState) { self.state = state }

    /// The column of the cursor in `area` (where the terminal cursor goes).
    public func cursorX(in area: Rect) -> Int {
        let prefix = DisplayWidth.ofSafe(state.mode.prefix)
        let room = max(1, area.width - prefix - 1)
        let col = state.cursorColumn
        return area.x + prefix + min(col, room)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        buffer.fill(row)
        var x = buffer.write(state.mode.prefix, x: row.x, y: row.y, style: Style(.prompt), limit: row.maxX)
        let room = max(1, row.maxX - x - 1)
        // Scroll so that the cursor is visible: drop characters from the left until it fits.
        var chars = state.text
        var cursor = state.cursor
        while cursor > 0, DisplayWidth.ofSafe(String(chars[..<cursor])) > room {
            chars.removeFirst()
            cursor -= 1
        }
        let before = String(chars[..<cursor])
        x = buffer.write(before, x: x, y: row.y, limit: row.maxX)
        if cursor < chars.count {
            x = buffer.write(String(chars[cursor]), x: x, y: row.y, style: Style(.normal, [.reverse]), limit: row.maxX)
            buffer.write(String(chars[(cursor + 1)...]), x: x, y: row.y, limit: row.maxX)
        } else {
            buffer.write(" ", x: x, y: row.y, style: Style(.normal, [.reverse]), limit: row.maxX)
        }
    }
}
