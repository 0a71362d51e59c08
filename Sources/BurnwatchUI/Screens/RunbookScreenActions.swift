import BurnwatchCore
import BurnwatchRunbooks

/// A change the journal must record; the run loop writes it (the screen itself does no I/O).
public enum RunbookJournalWrite: Hashable, Sendable {
    case tick(itemID: String, ticked: Bool, by: String, at: Timestamp)
    case note(itemID: String, text: String, by: String, at: Timestamp)
}

/// The pure operations of the runbook screen: moving, following links, history, search, ticking.
extension RunbookScreenState {
    // MARK: Moving

    /// Moves down: to the next focusable element in view (checklist mode: the next item anywhere),
    /// else scrolls one row.
    public mutating func moveDown() {
        switch panel {
        case .contents: contentsSelection = min(contentsSelection + 1, max(0, contents.count - 1)); return
        case .results: resultsSelection = min(resultsSelection + 1, max(0, results.count - 1)); return
        case .document: break
        }
        let start = (place.focus ?? -1) + 1
        let candidates = layout.focusables.indices.filter { $0 >= start && (!checklistMode || layout.focusables[$0].isItem) }
        let bottom = place.scroll + max(1, textArea.height)
        if let next = candidates.first, checklistMode || layout.focusables[next].row < bottom {
            place.focus = next
            scrollToShow(row: layout.focusables[next].row)
            if checklistMode { keepItemContextVisible(next) }
            return
        }
        if !checklistMode { scroll(by: 1) }
    }

    /// Moves up: the mirror of `moveDown()`.
    public mutating func moveUp() {
        switch panel {
        case .contents: contentsSelection = max(0, contentsSelection - 1); return
        case .results: resultsSelection = max(0, resultsSelection - 1); return
        case .document: break
        }
        let end = place.focus ?? layout.focusables.count
        let candidates = layout.focusables.indices.filter { $0 < end && (!checklistMode || layout.focusables[$0].isItem) }
        if let previous = candidates.last, checklistMode || layout.focusables[previous].row >= place.scroll {
            place.focus = previous
            scrollToShow(row: layout.focusables[previous].row)
            return
        }
        if !checklistMode { scroll(by: -1) }
    }

    private mutating func keepItemContextVisible(_ index: Int) {
        // Show the rows under an item (who ticked, notes) when they fit.
        let next = layout.focusables.indices.contains(index + 1) ? layout.focusables[index + 1].row : layout.rows.count
        scrollToShow(row: min(next, layout.rows.count) - 1)
        scrollToShow(row: layout.focusables[index].row)
    }

    /// Scrolls by `rows` (negative: up), keeping the focus in view or moving it into view.
    public mutating func scroll(by rows: Int) {
        switch panel {
        case .contents: contentsSelection = min(max(0, contentsSelection + rows), max(0, contents.count - 1)); return
        case .results: resultsSelection = min(max(0, resultsSelection + rows), max(0, results.count - 1)); return
        case .document: break
        }
        place.scroll += rows
        clampScroll()
        if let focus = place.focus, layout.focusables.indices.contains(focus) {
            let row = layout.focusables[focus].row
            if row >= place.scroll, row < place.scroll + textArea.height { return }
        }
        focusFirstVisible()
    }

    /// Goes to the top (`g`) or the bottom (`G`).
    public mutating func jump(toTop: Bool) {
        switch panel {
        case .contents: contentsSelection = toTop ? 0 : max(0, contents.count - 1)
        case .results: resultsSelection = toTop ? 0 : max(0, results.count - 1)
        case .document:
            place.scroll = toTop ? 0 : layout.rows.count
            clampScroll()
            focusFirstVisible()
        }
    }

    /// The page size for ctrl-d / page down.
    public var pageRows: Int { max(1, textArea.height - 1) }

    // MARK: Places and history

