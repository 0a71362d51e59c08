/// The tab row: a leading label, then numbered titles with the selected one highlighted.
public struct Tabs: Widget, Hashable, Sendable {
    public var label: String
    public var titles: [String]
    public var selected: Int
    public var glyphs: Glyphs

    public init(label: String = "burnwatch", titles: [String], selected: Int, glyphs: Glyphs = .unicode) {
        self.label = label
        self.titles = titles
        self.selected = selected
        self.glyphs = glyphs
    }

    /// The column range of each tab in `area`, for mouse hits.
    public func tabRanges(in area: Rect) -> [Range<Int>] {
        var x = area.x + DisplayWidth.ofSafe(label) + 3  // " label " then the separator
        var ranges: [Range<Int>] = []
        for (i, title) in titles.enumerated() {
            let w = DisplayWidth.ofSafe(tabText(i, title))
            ranges.append(x..<(x + w))
            x += w + 1
        }
        return ranges
    }

    private func tabText(_ i: Int, _ title: String) -> String { " \(i + 1) \(title) " }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        buffer.fill(row, style: Style(.header))
        var x = buffer.write(" " + label + " ", x: row.x, y: row.y, style: Style(.header, [.bold]), limit: row.maxX)
        for (i, title) in titles.enumerated() where x < row.maxX {
            x = buffer.write(String(glyphs.separator), x: x, y: row.y, style: Style(.header), limit: row.maxX)
            let style = i == selected ? Style(.tabActive) : Style(.tabInactive)
            x = buffer.write(tabText(i, title), x: x, y: row.y, style: style, limit: row.maxX)
        }
    }
}
