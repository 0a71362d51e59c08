import BurnwatchCore
import BurnwatchRunbooks

/// A piece of a rendered runbook row: text in one style, maybe part of a focusable link or item.
public struct RunbookSpan: Hashable, Sendable {
    public var text: String
    public var style: Style
    /// Index into `RenderedRunbook.focusables` when this span belongs to a link or checklist item.
    public var focusable: Int?

    public init(_ text: String, _ style: Style = .normal, focusable: Int? = nil) {
        self.text = text; self.style = style; self.focusable = focusable
    }
}

/// One screen row of a rendered runbook.
public struct RunbookRow: Hashable, Sendable {
    public var spans: [RunbookSpan]
    /// The anchor of the section the row belongs to ("" before the first heading).
    public var sectionAnchor: String

    /// The row's plain text (for search and tests).
    public var text: String { spans.map(\.text).joined() }
}

/// Something the cursor can rest on: a link (followed with enter) or a checklist item (ticked with space).
public struct RunbookFocusable: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A link and its destination as written.
        case link(destination: String)
        /// A checklist item and its stable id.
        case item(id: String)
    }
    public var kind: Kind
    /// The first row that shows it.
    public var row: Int
}

/// What the journal says about one checklist item, for display.
public struct ChecklistMark: Hashable, Sendable {
    /// Who ticked it and when; nil when it is not ticked.
    public var tickedBy: String?
    public var tickedAt: Timestamp?
    /// Notes in the order they were added: who, when, text.
    public var notes: [ChecklistNote]

    public init(tickedBy: String? = nil, tickedAt: Timestamp? = nil, notes: [ChecklistNote] = []) {
        self.tickedBy = tickedBy; self.tickedAt = tickedAt; self.notes = notes
    }

    public var isTicked: Bool { tickedAt != nil }
}

/// A note on a checklist item.
public struct ChecklistNote: Hashable, Sendable {
    public var author: String
    public var time: Timestamp
    public var text: String
    public init(author: String, time: Timestamp, text: String) { self.author = author; self.time = time; self.text = text }
}

/// A runbook laid out in rows for one width: the pure Markdown renderer of the runbook screen.
public struct RenderedRunbook: Hashable, Sendable {
    public var rows: [RunbookRow] = []
    public var focusables: [RunbookFocusable] = []
    /// The first row of each section (and of nested headings), by anchor.
    public var anchorRows: [String: Int] = [:]

    /// An empty layout (no runbook open).
    public init() {}

    /// Lays out `document` for `width` columns.
    ///
    /// - Parameters:
    ///   - document: the parsed runbook.
    ///   - width: the columns available (at least 10 are used).
    ///   - glyphs: Unicode or ASCII drawing characters.
    ///   - marks: ticks and notes by checklist item id.
    ///   - brokenLinks: link destinations that do not resolve (shown as broken).
    /// - Complexity: O(n) in the size of the document.
    public init(document: RunbookDocument, width: Int, glyphs: Glyphs, marks: [String: ChecklistMark],
                brokenLinks: Set<String>) {
        var builder = RunbookRowBuilder(width: max(10, width), glyphs: glyphs, marks: marks, brokenLinks: brokenLinks)
        builder.anchor = ""
        for block in document.preamble { builder.block(block, prefix: [], continuation: []) }
        for section in document.sections {
            builder.anchor = section.anchor
            if !builder.rows.isEmpty { builder.blank() }
            builder.anchorRows[section.anchor] = builder.rows.count
            let marker = String(repeating: "#", count: section.level) + " "
            builder.paragraph([.text(marker)] + section.titleInlines, style: Style(.heading, section.level == 1 ? [.underline] : []),
                              prefix: [], continuation: [])
            for block in section.blocks { builder.block(block, prefix: [], continuation: []) }
        }
        rows = builder.rows
        focusables = builder.focusables
        anchorRows = builder.anchorRows
    }
}