    /// Opens `fileName` at `anchor` (nil: the top), remembering where we were for `back()`.
    ///
    /// - Returns: false (with a message) when the file or anchor does not exist.
    @discardableResult
    public mutating func open(fileName: String, anchor: String?) -> Bool {
        guard library.document(named: fileName) != nil else { message = "no runbook named \(fileName)"; return false }
        backStack.append(place)
        if backStack.count > 64 { backStack.removeFirst() }
        forwardStack.removeAll()
        go(to: RunbookPlace(fileName: fileName, anchor: anchor), scrollToAnchor: true)
        panel = .document
        if let anchor, layout.anchorRows[anchor] == nil { message = "no section #\(anchor) in \(fileName)" }
        return true
    }

    private mutating func go(to target: RunbookPlace, scrollToAnchor: Bool) {
        let fileChanged = target.fileName != place.fileName
        place = target
        if fileChanged { relayout() }
        if scrollToAnchor {
            let anchorRow = target.anchor.flatMap { layout.anchorRows[$0] }
            place.scroll = anchorRow ?? 0
            clampScroll()
            focusFirstVisible(from: anchorRow)
        } else {
            clampScroll()
            if let focus = place.focus, !layout.focusables.indices.contains(focus) { focusFirstVisible() }
        }
    }

    /// Goes back in history (`[`, ctrl-o).
    public mutating func back() {
        guard let previous = backStack.popLast() else { message = "no earlier place"; return }
        forwardStack.append(place)
        go(to: previous, scrollToAnchor: false)
        panel = .document
    }

    /// Goes forward in history (`]`).
    public mutating func forward() {
        guard let next = forwardStack.popLast() else { message = "no later place"; return }
        backStack.append(place)
        go(to: next, scrollToAnchor: false)
        panel = .document
    }

    /// Acts on the selection: follows a link, opens a contents entry or a search hit.
    ///
    /// - Returns: journal writes (none for links; a tick when enter is pressed on an item).
    public mutating func activate(at time: Timestamp) -> [RunbookJournalWrite] {
        switch panel {
        case .contents:
            let entries = contents
            guard entries.indices.contains(contentsSelection) else { return [] }
            let entry = entries[contentsSelection]
            open(fileName: entry.fileName, anchor: entry.anchor)
            return []
        case .results:
            guard results.indices.contains(resultsSelection) else { return [] }
            let hit = results[resultsSelection]
            open(fileName: hit.fileName, anchor: hit.sectionAnchor.isEmpty ? nil : hit.sectionAnchor)
            searchQuery = resultsQuery
            if let row = layout.rows.indices.first(where: { $0 >= place.scroll && matches(row: $0) }) { scrollToShow(row: row) }
            return []
        case .document:
            guard let focus = place.focus, layout.focusables.indices.contains(focus) else { return [] }
            switch layout.focusables[focus].kind {
            case .item: return toggleTick(at: time)
            case .link(let destination): follow(destination); return []
            }
        }
    }

    /// Follows a link destination written in the open file.
    public mutating func follow(_ destination: String) {
        switch library.resolve(destination, from: place.fileName) {
        case .section(let ref): open(fileName: ref.fileName, anchor: ref.anchor)
        case .document(let fileName): open(fileName: fileName, anchor: nil)
        case .external(let url): message = "external link (not opened here): \(url)"
        case .missingFile(let fileName): message = "broken link: no runbook named \(fileName)"
        case .missingAnchor(let fileName, let anchor): message = "broken link: no section #\(anchor) in \(fileName)"
        }
    }

    // MARK: Panels and modes

    /// Shows or hides the table of contents (`t`).
    public mutating func toggleContents() {
        if panel == .contents { panel = .document; return }
        panel = .contents
        let anchor = currentSectionAnchor
        contentsSelection = contents.firstIndex { $0.fileName == place.fileName && $0.anchor == anchor }
            ?? contents.firstIndex { $0.fileName == place.fileName } ?? 0
    }

    /// Turns checklist mode on or off (`c`).
    public mutating func toggleChecklistMode() {
        checklistMode.toggle()
        panel = .document
        if checklistMode {
            if place.focus.map({ !layout.focusables[$0].isItem }) ?? true {
                let first = layout.focusables.indices.first { layout.focusables[$0].isItem && layout.focusables[$0].row >= place.scroll }
                    ?? layout.focusables.indices.first { layout.focusables[$0].isItem }
                place.focus = first
                if let first { scrollToShow(row: layout.focusables[first].row) }
            }
            message = place.focus == nil ? "checklist mode: this runbook has no checklist items" : "checklist mode: space ticks, n adds a note, c leaves"
        } else {
            message = "reading mode"
        }
    }

