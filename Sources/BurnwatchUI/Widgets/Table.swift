/// A column of a `Table`: title, how wide, and how its text is aligned.
public struct TableColumn: Hashable, Sendable {
    public var title: String
    public var width: Constraint
    public var alignment: Alignment

    public init(_ title: String, width: Constraint = .fill(1), alignment: Alignment = .left) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }
}

/// Rows and columns with a header, a highlighted selection, and scrolling that keeps it in view.
///
/// Cells are spans (text plus style); text that does not fit ends in an ellipsis. The widget is a
/// value: the screen keeps `selected` and `offset` and calls `scrolled(visibleRows:)` after moving.
public struct Table: Widget, Hashable, Sendable {
    public var columns: [TableColumn]
    public var rows: [[Span]]
    /// The selected row, if any.
    public var selected: Int?
    /// The first visible row.
    public var offset: Int
    public var showsHeader: Bool
    public var glyphs: Glyphs
    /// Empty columns between neighbouring columns.
    public var spacing: Int

    public init(columns: [TableColumn], rows: [[Span]], selected: Int? = nil, offset: Int = 0,
                showsHeader: Bool = true, glyphs: Glyphs = .unicode, spacing: Int = 1) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.offset = offset
        self.showsHeader = showsHeader
        self.glyphs = glyphs
        self.spacing = spacing
    }

    /// Rows visible in an area of `height` lines.
    public func visibleRows(height: Int) -> Int { max(0, height - (showsHeader ? 1 : 0)) }

    /// The offset that keeps `selected` visible with as little scrolling as possible from `offset`.
    ///
    /// - Returns: an offset in `0...max(0, rowCount - visibleRows)`.
    public static func scrollOffset(selected: Int?, offset: Int, visibleRows: Int, rowCount: Int) -> Int {
        let maxOffset = max(0, rowCount - max(visibleRows, 1))
        var o = min(max(0, offset), maxOffset)
        if let sel = selected, visibleRows > 0 {
            if sel < o { o = sel }
            if sel >= o + visibleRows { o = sel - visibleRows + 1 }
        }
        return min(max(0, o), maxOffset)
    }

    /// This table with `offset` adjusted so that the selection is visible in `height` lines.
    public func scrolled(height: Int) -> Table {
        var t = self
        t.offset = Table.scrollOffset(selected: selected, offset: offset,
                                      visibleRows: visibleRows(height: height), rowCount: rows.count)
        return t
    }

    /// The row shown at line `y` of `area` (for mouse clicks), if any.
    public func row(atLine y: Int, in area: Rect) -> Int? {
        let line = y - area.y - (showsHeader ? 1 : 0)
        let table = scrolled(height: area.height)
        let index = table.offset + line
        return line >= 0 && index < rows.count && y < area.maxY ? index : nil
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let table = scrolled(height: area.height)
        // Leave the last column of the area for scroll marks.
        let content = Rect(x: area.x, y: area.y, width: area.width - 1, height: area.height)
        let cols = content.columns(columns.map(\.width), spacing: spacing)
        var y = area.y
        if showsHeader {
            buffer.fill(area.row(0), style: Style(.header))
            for (c, column) in columns.enumerated() {
                buffer.write(column.title, in: cols[c].row(0), style: Style(.header, [.bold]),
                             alignment: column.alignment, ellipsis: glyphs.ellipsis)
            }
            y += 1
        }
        let visible = visibleRows(height: area.height)
        for (line, index) in (table.offset..<min(rows.count, table.offset + visible)).enumerated() {
            let rowY = y + line
            let isSelected = index == selected
            if isSelected { buffer.fill(Rect(x: area.x, y: rowY, width: area.width, height: 1), style: Style(.selection)) }
            for (c, column) in columns.enumerated() where c < rows[index].count {
                let span = rows[index][c]
                let style = isSelected ? Style(.selection, span.style.attributes) : span.style
                buffer.write(span.text, in: Rect(x: cols[c].x, y: rowY, width: cols[c].width, height: 1),
                             style: style, alignment: column.alignment, ellipsis: glyphs.ellipsis)
            }
        }
        if table.offset > 0 {
            buffer.write(String(glyphs.arrowUp), x: area.maxX - 1, y: y, style: Style(.muted))
        }
        if table.offset + visible < rows.count, visible > 0 {
            buffer.write(String(glyphs.arrowDown), x: area.maxX - 1, y: y + visible - 1, style: Style(.muted))
        }
    }
}
