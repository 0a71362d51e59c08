import BurnwatchCore
import BurnwatchRunbooks

/// The pure view of the runbook screen: a title row, the contents pane (wide terminals) and the text.
extension RunbookScreenState {
    /// Draws the screen into `area` of `buffer`; `area` should have the size the state was laid out for.
    ///
    /// - Complexity: O(rows × columns) of the area.
    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        buffer.fill(area)
        guard area.height > 0, area.width > 0 else { return }
        renderTitle(into: &buffer, row: area.row(0))
        if showsContentsPane {
            let pane = Rect(x: area.x, y: area.y + 1, width: Self.paneWidth, height: textArea.height)
            renderContents(into: &buffer, area: pane)
            for y in pane.y..<pane.maxY {
                buffer.write(String(glyphs.vertical), x: pane.maxX, y: y, style: Style(.border))
            }
        }
        let text = Rect(x: area.x + textArea.x, y: area.y + textArea.y, width: textArea.width, height: textArea.height)
        switch panel {
        case .document: renderDocument(into: &buffer, area: text)
        case .contents: renderContents(into: &buffer, area: text)
        case .results: renderResults(into: &buffer, area: text)
        }
        if let warning {
            buffer.write(" " + warning, in: Rect(x: area.x, y: area.maxY - 1, width: area.width, height: 1), style: Style(.warning))
        }
    }

    private func renderTitle(into buffer: inout ScreenBuffer, row: Rect) {
        buffer.fill(row, style: Style(.header))
        guard let document else {
            buffer.write(" no runbooks found", in: row, style: Style(.header))
            return
        }
        let filePart = progress(of: document.checklistItems)
        var right = "file \(filePart.done)/\(filePart.total)"
        var title = " \(document.fileName)"
        if let anchor = currentSectionAnchor, let section = document.section(anchor: anchor) {
            title += " \(glyphs.separator) \(section.title)"
            let sectionPart = progress(of: section.checklistItems)
            if sectionPart.total > 0 { right = "section \(sectionPart.done)/\(sectionPart.total)  " + right }
        }
        if checklistMode { right = "[checklist]  " + right }
        let rightWidth = DisplayWidth.ofSafe(right) + 1
        buffer.write(title, in: Rect(x: row.x, y: row.y, width: max(0, row.width - rightWidth - 1), height: 1),
                     style: Style(.header))
        buffer.write(right + " ", in: row, style: Style(.header), alignment: .right)
    }

    private func renderDocument(into buffer: inout ScreenBuffer, area: Rect) {
        let focused = place.focus
        let needle = searchQuery.lowercased()
        for offset in 0..<area.height {
            let index = place.scroll + offset
            guard layout.rows.indices.contains(index) else { break }
            let row = layout.rows[index]
            var x = area.x
            for span in row.spans {
                var style = span.style
                if let focusable = span.focusable, focusable == focused { style = Style(.selection, style.attributes) }
                x = buffer.write(span.text, x: x, y: area.y + offset, style: style, limit: area.maxX)
            }
            if !needle.isEmpty { highlight(needle, in: row.text, into: &buffer, x: area.x, y: area.y + offset, limit: area.maxX) }
        }
        if layout.rows.count > area.height, area.height > 0 {
            let percent = min(100, (place.scroll + area.height) * 100 / max(1, layout.rows.count))
            let label = " \(percent)% "
            buffer.write(label, x: area.maxX - DisplayWidth.of(label), y: area.maxY - 1, style: Style(.muted))
        }
    }

    private func highlight(_ needle: String, in text: String, into buffer: inout ScreenBuffer, x: Int, y: Int, limit: Int) {
        let lower = text.lowercased()
        guard lower.count == text.count else { return }
        var searchStart = lower.startIndex
        while let range = lower.range(of: needle, range: searchStart..<lower.endIndex) {
            let column = x + DisplayWidth.ofSafe(lower[lower.startIndex..<range.lowerBound])
            let width = DisplayWidth.ofSafe(lower[range])
            let clipped = min(width, limit - column)
            if clipped > 0 { buffer.setStyle(Style(.searchMatch), in: Rect(x: column, y: y, width: clipped, height: 1)) }
            searchStart = range.upperBound
        }
    }

    private func renderContents(into buffer: inout ScreenBuffer, area: Rect) {
        guard area.height > 0 else { return }
        let entries = contents
        let selected = panel == .contents ? contentsSelection : entries.firstIndex {
            $0.fileName == place.fileName && $0.anchor != nil && $0.anchor == currentSectionAnchor
        } ?? entries.firstIndex { $0.fileName == place.fileName } ?? 0
        let top = max(0, min(selected - area.height / 2, entries.count - area.height))
        for offset in 0..<area.height {
            let index = top + offset
            guard entries.indices.contains(index) else { break }
            let entry = entries[index]
            let items: [ChecklistItem]
            if let anchor = entry.anchor {
                items = library.document(named: entry.fileName)?.section(anchor: anchor)?.checklistItems ?? []
            } else {
                items = library.document(named: entry.fileName)?.checklistItems ?? []
            }
            let done = progress(of: items)
            let count = done.total > 0 ? " \(done.done)/\(done.total)" : ""
            let indent = entry.anchor == nil ? "" : String(repeating: " ", count: 2 * max(1, entry.level - 1))
            var style = entry.anchor == nil ? Style(.title) : .normal
            if index == selected { style = Style(.selection) }
            let line = Rect(x: area.x, y: area.y + offset, width: area.width, height: 1)
            let countWidth = DisplayWidth.of(count)
            if index == selected { buffer.fill(line, style: style) }
            buffer.write(indent + entry.title, in: Rect(x: line.x, y: line.y, width: max(0, line.width - countWidth), height: 1),
                         style: style)
            if !count.isEmpty {
                buffer.write(count, in: line, style: index == selected ? style : Style(done.done == done.total ? .ok : .muted),
                             alignment: .right)
            }
        }
    }

    private func renderResults(into buffer: inout ScreenBuffer, area: Rect) {
        guard area.height > 1 else { return }
        let files = Set(results.map(\.fileName)).count
        buffer.write("Search \"\(resultsQuery)\": \(results.count) lines in \(files) runbooks (enter opens, esc closes)",
                     in: area.row(0), style: Style(.title))
        let listHeight = area.height - 1
        let top = max(0, min(resultsSelection - listHeight / 2, results.count - listHeight))
        for offset in 0..<listHeight {
            let index = top + offset
            guard results.indices.contains(index) else { break }
            let hit = results[index]
            let line = Rect(x: area.x, y: area.y + 1 + offset, width: area.width, height: 1)
            let style = index == resultsSelection ? Style(.selection) : Style.normal
            if index == resultsSelection { buffer.fill(line, style: style) }
            let place = "\(hit.fileName):\(hit.line) "
            let x = buffer.write(place, x: line.x, y: line.y, style: index == resultsSelection ? style : Style(.muted), limit: line.maxX)
            buffer.write(hit.text, in: Rect(x: x, y: line.y, width: line.maxX - x, height: 1), style: style)
        }
    }
}
