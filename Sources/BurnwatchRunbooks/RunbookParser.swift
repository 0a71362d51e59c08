import BurnwatchCore

/// Turns the Markdown text of one runbook file into a `RunbookDocument`.
///
/// Pure: text in, value out. Annotation problems are recorded in `annotationFindings`, never thrown.
public enum RunbookParser {
    /// Parses one runbook.
    /// - Parameters:
    ///   - text: the Markdown source.
    ///   - fileName: the file's name (`errors.md`): used in checklist ids and to resolve links.
    ///   - sourcePath: where it came from, for messages (defaults to `fileName`).
    ///   - layer: 0 for bundled runbooks, 1… for team folders.
    /// - Complexity: O(n) in the length of `text`.
    public static func parse(_ text: String, fileName: String, sourcePath: String? = nil, layer: Int = 0) -> RunbookDocument {
        var builder = DocumentBuilder(fileName: fileName, sourcePath: sourcePath ?? fileName)
        CmarkDocument.withParsedTree(text) { root in builder.build(root) }
        let lines = sourceLines(text)
        let title = builder.sections.first { $0.level == 1 }?.title ?? fileName
        return RunbookDocument(fileName: fileName, sourcePath: sourcePath ?? fileName, layer: layer, title: title,
                               preamble: builder.preamble, sections: builder.sections, links: builder.links,
                               annotationFindings: builder.findings.sorted { $0.line < $1.line },
                               sourceLines: lines)
    }
}

/// Splits text into lines the way CommonMark counts them: `\n`, `\r\n` and a lone `\r` each end a line.
func sourceLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    var previousWasCR = false
    for scalar in text.unicodeScalars {
        if scalar == "\n" && previousWasCR { previousWasCR = false; continue }
        previousWasCR = scalar == "\r"
        if scalar == "\n" || scalar == "\r" {
            lines.append(String(current)); current = String.UnicodeScalarView()
        } else {
            current.append(scalar)
        }
    }
    lines.append(String(current))
    return lines
}

/// The walk over cmark's tree: keeps the current section, anchors, checklist ids and findings.
private struct DocumentBuilder {
    let fileName: String
    let sourcePath: String
    var slugger = GitHubAnchor.Slugger()
    var preamble: [RunbookBlock] = []
    var sections: [RunbookSection] = []
    var links: [RunbookLink] = []
    var findings: [RunbookFinding] = []
    /// How often each item slug has been seen in the current section.
    var itemSlugCounts: [String: Int] = [:]

    init(fileName: String, sourcePath: String) { self.fileName = fileName; self.sourcePath = sourcePath }

    var currentAnchor: String { sections.last?.anchor ?? "" }

    mutating func build(_ root: CmarkNode) {
        var previousWasHeading = false
        for node in root.children {
            if node.type == "heading" {
                startSection(node)
                previousWasHeading = true
                continue
            }
            if node.type == "html_block" {
                let scan = RunbookAnnotation.scan(node.literal)
                for comment in scan.comments {
                    handleTopLevelComment(comment, line: node.startLine, underHeading: previousWasHeading)
                }
                if !scan.remainder.isEmpty { append(RunbookBlock(line: node.startLine, .plainText(scan.remainder))) }
                // Several annotation blocks may follow one heading; other HTML ends the run.
                previousWasHeading = previousWasHeading && scan.remainder.isEmpty && !scan.comments.isEmpty
                continue
            }
            previousWasHeading = false
            if let block = convertBlock(node, inTaskItem: false) { append(block) }
        }
    }

    mutating func append(_ block: RunbookBlock) {
        if sections.isEmpty { preamble.append(block) } else { sections[sections.count - 1].blocks.append(block) }
    }

    mutating func startSection(_ node: CmarkNode) {
        let inlines = convertInlines(node.children, line: node.startLine, inTaskItem: false).inlines
        let title = RunbookInline.plainText(inlines).trimmingSpaces()
        let anchor = slugger.anchor(for: String(title))
        sections.append(RunbookSection(level: node.headingLevel, title: String(title), titleInlines: inlines,
                                       anchor: anchor, baseAnchor: GitHubAnchor.slug(String(title)),
                                       line: node.startLine, signals: [], blocks: [], checklistItems: []))
        itemSlugCounts = [:]
    }

    mutating func handleTopLevelComment(_ comment: RunbookAnnotation.Comment, line: Int, underHeading: Bool) {
        switch comment.name {
        case "signals":
            guard underHeading, !sections.isEmpty else {
                finding(.malformedSignalAnnotation, line, "burnwatch:signals must come directly under a heading (the next block after it)")
                return
            }
            let parsed = RunbookAnnotation.parseSignals(comment.body)
            for kind in parsed.kinds where !sections[sections.count - 1].signals.contains(kind) {
                sections[sections.count - 1].signals.append(kind)
            }
            if let problem = parsed.problem { finding(.malformedSignalAnnotation, line, problem) }
        default:
            handleMisplacedComment(comment, line: line)
        }
    }

