/// A grid of cells that a view draws into and the terminal backend copies to the screen.
///
/// Every text-writing method escapes its text through `TerminalSafeText` first and measures it
/// with `DisplayWidth`: a wide grapheme takes two cells (the right one a continuation), a zero-width
/// scalar joins the grapheme of the previous cell, and half of a wide grapheme that would cross
/// the right edge of the writing area becomes a space. Overwriting either half of a wide grapheme
/// blanks its other half, so the grid never holds an orphaned half.
public struct ScreenBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// Cells row by row; index `y * width + x`.
    public private(set) var cells: [Cell]

    /// A blank buffer of `width`×`height` cells in `style`.
    public init(width: Int, height: Int, style: Style = .normal) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank(style), count: self.width * self.height)
    }

    /// A blank buffer the size of the terminal.
    public init(size: TerminalSize) { self.init(width: size.width, height: size.height) }

    /// The whole buffer as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (`x`, `y`); both must be inside the buffer.
    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    // MARK: Writing

    /// Writes `text` at (`x`, `y`) in `style`, clipped to the buffer and to `limit` columns (exclusive end `x`).
    ///
    /// - Parameters:
    ///   - text: untrusted text; controls and bidi overrides are shown escaped.
    ///   - x: the first column; text left of column 0 is skipped column by column.
    ///   - y: the row; nothing is written outside the buffer.
    ///   - style: the style of every written cell.
    ///   - limit: the column at which writing stops (defaults to the buffer width).
    /// - Returns: the column after the last written cell.
    /// - Complexity: O(n) in the number of scalars of `text`.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, style: Style = .normal,
                               limit: Int? = nil) -> Int {
        let end = min(limit ?? width, width)
        guard y >= 0, y < height else { return x }
        var col = x
        var lastCell = -1  // index of the cell that zero-width scalars attach to
        TerminalSafeText.forEachSafeScalar(in: text) { scalar in
            let w = DisplayWidth.of(scalar)
            if w == 0 {
                if lastCell >= 0 {
                    attach(scalar, to: lastCell)
                } else if col >= 0, col < end {
                    // A mark with nothing before it is shown on a dotted circle.
                    put(Cell(content: "\u{25CC}" + String(Character(scalar)), style: style, width: 1), x: col, y: y)
                    lastCell = y * width + col
                    col += 1
                }
                return
            }
            guard col < end else { lastCell = -1; col += w; return }
            if col < 0 || col + w > end {
                // Partly off the area: blank what is visible of it.
                let from = max(col, 0), to = min(col + w, end)
                if from < to { for c in from..<to { put(.blank(style), x: c, y: y) } }
                lastCell = -1
                col += w
                return
            }
            put(Cell(content: String(Character(scalar)), style: style, width: UInt8(w)), x: col, y: y)
            if w == 2 { put(.continuation(style), x: col + 1, y: y) }
            lastCell = y * width + col
            col += w
        }
        return min(col, end)
    }

    /// Writes `text` into at most `maxWidth` columns, ending in an ellipsis when it does not fit.
    ///
    /// - Returns: the column after the last written cell.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, style: Style = .normal,
                               maxWidth: Int, ellipsis: Character = "…") -> Int {
        guard maxWidth > 0 else { return x }
        let fitted = TextFit.truncate(text, toWidth: maxWidth, ellipsis: ellipsis)
        return write(fitted, x: x, y: y, style: style, limit: x + maxWidth)
    }

    /// Writes `text` inside `area`'s first row with `alignment`, truncating with `ellipsis`.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, in area: Rect, style: Style = .normal,
                               alignment: Alignment = .left, ellipsis: Character = "…") -> Int {
        guard !area.isEmpty else { return area.x }
        let fitted = TextFit.truncate(text, toWidth: area.width, ellipsis: ellipsis)
        let w = DisplayWidth.of(fitted)
        let pad: Int
        switch alignment {
        case .left: pad = 0
        case .right: pad = area.width - w
        case .center: pad = (area.width - w) / 2
        }
        return write(fitted, x: area.x + pad, y: area.y, style: style, limit: area.maxX)
    }

    /// Writes styled spans one after another from (`x`, `y`), stopping at `limit`.
    ///
    /// - Returns: the column after the last written cell.
    @discardableResult
    public mutating func write(spans: [Span], x: Int, y: Int, limit: Int? = nil) -> Int {
        var col = x
        let end = min(limit ?? width, width)
        for span in spans where col < end {
            col = write(span.text, x: col, y: y, style: span.style, limit: end)
        }
        return col
    }

    /// Fills `rect` (clipped to the buffer) with `character` in `style`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .normal) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        let safe = TerminalSafeText.escape(String(character))
        if safe == " " {
            // Fast path: blank cells, still repairing wide graphemes cut at the edges.
            for row in r.y..<r.maxY {
                for col in r.x..<r.maxX { put(.blank(style), x: col, y: row) }
            }
            return
        }
        for row in r.y..<r.maxY {
            var col = r.x
            while col < r.maxX {
                let next = write(safe, x: col, y: row, style: style, limit: r.maxX)
                col = next > col ? next : col + 1
            }
        }
    }

    /// Changes the style of every cell in `rect` (clipped to the buffer), keeping the text.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for row in r.y..<r.maxY {
            for col in r.x..<r.maxX { cells[row * width + col].style = style }
        }
    }

    /// Adds `attributes` to the style of every cell in `rect`, keeping roles and text.
    public mutating func addAttributes(_ attributes: TextAttributes, in rect: Rect) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for row in r.y..<r.maxY {
            for col in r.x..<r.maxX { cells[row * width + col].style.attributes.formUnion(attributes) }
        }
    }

    /// Copies `other` into this buffer with its top left at (`x`, `y`), clipped.
    public mutating func blit(_ other: ScreenBuffer, x: Int, y: Int) {
        for oy in 0..<other.height where y + oy >= 0 && y + oy < height {
            for ox in 0..<other.width where x + ox >= 0 && x + ox < width {
                put(other[ox, oy], x: x + ox, y: y + oy)
            }
        }
    }

    // MARK: Reading

    /// The text of row `y`: continuation cells left out, trailing spaces kept.
    public func rowText(_ y: Int) -> String {
        var s = ""
        s.reserveCapacity(width)
        for x in 0..<width {
            let c = cells[y * width + x]
            if !c.isContinuation { s += c.content }
        }
        return s
    }

    /// A stable text form for snapshot tests: one line per row, trailing spaces trimmed.
    public func textDump() -> String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for y in 0..<height {
            var line = rowText(y)
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A map of style role letters parallel to `textDump()`: one letter per column (continuations
    /// repeat their grapheme's letter), trailing `.` (normal) trimmed. Attributes are not shown.
    public func styleDump() -> String {
        var lines: [String] = []
        for y in 0..<height {
            var line = ""
            for x in 0..<width { line.append(cells[y * width + x].style.role.letter) }
            while line.last == "." { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Rows whose cells differ from `previous`; every row when the sizes differ or there is none.
    ///
    /// - Complexity: O(width × height).
    public func changedRows(since previous: ScreenBuffer?) -> [Int] {
        guard let previous, previous.width == width, previous.height == height else { return Array(0..<height) }
        var rows: [Int] = []
        for y in 0..<height {
            let start = y * width
            if cells[start..<start + width] != previous.cells[start..<start + width] { rows.append(y) }
        }
        return rows
    }

    // MARK: Internals

    /// Stores `cell` at (`x`, `y`) and blanks the other half of any wide grapheme it cuts.
    private mutating func put(_ cell: Cell, x: Int, y: Int) {
        let i = y * width + x
        let old = cells[i]
        if old.isContinuation, !cell.isContinuation, x > 0 {
            let head = cells[i - 1]
            cells[i - 1] = .blank(head.style)
        } else if old.width == 2, x + 1 < width, cell.width != 2 {
            cells[i + 1] = .blank(cells[i + 1].style)
        }
        cells[i] = cell
    }

    /// Joins a zero-width scalar to the grapheme in cell `index`, up to `Cell.maxAttached` of them.
    private mutating func attach(_ scalar: Unicode.Scalar, to index: Int) {
        let attached = cells[index].content.unicodeScalars.count - 1
        guard attached < Cell.maxAttached else { return }
        cells[index].content.unicodeScalars.append(scalar)
    }
}

/// Horizontal placement of text in an area.
public enum Alignment: Hashable, Sendable { case left, center, right }
