import BurnwatchRunbooks
import Testing

@Suite("Runbook parser: blocks and inlines")
struct ParserBlockTests {
    let doc: RunbookDocument

    init() throws { doc = try Fixtures.document("blocks", "blocks.md") }

    func section(_ anchor: String) throws -> RunbookSection {
        try #require(doc.section(anchor: anchor), "no section \(anchor)")
    }

    @Test func preambleAndTitle() {
        #expect(doc.title == "Block kinds")
        #expect(doc.preamble == [RunbookBlock(line: 1, .paragraph([.text("Preamble paragraph.")]))])
    }

    @Test func inlineSpans() throws {
        let first = try #require(try section("block-kinds").blocks.first)
        #expect(first.line == 5)
        guard case .paragraph(let inlines) = first.content else { Issue.record("not a paragraph"); return }
        #expect(inlines.contains(.emphasis([.text("emphasis")])))
        #expect(inlines.contains(.strong([.text("strong")])))
        #expect(inlines.contains(.code("code")))
        #expect(inlines.contains(.strikethrough([.text("gone")])))
        #expect(inlines.contains(.link(destination: "other.md#x", [.text("a link")])))
        #expect(inlines.contains(.link(destination: "https://example.com/x", [.text("https://example.com/x")])))
    }

    @Test func bulletAndOrderedLists() throws {
        let blocks = try section("lists").blocks
        #expect(blocks.count == 2)
        guard case .list(let bullets) = blocks[0].content, case .list(let ordered) = blocks[1].content else {
            Issue.record("expected two lists, got \(blocks)"); return
        }
        #expect(!bullets.ordered && bullets.items.count == 2 && bullets.tight)
        guard case .list(let nested)? = bullets.items[1].blocks.last?.content else { Issue.record("no nested list"); return }
        #expect(nested.items.count == 1)
        #expect(ordered.ordered && ordered.start == 3 && ordered.items.count == 2)
        #expect(ordered.items.map(\.line) == [13, 14])
    }

    @Test func taskItemsBecomeChecklistItemsWithStableIDs() throws {
        let tasks = try section("tasks")
        #expect(tasks.checklistItems.map(\.id) == [
            "blocks.md#tasks/open-item", "blocks.md#tasks/done-item", "blocks.md#tasks/open-item-2",
            "blocks.md#tasks/open-item-3", "blocks.md#tasks/retries-below-ten-percent",
        ])
        #expect(tasks.checklistItems.map(\.checkedInSource) == [false, true, false, false, false])
        #expect(tasks.checklistItems.map(\.line) == [18, 19, 20, 21, 22])
        let last = try #require(tasks.checklistItems.last)
        #expect(last.text == "Retries below ten percent")
        #expect(last.liveCheck == LiveCheck(expression: "sum(rate(retries_total[5m])) / sum(rate(requests_total[5m]))",
                                            comparison: .less, threshold: 0.1))
        guard case .list(let list)? = tasks.blocks.first?.content else { Issue.record("no list"); return }
        #expect(list.items.map(\.task) == [.open, .done, .open, .open, .open])
        #expect(list.items.map(\.checklistItemID) == tasks.checklistItems.map(\.id))
        // The annotation is not shown as text.
        #expect(list.items[4].blocks == [RunbookBlock(line: 22, .paragraph([.text("Retries below ten percent")]))])
        #expect(doc.annotationFindings.isEmpty)
    }

    @Test func codeBlocks() throws {
        let blocks = try section("code").blocks
        #expect(blocks.map(\.content) == [
            .codeBlock(info: "promql", code: "rate(http_requests_total[5m])\n"),
            .codeBlock(info: "", code: "indented code\n"),
        ])
    }

    @Test func quoteTableRuleAndHTML() throws {
        let blocks = try section("quote-and-table").blocks.map(\.content)
        #expect(blocks.first == .blockQuote([RunbookBlock(line: 34, .paragraph([
            .text("quoted "), .emphasis([.text("text")]), .softBreak, .text("more")]))]))
        let table = RunbookTable(alignments: [.left, .center, .right],
                                 header: [[.text("Metric")], [.text("Warn")], [.text("Page")]],
                                 rows: [[[.text("retries")], [.text("10%")], [.text("20%")]],
                                        [[.text("fds")], [.text("80%")], []]])
        #expect(blocks.contains(.table(table)))
        #expect(blocks.contains(.thematicBreak))
        #expect(blocks.contains(.plainText("<div>raw html</div>")))
        #expect(blocks.contains(.paragraph([.text("Text with <span>inline html</span> in it.")])))
        // An ordinary HTML comment is hidden, as viewers hide it.
        #expect(!blocks.contains { if case .plainText(let t) = $0 { t.contains("ordinary") } else { false } })
    }

    @Test func linksAreRecordedWithLines() {
        #expect(doc.links.map(\.destination) == ["other.md#x", "https://example.com/x"])
        #expect(doc.links.map(\.line) == [5, 5])
        #expect(doc.links[0].targetFile == "other.md" && doc.links[0].anchor == "x" && !doc.links[0].isExternal)
        #expect(doc.links[1].isExternal)
    }

    @Test func unknownConstructsAndBadBytesDoNotStopParsing() {
        let text = "# T\n\n[^1]: a footnote\n\n\u{FFFD}\u{0}bytes\n\n- [ ] item <!-- burnwatch:check -->\n"
        let doc = RunbookParser.parse(text, fileName: "x.md")
        #expect(doc.sections.count == 1)
        #expect(doc.checklistItems.count == 1)
        #expect(doc.annotationFindings.map(\.kind) == [.malformedCheckAnnotation])
        #expect(doc.annotationFindings.map(\.line) == [7])
    }

    @Test func paragraphSplitOffBeforeATableKeepsItsLine() {
        let doc = RunbookParser.parse("# T\n\nintro line\nsecond [l](x.md)\n| a | b |\n|---|---|\n| 1 | 2 |\n| [c](y.md) | 3 |\n", fileName: "t.md")
        let blocks = doc.sections[0].blocks
        #expect(blocks.map(\.line) == [3, 5])
        #expect(doc.links.map(\.line) == [4, 8])
        guard case .table(let table)? = blocks.last?.content else { Issue.record("no table: \(blocks)"); return }
        #expect(table.rows == [[[.text("1")], [.text("2")]], [[.link(destination: "y.md", [.text("c")])], [.text("3")]]])
    }

    @Test func linkLinesFollowSoftBreaks() {
        let doc = RunbookParser.parse("# T\n\nfirst line\nsecond [x](a.md) line\nthird *[y](b.md)*\n", fileName: "t.md")
        #expect(doc.links.map(\.line) == [4, 5])
    }
}
