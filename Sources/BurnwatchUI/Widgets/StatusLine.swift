/// A piece of the status line: text in a style.
public struct StatusSegment: Hashable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, style: Style = Style(.statusBar)) {
        self.text = text
        self.style = style
    }
}

/// The bottom line: segments on the left, segments on the right, the bar role between.
///
/// The right segments are kept whole when they fit; the left ones are cut with an ellipsis.
public struct StatusLine: Widget, Hashable, Sendable {
    public var left: [StatusSegment]
    public var right: [StatusSegment]
    public var glyphs: Glyphs

    public init(left: [StatusSegment], right: [StatusSegment] = [], glyphs: Glyphs = .unicode) {
        self.left = left
        self.right = right
        self.glyphs = glyphs
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        buffer.fill(row, style: Style(.statusBar))
        let rightWidth = right.reduce(0) { $0 + DisplayWidth.ofSafe($1.text) } + (right.isEmpty ? 0 : 1)
        var rightStart = row.maxX - rightWidth
        if rightStart < row.x + row.width / 2 { rightStart = row.maxX }  // no room: drop the right side
        var x = row.x + 1
        for segment in left where x < rightStart - 1 {
            x = buffer.write(segment.text, x: x, y: row.y, style: segment.style, maxWidth: rightStart - 1 - x,
                             ellipsis: glyphs.ellipsis)
        }
        var rx = rightStart
        for segment in right where rightStart < row.maxX {
            rx = buffer.write(segment.text, x: rx, y: row.y, style: segment.style, limit: row.maxX)
        }
    }
}
