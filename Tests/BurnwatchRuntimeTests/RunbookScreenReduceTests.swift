import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchRuntime
import BurnwatchUI
import Testing

@Suite("Runbook screen reduce")
struct RunbookScreenReduceTests {
    let retriesID = "reliability.md#retry-storms/retries-are-below-10-of-requests"

    func driver(journal: MemoryChecklistJournal = MemoryChecklistJournal()) throws -> RunbookDriver {
        RunbookDriver(app: try RunbookScreenFixtures.app(journal: journal), journal: journal)
    }

    @Test func opensOnTheSectionWithTheFirstItemOfItFocused() throws {
        let d = try driver()
        #expect(d.screen.place.fileName == "reliability.md")
        #expect(d.screen.currentSectionAnchor == "retry-storms")
    }

    @Test func spaceTicksAndUnticksWithWhoAndWhenInTheJournal() throws {
        var d = try driver()
        d.press(.char("c"))
        #expect(d.screen.checklistMode)
        #expect(d.screen.focusedItemID == retriesID)
        d.press(.char(" "))
        let tickTime = d.time
        #expect(d.screen.marks[retriesID]?.tickedBy == "alice")
        #expect(d.screen.marks[retriesID]?.tickedAt == tickTime)
        #expect(d.journal.writes == [.tick(itemID: retriesID, ticked: true, by: "alice", at: tickTime)])
        #expect(d.app.render().textDump().contains("ticked by alice at \(RFC3339.format(tickTime))"))
        d.press(.char(" "))
        #expect(d.screen.marks[retriesID]?.isTicked == false)
        #expect(d.journal.writes.last == .tick(itemID: retriesID, ticked: false, by: "alice", at: d.time))
    }

    @Test func checklistModeMovesFromItemToItemAndShowsProgress() throws {
        var d = try driver()
        d.press(.char("c"), .char(" "), .char("j"), .char(" "), .char("j"), .char("j"))
        #expect(d.screen.focusedItemID == "reliability.md#timeouts/every-outbound-call-has-a-deadline")
        let document = try #require(d.screen.document)
        let section = try #require(document.section(anchor: "retry-storms"))
        #expect(d.screen.progress(of: section.checklistItems) == (2, 3))
        #expect(d.screen.progress(of: document.checklistItems) == (2, 4))
        // Moving up again lands on the third item of the section, not on a link.
        d.press(.char("k"))
        #expect(d.screen.focusedItemID == "reliability.md#retry-storms/jittered-backoff-is-in-place")
        let screen = d.app.render().textDump()
        #expect(screen.contains("file 2/4"))
    }

    @Test func noteIsSavedWithAuthorAndShown() throws {
        var d = try driver()
        d.press(.char("c"), .char("n"))
        #expect(d.app.prompt != nil)
        d.type("paged at 3am")
        d.press(.enter)
        #expect(d.journal.writes == [.note(itemID: retriesID, text: "paged at 3am", by: "alice", at: d.time)])
        #expect(d.screen.marks[retriesID]?.notes.map(\.text) == ["paged at 3am"])
        #expect(d.app.render().textDump().contains("note by alice at"))
    }

    @Test func linksAreFollowedWithBackAndForward() throws {
        var d = try driver(journal: MemoryChecklistJournal())
        d.press(.char("g"))
        // The first focusable of the file is the link to errors.md#taxonomy.
        #expect(d.screen.place.focus == 0)
        d.press(.enter)
        #expect(d.screen.place.fileName == "errors.md")
        #expect(d.screen.currentSectionAnchor == "taxonomy")
        d.press(.char("["))
        #expect(d.screen.place.fileName == "reliability.md")
        d.press(.char("]"))
        #expect(d.screen.place.fileName == "errors.md")
        d.press(.ctrl("o"))
        #expect(d.screen.place.fileName == "reliability.md")
        // Esc with history and no panel goes back too; with nothing left it is the app's.
        d.press(.char("]"), .escape)
        #expect(d.screen.place.fileName == "reliability.md")
    }

    @Test func brokenLinkShowsAsBrokenAndIsNotFollowed() throws {
        var d = try driver()
        d.press(.char("g"), .char("j"))
        #expect(d.screen.layout.focusables[d.screen.place.focus ?? 0].kind == .link(destination: "missing.md#gone"))
        d.press(.enter)
        #expect(d.screen.place.fileName == "reliability.md")
        #expect(d.app.status?.text.contains("broken link") == true)
        #expect(d.app.render().textDump().contains("nowhere (broken link)"))
    }