    /// A burnwatch comment found where it has no meaning (a check not on a task item, a signals
    /// annotation not under a heading, or an unknown name).
    mutating func handleMisplacedComment(_ comment: RunbookAnnotation.Comment, line: Int) {
        switch comment.name {
        case "signals":
            finding(.malformedSignalAnnotation, line, "burnwatch:signals must come directly under a heading, on its own line")
        case "check":
            finding(.malformedCheckAnnotation, line, "burnwatch:check must be on a checklist item (`- [ ] text <!-- burnwatch:check … -->`)")
        default:
            finding(.unknownAnnotation, line, "unknown annotation 'burnwatch:\(comment.name)' (known: signals, check)")
        }
    }

    mutating func finding(_ kind: RunbookFinding.Kind, _ line: Int, _ message: String) {
        findings.append(RunbookFinding(kind, file: sourcePath, line: line, message))
    }

    // MARK: Blocks

    /// Converts one block node; nil when nothing is left to show (e.g. an HTML block of comments only).
    mutating func convertBlock(_ node: CmarkNode, inTaskItem: Bool) -> RunbookBlock? {
        let line = node.startLine
        switch node.type {
        case "paragraph":
            let result = convertInlines(node.children, line: line, inTaskItem: inTaskItem)
            return RunbookBlock(line: line, .paragraph(result.inlines))
        case "heading":
            let inlines = convertInlines(node.children, line: line, inTaskItem: false).inlines
            let anchor = slugger.anchor(for: String(RunbookInline.plainText(inlines).trimmingSpaces()))
            if !sections.isEmpty { sections[sections.count - 1].nestedAnchors.append(anchor) }
            return RunbookBlock(line: line, .heading(level: node.headingLevel, anchor: anchor, inlines: inlines))
        case "list":
            return RunbookBlock(line: line, .list(convertList(node)))
        case "code_block":
            return RunbookBlock(line: line, .codeBlock(info: node.fenceInfo.trimmingSpaces().description, code: node.literal))
        case "block_quote":
            return RunbookBlock(line: line, .blockQuote(node.children.compactMap { convertBlock($0, inTaskItem: false) }))
        case "thematic_break":
            return RunbookBlock(line: line, .thematicBreak)
        case "table":
            return RunbookBlock(line: line, .table(convertTable(node)))
        case "html_block":
            let scan = RunbookAnnotation.scan(node.literal)
            for comment in scan.comments {
                if comment.name == "check", inTaskItem { continue }  // read by convertTaskItem
                handleMisplacedComment(comment, line: line)
            }
            return scan.remainder.isEmpty ? nil : RunbookBlock(line: line, .plainText(scan.remainder))
        default:
            // Unknown constructs (footnote definitions, custom blocks) are shown as their text.
            let text = plainText(of: node)
            return text.isEmpty ? nil : RunbookBlock(line: line, .plainText(text))
        }
    }

    mutating func convertList(_ node: CmarkNode) -> RunbookList {
        var items: [RunbookListItem] = []
        for child in node.children {
            if child.type == "tasklist" {
                items.append(convertTaskItem(child))
            } else {
                let blocks = child.children.compactMap { convertBlock($0, inTaskItem: false) }
                items.append(RunbookListItem(line: child.startLine, blocks: blocks, task: nil, checklistItemID: nil, liveCheck: nil))
            }
        }
        return RunbookList(ordered: node.isOrderedList, start: node.isOrderedList ? node.listStart : 1,
                           tight: node.listTight, items: items)
    }

