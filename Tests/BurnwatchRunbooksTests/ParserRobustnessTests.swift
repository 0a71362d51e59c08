import BurnwatchCore
import BurnwatchRunbooks
import Testing

/// Random Markdown-ish input: the parser never crashes, lines stay in range, ids stay unique.
@Suite("Runbook parser robustness")
struct ParserRobustnessTests {
    static let fragments = [
        "# Title", "## Retry storms", "### Retry storms", "- [ ] item", "- [x] done", "  - [ ] nested", "1. one",
        "> quote", "```go", "```", "    code", "| a | b |", "|---|:-:|", "| 1 | 2 |", "---", "<div>", "</div>",
        "<!-- burnwatch:signals retry_storm -->", "<!-- burnwatch:signals nope -->", "<!-- burnwatch:check x < 1 -->",
        "- [ ] check <!-- burnwatch:check sum(rate(x[5m])) > 0.5 -->", "<!-- burnwatch:check", "-->", "[l](a.md#b)",
        "[[x]](#y", "*open", "**strong**", "~~s~~", "`code", "https://example.com", "", "", "\t", "é日本🔥", "\u{0}", "\r",
    ]

    @Test(arguments: 0..<200)
    func randomDocuments(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed))
        let count = Int.random(in: 1...40, using: &rng)
        let text = (0..<count).map { _ in Self.fragments.randomElement(using: &rng)! }.joined(separator: "\n")
        let doc = RunbookParser.parse(text, fileName: "r.md")
        let lineCount = doc.sourceLines.count
        for section in doc.sections {
            #expect((1...lineCount).contains(section.line), "seed \(seed)")
            for block in section.blocks { #expect((1...lineCount).contains(block.line), "seed \(seed): \(block) in \(text.debugDescription)") }
        }
        for link in doc.links { #expect((1...lineCount).contains(link.line), "seed \(seed): \(link)") }
        for finding in doc.annotationFindings { #expect((1...lineCount).contains(finding.line), "seed \(seed)") }
        let ids = doc.checklistItems.map(\.id)
        #expect(Set(ids).count == ids.count, "seed \(seed): duplicate ids \(ids)")
        #expect(Set(doc.sections.map(\.anchor)).count == doc.sections.count, "seed \(seed)")
    }
}