    /// Closes a panel; returns false when there was none (so Esc can mean "back").
    public mutating func closePanel() -> Bool {
        if panel != .document { panel = .document; return true }
        if checklistMode { checklistMode = false; message = "reading mode"; return true }
        return false
    }

    // MARK: Checklist

    /// The checklist item under the focus, if any.
    public var focusedItemID: String? {
        guard panel == .document, let focus = place.focus, layout.focusables.indices.contains(focus) else { return nil }
        return layout.focusables[focus].itemID
    }

    /// Ticks or unticks the focused item (`space`), recording who and when.
    public mutating func toggleTick(at time: Timestamp) -> [RunbookJournalWrite] {
        guard let id = focusedItemID else { message = "no checklist item here (c: checklist mode)"; return [] }
        var mark = marks[id] ?? ChecklistMark()
        let ticked = !mark.isTicked
        mark.tickedBy = ticked ? user : nil
        mark.tickedAt = ticked ? time : nil
        marks[id] = mark
        let focused = place.focus
        relayout()
        place.focus = focused
        clampScroll()
        message = ticked ? "ticked" : "unticked"
        return [.tick(itemID: id, ticked: ticked, by: user, at: time)]
    }

    /// Adds a note to a checklist item.
    public mutating func addNote(itemID: String, text: String, at time: Timestamp) -> [RunbookJournalWrite] {
        let trimmed = text.trimmingCharacters(in: " ")
        guard !trimmed.isEmpty else { message = "empty note not saved"; return [] }
        var mark = marks[itemID] ?? ChecklistMark()
        mark.notes.append(ChecklistNote(author: user, time: time, text: trimmed))
        marks[itemID] = mark
        let focused = place.focus
        relayout()
        place.focus = focused
        clampScroll()
        message = "note added"
        return [.note(itemID: itemID, text: trimmed, by: user, at: time)]
    }

    /// Records that the journal failed; ticks stay in memory.
    public mutating func journalFailed(_ text: String) {
        warning = "journal: \(text) (ticks kept in memory only)"
    }

    // MARK: Search

    /// Whether row `row` contains the current search text.
    func matches(row: Int) -> Bool {
        !searchQuery.isEmpty && layout.rows[row].text.lowercased().contains(searchQuery.lowercased())
    }

    /// Searches the open runbook and moves to the next (or previous) matching row.
    public mutating func search(_ query: String, forward: Bool) {
        if !query.isEmpty { searchQuery = query }
        guard !searchQuery.isEmpty else { return }
        panel = .document
        let rows = layout.rows.indices.filter { matches(row: $0) }
        guard !rows.isEmpty else { message = "not found: \(searchQuery)"; return }
        let current = place.scroll
        let target = forward ? (rows.first { $0 > current } ?? rows[0]) : (rows.last { $0 < current } ?? rows[rows.count - 1])
        place.scroll = target
        clampScroll()
        focusFirstVisible()
        let position = (rows.firstIndex(of: target) ?? 0) + 1
        message = "match \(position) of \(rows.count) for \"\(searchQuery)\""
    }

    /// Searches every runbook and shows the hits (`:search TEXT`).
    public mutating func searchAll(_ query: String) {
        let trimmed = query.trimmingCharacters(in: " ")
        guard !trimmed.isEmpty else { return }
        results = library.search(trimmed)
        resultsQuery = trimmed
        resultsSelection = 0
        panel = .results
        let files = Set(results.map(\.fileName)).count
        message = results.isEmpty ? "no runbook mentions \"\(trimmed)\"" : "\(results.count) lines in \(files) runbooks"
    }
}

extension String {
    /// This string without leading and trailing `character`s.
    func trimmingCharacters(in character: Character) -> String {
        var s = Substring(self)
        while s.first == character { s.removeFirst() }
        while s.last == character { s.removeLast() }
        return String(s)
    }
}
