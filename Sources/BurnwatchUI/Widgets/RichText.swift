/// One logical line of rich text (a paragraph, a list item, a code line) before wrapping.
public struct RichLine: Hashable, Sendable {
    public var spans: [Span]
    /// Spaces before continuation lines when this line wraps (list items, quotes).
    public var hangingIndent: Int
    /// Whether to wrap (false for code, which is cut at the edge instead).
    public var wraps: Bool

    public init(_ spans: [Span], hangingIndent: Int = 0, wraps: Bool = true) {
        self.spans = spans
        self.hangingIndent = hangingIndent
        self.wraps = wraps
    }

    /// A line of plain text in one style.
    public static func plain(_ text: String, _ role: StyleRole = .normal) -> RichLine { RichLine([Span(text, role)]) }
}

/// Scrollable styled text, wrapped at display width: rendered Markdown, log detail, help pages.
public struct RichText: Widget, Hashable, Sendable {
    public var lines: [RichLine]
    /// Screen lines (after wrapping) scrolled off the top.
    public var scroll: Int
    public var glyphs: Glyphs

    public init(lines: [RichLine], scroll: Int = 0, glyphs: Glyphs = .unicode) {
        self.lines = lines
        self.scroll = scroll
        self.glyphs = glyphs
    }

    /// The screen lines for `width` columns, with the index of the logical line each came from.
    ///
    /// - Complexity: O(total text length).
    public static func layout(_ lines: [RichLine], width: Int) -> [(source: Int, spans: [Span])] {
        var out: [(Int, [Span])] = []
        for (i, line) in lines.enumerated() {
            if line.wraps {
                for wrapped in TextWrap.wrap(line.spans, width: width, hangingIndent: line.hangingIndent) {
                    out.append((i, wrapped))
                }
            } else {
                out.append((i, line.spans))
            }
        }
        return out
    }

    /// The largest useful scroll for an area of `width`×`height`.
    public func maxScroll(width: Int, height: Int) -> Int {
        max(0, RichText.layout(lines, width: max(1, width - 1)).count - height)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        // The last column holds the scroll marks.
        let textWidth = max(1, area.width - 1)
        let laid = RichText.layout(lines, width: textWidth)
        let first = min(max(0, scroll), max(0, laid.count - area.height))
        for (i, entry) in laid.dropFirst(first).prefix(area.height).enumerated() {
            var x = area.x
            let limit = area.x + textWidth
            for span in entry.spans where x < limit {
                x = buffer.write(span.text, x: x, y: area.y + i, style: span.style, limit: limit)
            }
        }
        if first > 0 {
            buffer.write(String(glyphs.arrowUp), x: area.maxX - 1, y: area.y, style: Style(.muted))
        }
        if first + area.height < laid.count {
            buffer.write(String(glyphs.arrowDown), x: area.maxX - 1, y: area.maxY - 1, style: Style(.muted))
        }
    }
}
