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

    /// The window's rectangle inside `area`.
    public func frame(in area: Rect) -> Rect {
        let rows = entries
        let keyWidth = rows.filter { !$0.heading }.map { DisplayWidth.ofSafe($0.keys) }.max() ?? 0
        let helpWidth = rows.map { DisplayWidth.ofSafe($0.help) }.max() ?? 0
        return area.centered(width: keyWidth + helpWidth + 7, height: rows.count + 2)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        let box = frame(in: area)
        guard box.width >= 4, box.height >= 3 else { return }
        let block = Block(title: "Help (Esc to close)", glyphs: glyphs, clearsInside: true)
        block.render(into: &buffer, area: box)
        let inner = block.inner(box).inset(Margin(horizontal: 1))
        let rows = entries
        let keyWidth = rows.filter { !$0.heading }.map { DisplayWidth.ofSafe($0.keys) }.max() ?? 0
        let first = min(max(0, scroll), max(0, rows.count - inner.height))
        for (i, entry) in rows.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + i
            if entry.heading {
                buffer.write(entry.keys, in: Rect(x: inner.x, y: y, width: inner.width, height: 1),
                             style: Style(.heading), ellipsis: glyphs.ellipsis)
            } else {
                buffer.write(entry.keys, in: Rect(x: inner.x + 1, y: y, width: keyWidth, height: 1),
                             style: Style(.accent), ellipsis: glyphs.ellipsis)
                let hx = inner.x + keyWidth + 3
                buffer.write(entry.help, in: Rect(x: hx, y: y, width: inner.maxX - hx, height: 1),
                             ellipsis: glyphs.ellipsis)
            }
        }
        if first + inner.height < rows.count {
            buffer.write(String(glyphs.arrowDown), x: box.maxX - 2, y: box.maxY - 1, style: Style(.border))
        }
        if first > 0 {
            buffer.write(String(glyphs.arrowUp), x: box.maxX - 2, y: box.y, style: Style(.border))
        }
    }
}
