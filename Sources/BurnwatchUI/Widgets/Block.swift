/// A border with an optional title; the content goes in `inner(_:)`.
public struct Block: Widget, Hashable, Sendable {
    public var title: String?
    public var glyphs: Glyphs
    public var borderStyle: Style
    public var titleStyle: Style
    /// Whether to clear the inside (for overlays drawn over other content).
    public var clearsInside: Bool

    public init(title: String? = nil, glyphs: Glyphs = .unicode, borderStyle: Style = Style(.border),
                titleStyle: Style = Style(.title), clearsInside: Bool = false) {
        self.title = title
        self.glyphs = glyphs
        self.borderStyle = borderStyle
        self.titleStyle = titleStyle
        self.clearsInside = clearsInside
    }

    /// The area inside the border.
    public func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard area.width >= 2, area.height >= 2 else { return }
        if clearsInside { buffer.fill(inner(area)) }
        let g = glyphs
        let h = String(repeating: String(g.horizontal), count: area.width - 2)
        buffer.write(String(g.topLeft) + h + String(g.topRight), x: area.x, y: area.y, style: borderStyle, limit: area.maxX)
        buffer.write(String(g.bottomLeft) + h + String(g.bottomRight), x: area.x, y: area.maxY - 1,
                     style: borderStyle, limit: area.maxX)
        for row in (area.y + 1)..<(area.maxY - 1) {
            buffer.write(String(g.vertical), x: area.x, y: row, style: borderStyle)
            buffer.write(String(g.vertical), x: area.maxX - 1, y: row, style: borderStyle)
        }
        if let title, area.width > 4 {
            buffer.write(" " + TextFit.truncate(title, toWidth: area.width - 6, ellipsis: g.ellipsis) + " ",
                         x: area.x + 2, y: area.y, style: titleStyle, limit: area.maxX - 2)
        }
    }
}