    /// A `- [ ]` item: becomes a list item and a `ChecklistItem` of the current section.
    mutating func convertTaskItem(_ node: CmarkNode) -> RunbookListItem {
        let line = node.startLine
        // Checks sit in the item's own blocks: inline HTML of its paragraph or an HTML block.
        var checks: [String] = []
        for child in node.children {
            collectCheckComments(child, into: &checks)
        }
        let blocks = node.children.compactMap { convertBlock($0, inTaskItem: true) }
        let firstParagraph = blocks.first.flatMap { block -> [RunbookInline]? in
            if case .paragraph(let inlines) = block.content { return inlines } else { return nil }
        } ?? []
        let text = String(RunbookInline.plainText(firstParagraph).trimmingSpaces())

        var liveCheck: LiveCheck?
        if checks.count > 1 {
            finding(.malformedCheckAnnotation, line, "a checklist item has \(checks.count) burnwatch:check annotations; keep one")
        }
        if let body = checks.first {
            switch RunbookAnnotation.parseCheck(body) {
            case .success(let check): liveCheck = check
            case .failure(let error): finding(.malformedCheckAnnotation, line, error.message)
            }
        }

        var slug = GitHubAnchor.slug(text)
        if slug.isEmpty { slug = "item" }
        let seen = itemSlugCounts[slug, default: 0] + 1
        itemSlugCounts[slug] = seen
        let id = "\(fileName)#\(currentAnchor)/\(seen == 1 ? slug : "\(slug)-\(seen)")"
        let item = ChecklistItem(id: id, text: text, fileName: fileName, sectionAnchor: currentAnchor, line: line,
                                 checkedInSource: node.taskChecked, liveCheck: liveCheck)
        if !sections.isEmpty { sections[sections.count - 1].checklistItems.append(item) }
        return RunbookListItem(line: line, blocks: blocks, task: node.taskChecked ? .done : .open,
                               checklistItemID: sections.isEmpty ? nil : id, liveCheck: liveCheck)
    }

    /// Bodies of `burnwatch:check` comments in a task item's own paragraph or HTML block.
    func collectCheckComments(_ node: CmarkNode, into checks: inout [String]) {
        switch node.type {
        case "html_block", "html_inline":
            for comment in RunbookAnnotation.scan(node.literal).comments where comment.name == "check" {
                checks.append(comment.body)
            }
        case "paragraph", "emph", "strong", "strikethrough", "link":
            for child in node.children { collectCheckComments(child, into: &checks) }
        default:
            break
        }
    }

    mutating func convertTable(_ node: CmarkNode) -> RunbookTable {
        let alignments: [RunbookTable.Alignment] = node.tableAlignments.map {
            switch $0 {
            case UInt8(ascii: "l"): .left
            case UInt8(ascii: "c"): .center
            case UInt8(ascii: "r"): .right
            default: .none
            }
        }
        var header: [[RunbookInline]] = []
        var rows: [[[RunbookInline]]] = []
        for row in node.children {
            let cells = row.children.map { convertInlines($0.children, line: row.startLine, inTaskItem: false).inlines }
            if row.isHeaderRow && header.isEmpty { header = cells } else { rows.append(cells) }
        }
        return RunbookTable(alignments: alignments, header: header, rows: rows)
    }

    // MARK: Inlines

    /// Converts inline nodes; `line` is the line of the first one (breaks advance it).
    mutating func convertInlines(_ nodes: [CmarkNode], line: Int, inTaskItem: Bool) -> (inlines: [RunbookInline], line: Int) {
        var out: [RunbookInline] = []
        var line = line
        for node in nodes {
            switch node.type {
            case "text": appendText(node.literal, to: &out)
            case "code": out.append(.code(node.literal))
            case "softbreak": out.append(.softBreak); line += 1
            case "linebreak": out.append(.lineBreak); line += 1
            case "emph", "strong", "strikethrough":
                let inner = convertInlines(node.children, line: line, inTaskItem: inTaskItem)
                line = inner.line
                out.append(node.type == "emph" ? .emphasis(inner.inlines)
                           : node.type == "strong" ? .strong(inner.inlines) : .strikethrough(inner.inlines))
            case "link", "image":
                recordLink(node.url, line: line)
                let inner = convertInlines(node.children, line: line, inTaskItem: inTaskItem)
                line = inner.line
                out.append(.link(destination: node.url, inner.inlines))
            case "html_inline":
                let scan = RunbookAnnotation.scan(node.literal)
                for comment in scan.comments {
                    if comment.name == "check", inTaskItem { continue }
                    handleMisplacedComment(comment, line: line)
                }
                if !scan.remainder.isEmpty { appendText(scan.remainder, to: &out) }
            default:
                let text = plainText(of: node)
                if !text.isEmpty { appendText(text, to: &out) }
            }
        }
        // A trailing space left where an annotation was removed is not content.
        if case .text(let last)? = out.last {
            let trimmed = String(last.reversed().drop { $0 == " " }.reversed())
            if trimmed.isEmpty { out.removeLast() } else { out[out.count - 1] = .text(trimmed) }
        }
        return (out, line)
    }

    func appendText(_ text: String, to out: inout [RunbookInline]) {
        if case .text(let previous)? = out.last { out[out.count - 1] = .text(previous + text) } else { out.append(.text(text)) }
    }

    mutating func recordLink(_ destination: String, line: Int) {
        links.append(RunbookLinkTarget.parse(destination, line: line))
    }

    /// The literal text under a node, for constructs shown as plain text.
    func plainText(of node: CmarkNode) -> String {
        let literal = node.literal
        if !literal.isEmpty { return literal }
        return node.children.map { plainText(of: $0) }.joined()
    }
}
