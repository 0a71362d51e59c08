/// The help window, generated from the keymap: bindings grouped, keys left, help right.
public struct HelpOverlay: Widget, Hashable, Sendable {
    public var keymap: Keymap
    public var glyphs: Glyphs
    /// Lines scrolled off the top.
    public var scroll: Int

    public init(keymap: Keymap, glyphs: Glyphs = .unicode, scroll: Int = 0) {
        self.keymap = keymap
        self.glyphs = glyphs
        self.scroll = scroll
    }

    /// The help text as lines of (keys, help, isGroupHeading), one binding per line.
    public var entries: [(keys: String, help: String, heading: Bool)] {
        var out: [(String, String, Bool)] = []
        var seenKeys = Set<Key>()
        for group in keymap.groups {
            var lines: [(String, String, Bool)] = []
            for b in keymap.bindings where b.group == group {
                // A key bound twice only works the first time: do not advertise the shadowed one.
                let keys = b.keys.filter { !seenKeys.contains($0) }
                seenKeys.formUnion(keys)
                guard !keys.isEmpty else { continue }
                let text = keys.count > 3 && keys.allSatisfy({ if case .char(let c) = $0 { c.isNumber } else { false } })
                    ? "\(keys.first!.description)-\(keys.last!.description)"
                    : keys.map(\.description).joined(separator: " ")
                lines.append((text, b.help, false))
            }
            if !lines.isEmpty { out.append((group, "", true)); out += lines }
        }
        return out
    }

    /// How the help is laid out in `area`: the window and the entries of each text column.
    ///
    /// One column when it fits the height; otherwise two side by side (split at a group heading
    /// near the middle) when the width allows; what still does not fit scrolls.
    public func layout(in area: Rect) -> (frame: Rect, columns: [[(keys: String, help: String, heading: Bool)]], keyWidth: Int) {
        let rows = entries
        let keyWidth = rows.filter { !$0.heading }.map { DisplayWidth.ofSafe($0.keys) }.max() ?? 0
        let helpWidth = rows.map { DisplayWidth.ofSafe($0.help) }.max() ?? 0
        let columnWidth = keyWidth + helpWidth + 5
        var columns = [rows]
        if rows.count > area.height - 2, 2 * columnWidth + 4 <= area.width, rows.count > 1 {
            let half = (rows.count + 1) / 2
            let headings = rows.indices.filter { rows[$0].heading && $0 > 0 }
            let split = headings.min { abs($0 - half) < abs($1 - half) }.flatMap { abs($0 - half) <= rows.count / 4 ? $0 : nil } ?? half
            columns = [Array(rows[..<split]), Array(rows[split...])]
        }
        let height = (columns.map(\.count).max() ?? 0) + 2
        let width = columns.count * columnWidth + (columns.count - 1) * 2 + 2
        return (area.centered(width: width, height: height), columns, keyWidth)
    }

    /// The largest useful scroll in `area` (0 when everything fits).
    public func maxScroll(in area: Rect) -> Int {
        let (box, columns, _) = layout(in: area)
        return max(0, (columns.map(\.count).max() ?? 0) - max(0, box.height - 2))
    }

    /// The window's rectangle inside `area`.
    public func frame(in area: Rect) -> Rect { layout(in: area).frame }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        let (box, columns, keyWidth) = layout(in: area)
        guard box.width >= 4, box.height >= 3 else { return }
        let block = Block(title: "Help (Esc to close)", glyphs: glyphs, clearsInside: true)
        block.render(into: &buffer, area: box)
        let inner = block.inner(box)
        let parts = inner.columns(columns.map { _ in Constraint.fill(1) }, spacing: 2)
        let longest = columns.map(\.count).max() ?? 0
        let first = min(max(0, scroll), max(0, longest - inner.height))
        for (part, rows) in zip(parts, columns) {
            let column = part.inset(Margin(left: 1))
            for (i, entry) in rows.dropFirst(first).prefix(inner.height).enumerated() {
                let y = column.y + i
                if entry.heading {
                    buffer.write(entry.keys, in: Rect(x: column.x, y: y, width: column.width, height: 1),
                                 style: Style(.heading), ellipsis: glyphs.ellipsis)
                } else {
                    buffer.write(entry.keys, in: Rect(x: column.x + 1, y: y, width: keyWidth, height: 1),
                                 style: Style(.accent), ellipsis: glyphs.ellipsis)
                    let hx = column.x + keyWidth + 3
                    buffer.write(entry.help, in: Rect(x: hx, y: y, width: column.maxX - hx, height: 1),
                                 ellipsis: glyphs.ellipsis)
                }
            }
        }
        if first + inner.height < longest {
            buffer.write(String(glyphs.arrowDown), x: box.maxX - 2, y: box.maxY - 1, style: Style(.border))
        }
        if first > 0 {
            buffer.write(String(glyphs.arrowUp), x: box.maxX - 2, y: box.y, style: Style(.border))
        }
    }
}
