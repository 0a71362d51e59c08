/// What the prompt line is asking for.
public enum PromptMode: Hashable, Sendable {
    /// `:` commands.
    case command
    /// `/` search.
    case search
    /// Free text a screen asked for (a checklist note, say); `id` comes back with the answer.
    case input(id: String, label: String)

    /// The text shown before the input.
    public var prefix: String {
        switch self {
        case .command: ":"
        case .search: "/"
        case .input(_, let label): label + ": "
        }
    }
}

/// The result of one key in the prompt.
public enum PromptOutcome: Hashable, Sendable {
    case editing
    case submitted(String)
    case cancelled
}

/// The editing state of the prompt line: a value with a pure `apply(_:)`.
///
/// Keys: printable characters insert; Backspace deletes before the cursor (and cancels on an empty
/// line); Del deletes under it; Left/Right, Home/End (also `C-a`/`C-e`) move; `C-u` deletes to the
/// start, `C-k` to the end, `C-w` the word before the cursor; Up/Down walk the history (the line
/// being typed is kept as a draft); Enter submits; Esc and `C-c` cancel.
public struct PromptState: Hashable, Sendable {
    public var mode: PromptMode
    /// The text as characters (graphemes), so the cursor never splits one.
    public private(set) var text: [Character]
    /// Cursor position in `text`, 0...text.count.
    public private(set) var cursor: Int
    /// Earlier entries of this mode, oldest first.
    public private(set) var history: [String]
    /// Position while walking the history; nil when editing the draft.
    public private(set) var historyIndex: Int?
    private var draft: [Character] = []

    /// Opens an empty prompt in `mode` with `history` (oldest first) to walk with Up/Down.
    public init(mode: PromptMode, text: String = "", history: [String] = []) {
        self.mode = mode
        self.text = Array(text)
        self.cursor = self.text.count
        self.history = history
    }

    /// The current text.
    public var string: String { String(text) }

    /// Display columns before the cursor (prefix excluded), for placing the terminal cursor.
    public var cursorColumn: Int { DisplayWidth.ofSafe(String(text[..<cursor])) }

    /// Applies one key and says whether editing goes on, the text was submitted, or the prompt closed.
    public mutating func apply(_ key: Key) -> PromptOutcome {
        switch key {
        case .char(let c):
            text.insert(c, at: cursor)
            cursor += 1
        case .backspace, .ctrl("h"):
            if text.isEmpty { return .cancelled }
            if cursor > 0 {
                text.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete, .ctrl("d"):
            if cursor < text.count { text.remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("u"):
            text.removeSubrange(0..<cursor)
            cursor = 0
        case .ctrl("k"):
            text.removeSubrange(cursor..<text.count)
        case .ctrl("w"):
            var start = cursor
            while start > 0, text[start - 1] == " " { start -= 1 }
            while start > 0, text[start - 1] != " " { start -= 1 }
            text.removeSubrange(start..<cursor)
            cursor = start
        case .up, .ctrl("p"):
            guard !history.isEmpty else { break }
            if historyIndex == nil { draft = text }
            let index = max(0, (historyIndex ?? history.count) - 1)
            historyIndex = index
            text = Array(history[index])
            cursor = text.count
        case .down, .ctrl("n"):
            guard let index = historyIndex else { break }
            if index + 1 < history.count {
                historyIndex = index + 1
                text = Array(history[index + 1])
            } else {
                historyIndex = nil
                text = draft
            }
            cursor = text.count
        case .enter:
            return .submitted(String(text))
        case .escape, .ctrl("c"):
            return .cancelled
        default:
            break
        }
        return .editing
    }

    /// `history` with `entry` appended: empty entries and repeats of the last entry are skipped,
    /// and only the newest `limit` entries are kept.
    public static func appending(_ entry: String, to history: [String], limit: Int = 100) -> [String] {
        guard !entry.isEmpty, history.last != entry else { return history }
        var h = history
        h.append(entry)
        if h.count > limit { h.removeFirst(h.count - limit) }
        return h
    }
}
