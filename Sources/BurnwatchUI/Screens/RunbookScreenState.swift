import BurnwatchCore
import BurnwatchRunbooks

/// A place in the runbooks: a file, the section anchor, the scroll row and the focused element.
public struct RunbookPlace: Hashable, Sendable {
    public var fileName: String
    public var anchor: String?
    public var scroll: Int
    public var focus: Int?

    public init(fileName: String, anchor: String? = nil, scroll: Int = 0, focus: Int? = nil) {
        self.fileName = fileName; self.anchor = anchor; self.scroll = scroll; self.focus = focus
    }
}

/// The prompt line of the runbook screen, when one is open.
public struct RunbookPrompt: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        /// `/`: search within the open runbook.
        case searchWithin
        /// `:`: a command (`search TEXT`, `open FILE#anchor`, `quit`).
        case command
        /// `n` on a checklist item: a note for that item.
        case note(itemID: String)
    }
    public var purpose: Purpose
    public var text: String = ""

    /// The character shown before the text.
    public var leader: String {
        switch purpose {
        case .searchWithin: return "/"
        case .command: return ":"
        case .note: return "note: "
        }
    }
}

/// What the runbook screen shows in its main area.
public enum RunbookPanel: Hashable, Sendable {
    /// The rendered runbook.
    case document
    /// The table of contents: files and their sections.
    case contents
    /// Hits of a search across every runbook.
    case results
}

/// One entry of the table of contents.
public struct RunbookContentsEntry: Hashable, Sendable {
    public var fileName: String
    /// nil for the file itself; the section's anchor otherwise.
    public var anchor: String?
    public var title: String
    public var level: Int
}

/// The state of the runbook screen: a value; `RunbookScreen.reduce` is the only place it changes.
public struct RunbookScreenState: Hashable, Sendable {
    /// The runbooks in effect (bundled overlaid by team folders).
    public var library: RunbookLibrary
    /// Who ticks (`$USER`), recorded with every tick and note.
    public var user: String
    /// Drawing characters for the locale.
    public var glyphs: Glyphs
    /// The size of the screen's area (the app's body) the layout was made for.
    public private(set) var size: TerminalSize

    /// The open file, section and scroll position.
    public internal(set) var place: RunbookPlace
    /// Places to go back to (`[`, ctrl-o) and forward to (`]`, ctrl-i).
    public internal(set) var backStack: [RunbookPlace] = []
    public internal(set) var forwardStack: [RunbookPlace] = []
    /// Checklist mode: up/down move from item to item; space ticks; `n` adds a note.
    public internal(set) var checklistMode = false
    public internal(set) var panel: RunbookPanel = .document
    public internal(set) var contentsSelection = 0
    public internal(set) var results: [RunbookSearchHit] = []
    public internal(set) var resultsQuery = ""
    public internal(set) var resultsSelection = 0
    /// The open prompt, if any.
    public internal(set) var prompt: RunbookPrompt?
    /// The last search within the runbook (highlighted; `n`/`N` move between matches).
    public internal(set) var searchQuery = ""
    /// Ticks and notes by checklist item id, as the journal holds them (or memory, when it failed).
    public internal(set) var marks: [String: ChecklistMark]
    /// A message for the status line (what just happened).
    public internal(set) var message: String?
    /// A lasting warning for the status line (e.g. the journal cannot be written).
    public internal(set) var warning: String?
    /// Set when the user asked to leave.
    public internal(set) var wantsQuit = false

    /// The current document laid out for the current width.
    public internal(set) var layout: RenderedRunbook

    /// Creates the screen on `place` (a missing file falls back to the first runbook).
    ///
    /// - Parameters:
    ///   - library: the runbooks.
    ///   - place: where to open; its anchor scrolls to that section.
    ///   - marks: ticks and notes loaded from the journal.
    ///   - user: who is ticking.
    ///   - glyphs: Unicode or ASCII.
    ///   - size: the terminal size.
    ///   - warning: a warning to show from the start (e.g. the journal could not be opened).
    public init(library: RunbookLibrary, place: RunbookPlace, marks: [String: ChecklistMark], user: String,
                glyphs: Glyphs, size: TerminalSize, warning: String? = nil) {
        self.library = library
        self.marks = marks
        self.user = user
        self.glyphs = glyphs
        self.size = size
        self.warning = warning
        var start = place
        if library.document(named: start.fileName) == nil {
            message = "no runbook named \(start.fileName)"
            start = RunbookPlace(fileName: library.documents.first?.fileName ?? "")
        }
        self.place = start
        layout = RenderedRunbook()
        relayout()
        if let anchor = start.anchor {
            if let row = layout.anchorRows[anchor] {
                self.place.scroll = row
            } else {
                message = "no section #\(anchor) in \(start.fileName)"
                self.place.anchor = nil
            }
        }
        clampScroll()
        focusFirstVisible(from: self.place.anchor.flatMap { layout.anchorRows[$0] })
    }

