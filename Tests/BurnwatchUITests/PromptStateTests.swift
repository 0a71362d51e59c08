import Testing
@testable import BurnwatchUI

@Suite struct PromptStateTests {
    private func type(_ text: String, into p: inout PromptState) {
        for c in text { #expect(p.apply(.char(c)) == .editing) }
    }

    @Test func insertsAndMovesTheCursor() {
        var p = PromptState(mode: .command)
        type("quit", into: &p)
        #expect(p.string == "quit" && p.cursor == 4)
        _ = p.apply(.left); _ = p.apply(.left)
        type("XY", into: &p)
        #expect(p.string == "quXYit" && p.cursor == 4)
        _ = p.apply(.home)
        #expect(p.cursor == 0)
        _ = p.apply(.left)
        #expect(p.cursor == 0, "left at the start stays")
        _ = p.apply(.end)
        #expect(p.cursor == 6)
        _ = p.apply(.right)
        #expect(p.cursor == 6, "right at the end stays")
    }

    @Test func deletesBeforeAndUnderTheCursor() {
        var p = PromptState(mode: .search, text: "abcd")
        _ = p.apply(.backspace)
        #expect(p.string == "abc")
        _ = p.apply(.home)
        _ = p.apply(.delete)
        #expect(p.string == "bc" && p.cursor == 0)
        _ = p.apply(.backspace)
        #expect(p.string == "bc", "backspace at the start of a non-empty line does nothing")
        _ = p.apply(.end)
        _ = p.apply(.ctrl("u"))
        #expect(p.string == "" && p.cursor == 0)
        #expect(p.apply(.backspace) == .cancelled, "backspace on an empty line closes the prompt")
    }

    @Test func wordAndLineKills() {
        var p = PromptState(mode: .command, text: "screen  metrics")
        _ = p.apply(.ctrl("w"))
        #expect(p.string == "screen  ")
        _ = p.apply(.ctrl("w"))
        #expect(p.string == "")
        var q = PromptState(mode: .command, text: "abcdef")
        _ = q.apply(.home); _ = q.apply(.right); _ = q.apply(.right)
        _ = q.apply(.ctrl("k"))
        #expect(q.string == "ab")
    }

    @Test func wideCharactersMoveAsOne() {
        var p = PromptState(mode: .search)
        type("a中😀", into: &p)
        #expect(p.cursorColumn == 5)
        _ = p.apply(.left)
        #expect(p.cursorColumn == 3)
        _ = p.apply(.backspace)
        #expect(p.string == "a😀")
    }

    @Test func historyWalksAndKeepsTheDraft() {
        var p = PromptState(mode: .command, history: ["one", "two", "three"])
        type("dra", into: &p)
        _ = p.apply(.up)
        #expect(p.string == "three")
        _ = p.apply(.up); _ = p.apply(.up); _ = p.apply(.up)
        #expect(p.string == "one", "up stops at the oldest entry")
        _ = p.apply(.down)
        #expect(p.string == "two")
        _ = p.apply(.down); _ = p.apply(.down)
        #expect(p.string == "dra", "down past the newest entry restores the draft")
        #expect(p.historyIndex == nil)
        _ = p.apply(.down)
        #expect(p.string == "dra")
    }

    @Test func submitAndCancel() {
        var p = PromptState(mode: .search, text: "latency")
        #expect(p.apply(.enter) == .submitted("latency"))
        var q = PromptState(mode: .search, text: "x")
        #expect(q.apply(.escape) == .cancelled)
    }

    @Test func historyAppendSkipsRepeatsAndIsBounded() {
        var h: [String] = []
        h = PromptState.appending("a", to: h)
        h = PromptState.appending("a", to: h)
        h = PromptState.appending("", to: h)
        h = PromptState.appending("b", to: h)
        #expect(h == ["a", "b"])
        for i in 0..<10 { h = PromptState.appending("\(i)", to: h, limit: 5) }
        #expect(h == ["5", "6", "7", "8", "9"])
    }
}