/// Builds rows block by block, wrapping inline text at word boundaries.
struct RunbookRowBuilder {
    let width: Int
    let glyphs: Glyphs
    let marks: [String: ChecklistMark]
    let brokenLinks: Set<String>
    var rows: [RunbookRow] = []
    var focusables: [RunbookFocusable] = []
    var anchorRows: [String: Int] = [:]
    var anchor = ""

    init(width: Int, glyphs: Glyphs, marks: [String: ChecklistMark], brokenLinks: Set<String>) {
        self.width = width; self.glyphs = glyphs; self.marks = marks; self.brokenLinks = brokenLinks
    }

    mutating func blank() {
        if let last = rows.last, last.spans.isEmpty || last.text.allSatisfy({ $0 == " " || $0 == glyphs.vertical }) { return }
        rows.append(RunbookRow(spans: [], sectionAnchor: anchor))
    }

    mutating func block(_ block: RunbookBlock, prefix: [RunbookSpan], continuation: [RunbookSpan]) {
        switch block.content {
        case .heading(let level, let nestedAnchor, let inlines):
            blank()
            anchorRows[nestedAnchor] = rows.count
            paragraph([.text(String(repeating: "#", count: level) + " ")] + inlines, style: Style(.heading),
                      prefix: prefix, continuation: continuation)
        case .paragraph(let inlines):
            paragraph(inlines, style: .normal, prefix: prefix, continuation: continuation)
            if prefix.isEmpty { blank() }
        case .list(let list):
            self.list(list, prefix: prefix, continuation: continuation)
            if prefix.isEmpty { blank() }
        case .codeBlock(_, let code):
            var lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            for (i, line) in lines.enumerated() {
                let shown = "  " + Self.expandingTabs(line, width: 4)
                rows.append(RunbookRow(spans: (i == 0 ? prefix : continuation) + [RunbookSpan(shown, Style(.code))],
                                       sectionAnchor: anchor))
            }
            if prefix.isEmpty { blank() }
        case .blockQuote(let blocks):
            let bar = RunbookSpan(String(glyphs.vertical) + " ", Style(.quote))
            for (i, inner) in blocks.enumerated() {
                self.block(inner, prefix: (i == 0 ? prefix : continuation) + [bar], continuation: continuation + [bar])
            }
            if prefix.isEmpty { blank() }
        case .table(let table):
            self.table(table, prefix: prefix)
            blank()
        case .thematicBreak:
            rows.append(RunbookRow(spans: prefix + [RunbookSpan(String(repeating: glyphs.horizontal, count: max(1, width - 2)), Style(.border))],
                                   sectionAnchor: anchor))
            blank()
        case .plainText(let text):
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                paragraph([.text(String(line))], style: Style(.muted), prefix: prefix, continuation: continuation)
            }
        }
    }

    mutating func list(_ list: RunbookList, prefix: [RunbookSpan], continuation: [RunbookSpan]) {
        for (index, item) in list.items.enumerated() {
            let first = index == 0 ? prefix : continuation
            var marker: [RunbookSpan]
            var focus: Int? = nil
            if let id = item.checklistItemID {
                focus = focusables.count
                focusables.append(RunbookFocusable(kind: .item(id: id), row: rows.count))
                let ticked = marks[id]?.isTicked ?? false
                marker = [RunbookSpan((ticked ? glyphs.checked : glyphs.unchecked) + " ", Style(ticked ? .ok : .accent), focusable: focus)]
            } else if let task = item.task {
                marker = [RunbookSpan((task == .done ? glyphs.checked : glyphs.unchecked) + " ", Style(.muted))]
            } else if list.ordered {
                marker = [RunbookSpan("\(list.start + index). ")]
            } else {
                marker = [RunbookSpan(String(glyphs.bullet) + " ")]
            }
            let markerWidth = marker.reduce(0) { $0 + DisplayWidth.ofSafe($1.text) }
            let indent = RunbookSpan(String(repeating: " ", count: markerWidth))
            for (b, inner) in item.blocks.enumerated() {
                if b == 0, case .paragraph(let inlines) = inner.content {
                    paragraph(inlines, style: .normal, prefix: first + marker, continuation: continuation + [indent], focusable: focus)
                } else {
                    self.block(inner, prefix: b == 0 ? first + marker : continuation + [indent], continuation: continuation + [indent])
                }
            }
            if item.blocks.isEmpty { rows.append(RunbookRow(spans: first + marker, sectionAnchor: anchor)) }
            if let id = item.checklistItemID, let mark = marks[id] {
                if let who = mark.tickedBy, let at = mark.tickedAt {
                    paragraph([.text("ticked by \(who) at \(shortTime(at))")], style: Style(.muted), prefix: continuation + [indent],
                              continuation: continuation + [indent])
                }
                for note in mark.notes {
                    paragraph([.text("note by \(note.author) at \(shortTime(note.time)): \(note.text)")], style: Style(.info),
                              prefix: continuation + [indent], continuation: continuation + [indent])
                }
            }
        }
    }

    /// Wraps inline spans into rows: `prefix` on the first row, `continuation` on the others.
    mutating func paragraph(_ inlines: [RunbookInline], style: Style, prefix: [RunbookSpan], continuation: [RunbookSpan],
                            focusable: Int? = nil) {
        var pieces: [RunbookSpan] = []
        flatten(inlines, style: style, focusable: focusable, into: &pieces)
        var current = prefix
        var used = prefix.reduce(0) { $0 + DisplayWidth.ofSafe($1.text) }
        let continuationWidth = continuation.reduce(0) { $0 + DisplayWidth.ofSafe($1.text) }
        var atLineStart = true
        func flush(_ builder: inout RunbookRowBuilder) {
            builder.rows.append(RunbookRow(spans: current, sectionAnchor: builder.anchor))
            current = continuation
            used = continuationWidth
            atLineStart = true
        }
        for piece in pieces {
            for word in Self.words(piece.text) {
                let isSpace = word == " "
                if isSpace && atLineStart { continue }
                var w = DisplayWidth.ofSafe(word)
                if !isSpace, used + w > width, !atLineStart { flush(&self) }
                var text = word
                while used + w > width, w > 1 {
                    // A word longer than the row: cut it.
                    let (head, tail) = Self.cut(text, room: max(1, width - used))
                    append(RunbookSpan(head, piece.style, focusable: piece.focusable), to: &current)
                    text = tail
                    flush(&self)
                    w = DisplayWidth.ofSafe(text)
                    if text.isEmpty { break }
                }
                if text.isEmpty { continue }
                if isSpace && used + 1 > width { flush(&self); continue }
                append(RunbookSpan(text, piece.style, focusable: piece.focusable), to: &current)
                used += w
                atLineStart = false
            }
        }
        if !atLineStart || current.count > continuation.count || rows.isEmpty || !prefix.isEmpty {
            rows.append(RunbookRow(spans: current, sectionAnchor: anchor))
        }
    }

    private func append(_ span: RunbookSpan, to row: inout [RunbookSpan]) {
        if let last = row.last, last.style == span.style, last.focusable == span.focusable {
            row[row.count - 1].text += span.text
        } else {
            row.append(span)
        }
    }

    /// Cuts `text` after at most `room` columns (at least one character): (head, rest).
    static func cut(_ text: String, room: Int) -> (String, String) {
        var used = 0
        var index = text.startIndex
        while index < text.endIndex {
            let w = DisplayWidth.ofSafe(String(text[index]))
            if used + w > room, used > 0 { break }
            used += w
            index = text.index(after: index)
        }
        return (String(text[..<index]), String(text[index...]))
    }

    /// Splits text into words and single spaces (runs of whitespace become one space).
    static func words(_ text: String) -> [String] {
        var result: [String] = []
        var word = ""
        for ch in text {
            if ch == " " || ch == "\t" || ch == "\n" {
                if !word.isEmpty { result.append(word); word = "" }
                if result.last != " " { result.append(" ") }
            } else {
                word.append(ch)
            }
        }
        if !word.isEmpty { result.append(word) }
        return result
    }

    mutating func flatten(_ inlines: [RunbookInline], style: Style, focusable: Int?, into out: inout [RunbookSpan]) {
        for inline in inlines {
            switch inline {
            case .text(let s): out.append(RunbookSpan(s, style, focusable: focusable))
            case .code(let s): out.append(RunbookSpan(s, Style(.code, style.attributes), focusable: focusable))
            case .emphasis(let c): flatten(c, style: style.adding(.italic), focusable: focusable, into: &out)
            case .strong(let c): flatten(c, style: style.adding(.bold), focusable: focusable, into: &out)
            case .strikethrough(let c): flatten(c, style: style.adding(.dim), focusable: focusable, into: &out)
            case .softBreak, .lineBreak: out.append(RunbookSpan(" ", style, focusable: focusable))
            case .link(let destination, let c):
                let index = focusables.count
                focusables.append(RunbookFocusable(kind: .link(destination: destination), row: rows.count))
                let broken = brokenLinks.contains(destination)
                flatten(c, style: Style(broken ? .warning : .link, style.attributes), focusable: index, into: &out)
                if broken { out.append(RunbookSpan(" (broken link)", Style(.warning), focusable: index)) }
            }
        }
    }

    mutating func table(_ table: RunbookTable, prefix: [RunbookSpan]) {
        let columns = max(table.alignments.count, table.header.count)
        guard columns > 0 else { return }
        let header = (0..<columns).map { $0 < table.header.count ? RunbookInline.plainText(table.header[$0]) : "" }
        let body = table.rows.map { row in (0..<columns).map { $0 < row.count ? RunbookInline.plainText(row[$0]) : "" } }
        var widths = (0..<columns).map { c in ([header[c]] + body.map { $0[c] }).map { DisplayWidth.ofSafe($0) }.max() ?? 0 }
        let available = max(columns * 3, width - 3 * (columns - 1) - 1)
        while widths.reduce(0, +) > available, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 3 {
            widths[widest] -= 1
        }
        let separator = " " + String(glyphs.vertical) + " "
        func line(_ cells: [String], style: Style) -> RunbookRow {
            var spans = prefix
            for c in 0..<columns {
                let alignment: Alignment = table.alignments.indices.contains(c) && table.alignments[c] == .right ? .right
                    : (table.alignments.indices.contains(c) && table.alignments[c] == .center ? .center : .left)
                spans.append(RunbookSpan(TextFit.pad(cells[c], toWidth: widths[c], alignment: alignment), style))
                if c < columns - 1 { spans.append(RunbookSpan(separator, Style(.border))) }
            }
            return RunbookRow(spans: spans, sectionAnchor: anchor)
        }
        rows.append(line(header, style: Style(.normal, [.bold])))
        let rule = widths.map { String(repeating: glyphs.horizontal, count: $0) }
            .joined(separator: String(glyphs.horizontal) + String(glyphs.vertical) + String(glyphs.horizontal))
        rows.append(RunbookRow(spans: prefix + [RunbookSpan(rule, Style(.border))], sectionAnchor: anchor))
        for row in body { rows.append(line(row, style: .normal)) }
    }
}

/// A time as RFC 3339 to the second (`2026-11-24T21:33:05Z`), for who-and-when lines.
func shortTime(_ time: Timestamp) -> String {
    let ms = time.milliseconds
    let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
    return RFC3339.format(Timestamp(milliseconds: seconds * 1000))
}

extension RunbookRowBuilder {
    /// Expands tab characters of a code line to the next multiple of `width` columns (a code
    /// block's tabs are layout, not control characters to escape).
    static func expandingTabs(_ line: String, width: Int) -> String {
        guard line.contains("\t") else { return line }
        var out = ""
        var column = 0
        for ch in line {
            if ch == "\t" {
                let pad = width - column % width
                out += String(repeating: " ", count: pad)
                column += pad
            } else {
                out.append(ch)
                column += 1
            }
        }
        return out
    }
}