    /// The open document (nil only when the library is empty).
    public var document: RunbookDocument? { library.document(named: place.fileName) }

    /// Whether the contents pane is shown beside the text (wide terminals).
    public var showsContentsPane: Bool { size.width >= 100 }
    /// Columns of the contents pane when shown.
    static let paneWidth = 30

    /// The area the document text is drawn in, relative to the screen's area: below the title row,
    /// right of the contents pane when there is one, above the warning row when there is a warning.
    public var textArea: Rect {
        let top = 1
        let bottom = warning == nil ? 0 : 1
        let left = showsContentsPane ? Self.paneWidth + 1 : 0
        return Rect(x: left + 1, y: top, width: max(0, size.width - left - 2), height: max(0, size.height - top - bottom))
    }

    /// Lays the document out again (after a resize, a tick or a note, or opening another file).
    mutating func relayout() {
        guard let document else { layout = RenderedRunbook(); return }
        var broken = Set<String>()
        for link in document.links {
            switch library.resolve(link, from: document.fileName) {
            case .missingFile, .missingAnchor: broken.insert(link.destination)
            default: break
            }
        }
        layout = RenderedRunbook(document: document, width: textArea.width, glyphs: glyphs, marks: marks, brokenLinks: broken)
    }

    /// Keeps the scroll row inside the document.
    mutating func clampScroll() {
        let maxScroll = max(0, layout.rows.count - textArea.height)
        place.scroll = min(max(0, place.scroll), maxScroll)
    }

    /// Moves the focus to the first focusable element in view (or none), at or below `row` when given.
    mutating func focusFirstVisible(from row: Int? = nil) {
        let top = max(place.scroll, row ?? place.scroll)
        let visible = top..<(place.scroll + max(1, textArea.height))
        place.focus = layout.focusables.indices.first { index in
            visible.contains(layout.focusables[index].row) && (!checklistMode || layout.focusables[index].isItem)
        }
    }

    /// Records a new terminal size and lays out again, keeping the same section in view.
    mutating func resize(to newSize: TerminalSize) {
        guard newSize != size else { return }
        let anchor = layout.rows.indices.contains(place.scroll) ? layout.rows[place.scroll].sectionAnchor : nil
        let focused = place.focus.map { layout.focusables[$0].kind }
        size = newSize
        relayout()
        if let anchor, let row = layout.anchorRows[anchor] { place.scroll = row }
        if let focused, let index = layout.focusables.firstIndex(where: { $0.kind == focused }) {
            place.focus = index
            scrollToShow(row: layout.focusables[index].row)
        }
        clampScroll()
    }

    /// Scrolls so that `row` is visible.
    mutating func scrollToShow(row: Int) {
        let height = max(1, textArea.height)
        if row < place.scroll { place.scroll = row } else if row >= place.scroll + height { place.scroll = row - height + 1 }
        clampScroll()
    }

    /// The table of contents: each file, then (for the open file) its sections.
    public var contents: [RunbookContentsEntry] {
        var entries: [RunbookContentsEntry] = []
        for document in library.documents {
            entries.append(RunbookContentsEntry(fileName: document.fileName, anchor: nil, title: document.fileName, level: 0))
            guard document.fileName == place.fileName || panel == .contents else { continue }
            for section in document.sections where section.level <= 2 {
                entries.append(RunbookContentsEntry(fileName: document.fileName, anchor: section.anchor, title: section.title,
                                                    level: section.level))
            }
        }
        return entries
    }

    /// Ticked and total checklist items of `items`.
    public func progress(of items: [ChecklistItem]) -> (done: Int, total: Int) {
        (items.filter { marks[$0.id]?.isTicked ?? false }.count, items.count)
    }

    /// The section being read: the focused item's in checklist mode; the section that was opened
    /// while its heading is in view; else the one at the top of the view.
    public var currentSectionAnchor: String? {
        guard layout.rows.indices.contains(place.scroll) else { return nil }
        if checklistMode, let focus = place.focus, layout.focusables.indices.contains(focus) {
            let row = layout.focusables[focus].row
            if layout.rows.indices.contains(row) { return layout.rows[row].sectionAnchor }
        }
        if let anchor = place.anchor, let row = layout.anchorRows[anchor], row >= place.scroll,
           row < place.scroll + max(1, textArea.height), layout.rows.indices.contains(row) {
            return layout.rows[row].sectionAnchor
        }
        return layout.rows[place.scroll].sectionAnchor
    }
}

extension RunbookFocusable {
    /// Whether this is a checklist item.
    public var isItem: Bool { if case .item = kind { return true } else { return false } }
    /// The checklist item id, when it is one.
    public var itemID: String? { if case .item(let id) = kind { return id } else { return nil } }
}
