/// A run of text in one style.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, style: Style = .normal) {
        self.text = text
        self.style = style
    }
    public init(_ text: String, _ role: StyleRole, _ attributes: TextAttributes = []) {
        self.init(text, style: Style(role, attributes))
    }
}

/// Word wrapping at display width: words move to the next line whole, longer ones are broken.
///
/// Works on escaped text, so widths match what `ScreenBuffer` shows.
public enum TextWrap {
    /// `text` wrapped into lines of at most `width` columns (spaces at the break are dropped).
    ///
    /// - Complexity: O(n) in the number of characters.
    public static func wrap(_ text: String, width: Int) -> [String] {
        wrap([Span(text)], width: width).map { $0.map(\.text).joined() }
    }

    /// Styled spans wrapped into lines of at most `width` columns; continuation lines start with
    /// `hangingIndent` spaces (for list items). An empty input gives one empty line.
    ///
    /// - Complexity: O(n) in the number of characters.
    public static func wrap(_ spans: [Span], width: Int, hangingIndent: Int = 0) -> [[Span]] {
        let width = max(1, width)
        let indent = min(max(0, hangingIndent), width - 1)
        var lines: [[Span]] = []
        var line: [Span] = []
        var used = 0
        var pendingSpace: [Span] = []
        var pendingSpaceWidth = 0

        func emit(_ text: String, _ style: Style, _ w: Int) {
            if let last = line.last, last.style == style {
                line[line.count - 1].text += text
            } else {
                line.append(Span(text, style: style))
            }
            used += w
        }
        func newLine() {
            lines.append(line)
            line = []
            used = 0
            pendingSpace = []
            pendingSpaceWidth = 0
            if indent > 0 { emit(String(repeating: " ", count: indent), .normal, indent) }
        }

        for span in spans {
            let safe = TerminalSafeText.escape(span.text)
            // Split into words and runs of spaces.
            var token = ""
            var tokenWidth = 0
            var tokenIsSpace = false
            func flush() {
                guard !token.isEmpty else { return }
                if tokenIsSpace {
                    pendingSpace.append(Span(token, style: span.style))
                    pendingSpaceWidth += tokenWidth
                } else {
                    let lineStart = lines.isEmpty ? 0 : indent
                    // Spaces before a word are kept, except where a wrapped line begins.
                    let spaceWidth = (lines.isEmpty || used > lineStart) ? pendingSpaceWidth : 0
                    if used + spaceWidth + tokenWidth > width, used > lineStart {
                        newLine()
                    } else if spaceWidth > 0 {
                        for s in pendingSpace {
                            let w = DisplayWidth.of(s.text)
                            if used + w <= width { emit(s.text, s.style, w) }
                        }
                    }
                    pendingSpace = []
                    pendingSpaceWidth = 0
                    if used + tokenWidth <= width {
                        emit(token, span.style, tokenWidth)
                    } else {
                        // Longer than a line: break it by graphemes.
                        for ch in token {
                            let w = DisplayWidth.of(ch.unicodeScalars)
                            if used + w > width, used > (lines.isEmpty ? 0 : indent) { newLine() }
                            emit(String(ch), span.style, w)
                        }
                    }
                }
                token = ""
                tokenWidth = 0
            }
            for ch in safe {
                let isSpace = ch == " "
                if isSpace != tokenIsSpace { flush(); tokenIsSpace = isSpace }
                token.append(ch)
                tokenWidth += DisplayWidth.of(ch.unicodeScalars)
            }
            flush()
        }
        lines.append(line)
        return lines
    }
}
