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
    /// `hangingIndent` spaces (for list items). A word may span several styles (`**bold**,`) and
    /// still moves as one. An empty input gives one empty line.
    ///
    /// - Complexity: O(n) in the number of characters.
    public static func wrap(_ spans: [Span], width: Int, hangingIndent: Int = 0) -> [[Span]] {
        var wrapper = Wrapper(width: max(1, width), indent: min(max(0, hangingIndent), max(1, width) - 1))
        for span in spans {
            for ch in TerminalSafeText.escape(span.text) {
                wrapper.add(ch, span.style)
            }
        }
        return wrapper.finish()
    }
}

/// The state of one wrap: the lines so far, the line being filled, and the pending word and spaces.
private struct Wrapper {
    let width: Int
    let indent: Int
    var lines: [[Span]] = []
    var line: [Span] = []
    var used = 0
    /// Spaces seen after the last word, placed only if another word follows on the same line.
    var spaces: [Span] = []
    var spacesWidth = 0
    /// The word being read, possibly in several styles.
    var word: [Span] = []
    var wordWidth = 0

    init(width: Int, indent: Int) {
        self.width = width
        self.indent = indent
    }

    private var lineStart: Int { lines.isEmpty ? 0 : indent }

    mutating func add(_ ch: Character, _ style: Style) {
        let w = DisplayWidth.of(ch.unicodeScalars)
        if ch == " " {
            flushWord()
            Wrapper.append(String(ch), style, to: &spaces)
            spacesWidth += w
        } else {
            Wrapper.append(String(ch), style, to: &word)
            wordWidth += w
        }
    }

    mutating func finish() -> [[Span]] {
        flushWord()
        lines.append(line)
        return lines
    }

    private static func append(_ text: String, _ style: Style, to spans: inout [Span]) {
        if let last = spans.last, last.style == style {
            spans[spans.count - 1].text += text
        } else {
            spans.append(Span(text, style: style))
        }
    }

    private mutating func emit(_ text: String, _ style: Style, _ w: Int) {
        Wrapper.append(text, style, to: &line)
        used += w
    }

    private mutating func newLine() {
        lines.append(line)
        line = []
        used = 0
        if indent > 0 { emit(String(repeating: " ", count: indent), .normal, indent) }
    }

    /// Places the pending spaces and word: on this line if they fit, else on the next one.
    private mutating func flushWord() {
        guard !word.isEmpty else { return }
        // Spaces before a word are kept, except where a wrapped line begins.
        let spaceWidth = (lines.isEmpty || used > lineStart) ? spacesWidth : 0
        if used + spaceWidth + wordWidth > width, used > lineStart {
            newLine()
        } else if spaceWidth > 0 {
            for s in spaces {
                let w = DisplayWidth.of(s.text)
                if used + w <= width { emit(s.text, s.style, w) }
            }
        }
        if used + wordWidth <= width {
            for s in word { emit(s.text, s.style, DisplayWidth.of(s.text)) }
        } else {
            // Longer than a line: break it by graphemes.
            for s in word {
                for ch in s.text {
                    let w = DisplayWidth.of(ch.unicodeScalars)
                    if used + w > width, used > lineStart { newLine() }
                    emit(String(ch), s.style, w)
                }
            }
        }
        spaces = []
        spacesWidth = 0
        word = []
        wordWidth = 0
    }
}
