import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchUI
import Testing

@Suite("Runbook rendering")
struct RunbookScreenRenderingTests {
    func render(_ markdown: String, width: Int, marks: [String: ChecklistMark] = [:], broken: Set<String> = []) -> RenderedRunbook {
        RenderedRunbook(document: RunbookParser.parse(markdown, fileName: "t.md"), width: width, glyphs: .unicode,
                        marks: marks, brokenLinks: broken)
    }

    @Test func wrapsAtWordsAndCutsLongWordsWithinTheWidth() {
        let text = "# T\n\nalpha beta gamma delta epsilon " + String(repeating: "x", count: 45) + " omega 中文中文中文中文\n"
        for width in [10, 17, 30] {
            let rendered = render(text, width: width)
            for row in rendered.rows { #expect(DisplayWidth.ofSafe(row.text) <= width, "\(row.text) at \(width)") }
            let joined = rendered.rows.map(\.text).joined()
            #expect(joined.filter { $0 == "x" }.count == 45)
            #expect(joined.contains("omega"))
            #expect(joined.filter { $0 == "中" }.count == 4)
        }
    }

    @Test func listsQuotesCodeAndTables() {
        let rendered = render("""
            # T

            - one
              - nested
            1. first

            > quoted **bold**

            ```
            let x = 1
            ```

            | a | b |
            |---|---|
            | 1 | 22 |

            """, width: 40)
        let rows = rendered.rows.map(\.text)
        #expect(rows.contains("• one"))
        #expect(rows.contains("  • nested"))
        #expect(rows.contains("1. first"))
        #expect(rows.contains("│ quoted bold"))
        #expect(rows.contains("  let x = 1"))
        #expect(rows.contains("a │ b "))
        #expect(rows.contains("1 │ 22"))
        let quote = rendered.rows.first { $0.text == "│ quoted bold" }
        #expect(quote?.spans.contains { $0.text == "bold" && $0.style.attributes.contains(.bold) } == true)
    }

    @Test func unknownConstructsShowAsPlainText() {
        let rendered = render("# T\n\n<div class=\"x\">raw html</div>\n", width: 60)
        #expect(rendered.rows.contains { $0.text.contains("<div class=\"x\">raw html</div>") })
    }

    @Test func brokenLinksAreMarkedAndLinksAreFocusable() {
        let rendered = render("# T\n\nSee [ok](a.md) and [gone](missing.md#x).\n", width: 80, broken: ["missing.md#x"])
        #expect(rendered.focusables.map(\.kind) == [.link(destination: "a.md"), .link(destination: "missing.md#x")])
        #expect(rendered.rows.contains { $0.text.contains("gone (broken link)") })
        let okSpan = rendered.rows.flatMap(\.spans).first { $0.text == "ok" }
        #expect(okSpan?.style.role == .link)
        let goneSpan = rendered.rows.flatMap(\.spans).first { $0.text.hasPrefix("gone") }
        #expect(goneSpan?.style.role == .warning)
    }

    @Test func checklistItemsShowTheirMarks() {
        let markdown = "# T\n\n## S\n\n- [ ] first\n- [ ] second\n"
        let document = RunbookParser.parse(markdown, fileName: "t.md")
        let id = document.checklistItems[1].id
        let mark = ChecklistMark(tickedBy: "bob", tickedAt: Timestamp(milliseconds: 0),
                                 notes: [ChecklistNote(author: "eve", time: Timestamp(milliseconds: 1000), text: "done")])
        let rendered = RenderedRunbook(document: document, width: 80, glyphs: .ascii, marks: [id: mark], brokenLinks: [])
        let rows = rendered.rows.map(\.text)
        #expect(rows.contains("[ ] first"))
        #expect(rows.contains("[x] second"))
        #expect(rows.contains("    ticked by bob at 1970-01-01T00:00:00Z"))
        #expect(rows.contains("    note by eve at 1970-01-01T00:00:01Z: done"))
        #expect(rendered.focusables.map(\.kind) == document.checklistItems.map { .item(id: $0.id) })
        #expect(rendered.anchorRows["s"] != nil)
    }
}