    @Test func searchWithinAndAcrossRunbooks() throws {
        var d = try driver()
        d.press(.char("/"))
        d.type("deadline")
        d.press(.enter)
        #expect(d.screen.searchQuery == "deadline")
        let matches = d.screen.layout.rows.indices.filter { d.screen.layout.rows[$0].text.contains("deadline") }
        #expect(matches.count == 1)
        let visible = d.screen.place.scroll..<(d.screen.place.scroll + d.screen.textArea.height)
        #expect(matches.allSatisfy { visible.contains($0) })
        #expect(d.app.status?.text == "match 1 of 1 for \"deadline\"")

        d.press(.char(":"))
        d.type("search idempotent")
        d.press(.enter)
        #expect(d.screen.panel == .results)
        #expect(Set(d.screen.results.map(\.fileName)) == ["reliability.md", "errors.md"])
        // Open the hit in errors.md.
        while d.screen.results[d.screen.resultsSelection].fileName != "errors.md" { d.press(.char("j")) }
        d.press(.enter)
        #expect(d.screen.panel == .document)
        #expect(d.screen.place.fileName == "errors.md")
    }

    @Test func ticksSurviveARestartThroughTheJournal() throws {
        let journal = MemoryChecklistJournal()
        var d = try driver(journal: journal)
        d.press(.char("c"), .char(" "))
        let restarted = RunbookDriver(app: try RunbookScreenFixtures.app(journal: journal), journal: journal)
        #expect(restarted.screen.marks[retriesID]?.tickedBy == "alice")
        #expect(restarted.app.render().textDump().contains("[x] Retries are below 10% of requests"))
    }

    @Test func journalFailureWarnsAndKeepsTicksInMemory() throws {
        let journal = MemoryChecklistJournal()
        journal.failure = "database is locked"
        var d = try driver(journal: journal)
        d.press(.char("c"), .char(" "))
        #expect(d.screen.marks[retriesID]?.isTicked == true)
        #expect(journal.writes.isEmpty)
        #expect(d.screen.warning?.contains("database is locked") == true)
        #expect(d.app.render().textDump().contains("kept in memory"))
        // The console goes on: the next tick still works in memory.
        d.press(.char("j"), .char(" "))
        #expect(d.screen.progress(of: d.screen.document?.checklistItems ?? []) == (2, 4))
    }

    @Test func contentsOpensAnotherFile() throws {
        var d = try driver()
        d.press(.char("t"))
        #expect(d.screen.panel == .contents)
        while d.screen.contents[d.screen.contentsSelection].fileName != "errors.md" { d.press(.char("j")) }
        d.press(.enter)
        #expect(d.screen.place.fileName == "errors.md")
        #expect(d.screen.panel == .document)
    }

    @Test func resizeKeepsTheSectionInView() throws {
        var d = try driver()
        d.press(.char("c"), .char("j"), .char("j"))
        let focused = d.screen.focusedItemID
        d.send(.resize(TerminalSize(width: 50, height: 15)))
        d.press(.char("k"), .char("j"))
        #expect(d.screen.focusedItemID == focused)
        let dump = d.app.render().textDump()
        #expect(dump.split(separator: "\n").allSatisfy { $0.count <= 50 })
    }

    @Test func clickFocusesALinkAndEnterFollowsIt() throws {
        let journal = MemoryChecklistJournal()
        var d = RunbookDriver(app: try RunbookScreenFixtures.app(journal: journal, mouse: true), journal: journal)
        d.press(.char("g"), .char("j"))
        #expect(d.screen.place.focus == 1)
        // Find where the link to errors.md (focusable 0) is drawn, and click it.
        let layout = d.screen.layout
        let row = layout.focusables[0].row
        var column = 0
        for span in layout.rows[row].spans {
            if span.focusable == 0 { break }
            column += DisplayWidth.ofSafe(span.text)
        }
        let area = d.screen.textArea
        let body = d.app.bodyRect
        d.send(.mouse(MouseEvent(button: .left, x: body.x + area.x + column, y: body.y + area.y + row - d.screen.place.scroll)))
        #expect(d.screen.place.focus == 0)
        d.press(.enter)
        #expect(d.screen.place.fileName == "errors.md")
    }
}
