/// A block of a runbook, ready for rendering: what it is and the line it starts on.
public struct RunbookBlock: Hashable, Sendable {
    /// 1-based line where the block starts in the source file.
    public var line: Int
    /// What the block is.
    public var content: Content

    public init(line: Int, _ content: Content) { self.line = line; self.content = content }

    /// The kinds of block a runbook renders. Markdown the model does not know becomes `.plainText`.
    public indirect enum Content: Hashable, Sendable {
        /// A heading nested in another block (top-level headings start `RunbookSection`s instead).
        case heading(level: Int, anchor: String, inlines: [RunbookInline])
        /// A paragraph of inline spans.
        case paragraph([RunbookInline])
        /// A bullet or ordered list (task items are list items with a `task`).
        case list(RunbookList)
        /// A fenced or indented code block; `info` is the fence's info string (`promql`, `go`, or empty).
        case codeBlock(info: String, code: String)
        /// A block quote holding other blocks.
        case blockQuote([RunbookBlock])
        /// A GitHub table.
        case table(RunbookTable)
        /// A `---` rule.
        case thematicBreak
        /// Raw HTML or a construct the renderer does not know, shown as literal text.
        case plainText(String)
    }
}

/// A bullet or ordered list.
public struct RunbookList: Hashable, Sendable {
    /// True for `1.` lists.
    public var ordered: Bool
    /// The first number of an ordered list (1 for bullet lists).
    public var start: Int
    /// True when the list is tight (no blank lines between items).
    public var tight: Bool
    /// The items in order.
    public var items: [RunbookListItem]

    public init(ordered: Bool, start: Int, tight: Bool, items: [RunbookListItem]) {
        self.ordered = ordered; self.start = start; self.tight = tight; self.items = items
    }
}

/// One item of a list; a task item (`- [ ]`, `- [x]`) has `task` set and, at the top of a
/// runbook, the id of its `ChecklistItem`.
public struct RunbookListItem: Hashable, Sendable {
    /// 1-based line of the item.
    public var line: Int
    /// The item's blocks (usually one paragraph, maybe a nested list).
    public var blocks: [RunbookBlock]
    /// The task state as written in the source, or nil for an ordinary item.
    public var task: TaskState?
    /// The id of the `ChecklistItem` this task item is (nil for ordinary items).
    public var checklistItemID: String?
    /// The live check annotated on this task item, if any.
    public var liveCheck: LiveCheck?

    /// A task item's state in the source Markdown.
    public enum TaskState: Hashable, Sendable { case open, done }

    public init(line: Int, blocks: [RunbookBlock], task: TaskState?, checklistItemID: String?, liveCheck: LiveCheck?) {
        self.line = line; self.blocks = blocks; self.task = task; self.checklistItemID = checklistItemID
        self.liveCheck = liveCheck
    }
}

/// A GitHub table: alignments, a header row and body rows of cells of inline spans.
public struct RunbookTable: Hashable, Sendable {
    /// How a column is aligned.
    public enum Alignment: Hashable, Sendable { case none, left, center, right }
    /// One alignment per column.
    public var alignments: [Alignment]
    /// The header row's cells.
    public var header: [[RunbookInline]]
    /// The body rows; each row has one entry per cell (rows may be shorter than `alignments`).
    public var rows: [[[RunbookInline]]]

    public init(alignments: [Alignment], header: [[RunbookInline]], rows: [[[RunbookInline]]]) {
        self.alignments = alignments; self.header = header; self.rows = rows
    }
}

/// An inline span of a paragraph, heading or table cell.
public indirect enum RunbookInline: Hashable, Sendable {
    case text(String)
    case emphasis([RunbookInline])
    case strong([RunbookInline])
    case code(String)
    /// A link; `destination` as written (resolve it with `RunbookLibrary.resolve(_:from:)`).
    case link(destination: String, [RunbookInline])
    case strikethrough([RunbookInline])
    /// A soft line break (render as a space).
    case softBreak
    /// A hard line break.
    case lineBreak

    /// The plain text of spans, as a reader sees it (breaks become spaces).
    public static func plainText(_ inlines: [RunbookInline]) -> String {
        var out = ""
        for inline in inlines {
            switch inline {
            case .text(let s), .code(let s): out += s
            case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, let c): out += plainText(c)
            case .softBreak, .lineBreak: out += " "
            }
        }
        return out
    }
}
