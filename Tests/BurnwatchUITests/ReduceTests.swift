import BurnwatchCore
import Testing
@testable import BurnwatchUI

@Suite struct ReduceTests {
    private func state(_ screens: [any ScreenModel]? = nil) -> AppState {
        AppState(screens: screens ?? [RecordingScreen(id: .runbooks, title: "Runbooks"),
                                      RecordingScreen(id: .metrics, title: "Metrics"),
                                      RecordingScreen(id: .logs, title: "Logs")],
                 size: TerminalSize(width: 80, height: 24))
    }

    private func run(_ s: AppState, _ events: [AppEvent]) -> (AppState, [Effect]) {
        var s = s
        var all: [Effect] = []
        for e in events {
            let (next, effects) = reduce(s, e)
            s = next
            all += effects
        }
        return (s, all)
    }

    private func keys(_ text: String) -> [AppEvent] { text.map { .key(.char($0)) } }

    private func inputs(_ s: AppState, _ id: ScreenID) -> [String] {
        s.screen(id, as: RecordingScreen.self)?.inputs ?? []
    }

    @Test func quitSetsTheFlagAndAsksToQuit() {
        let (s, effects) = run(state(), [.key(.char("q"))])
        #expect(s.shouldQuit)
        #expect(effects == [.quit])
    }

    @Test func tabsNumbersAndBack() {
        var (s, _) = run(state(), [.key(.tab)])
        #expect(s.currentID == .metrics)
        (s, _) = run(s, [.key(.char("3"))])
        #expect(s.currentID == .logs)
        (s, _) = run(s, [.key(.backTab), .key(.backTab)])
        #expect(s.currentID == .runbooks)
        #expect(s.backStack == [.runbooks, .metrics, .logs, .metrics])
        (s, _) = run(s, [.key(.escape)])
        #expect(s.currentID == .metrics)
        (s, _) = run(s, [.key(.escape)])
        #expect(s.currentID == .logs)
        (s, _) = run(s, [.key(.char("9"))])
        #expect(s.currentID == .logs)
        #expect(s.status?.text == "no screen 9")
        #expect(inputs(s, .logs).contains("activated"))
    }

    @Test func backGoesToTheScreenFirst() {
        var screen = RecordingScreen(id: .runbooks, title: "Runbooks")
        screen.backHandled = true
        var (s, _) = run(state([screen, RecordingScreen(id: .metrics, title: "Metrics")]), [.key(.char("2")), .key(.char("1"))])
        #expect(s.currentID == .runbooks)
        (s, _) = run(s, [.key(.escape)])
        #expect(s.currentID == .runbooks, "the screen used Esc (e.g. link back)")
        #expect(inputs(s, .runbooks).last == "back")
    }

    @Test func movementGoesToTheCurrentScreen() {
        let (s, _) = run(state(), [.key(.char("j")), .key(.down), .key(.char("G")), .key(.ctrl("d")), .key(.enter), .key(.char(" "))])
        #expect(inputs(s, .runbooks) == ["action down", "action down", "action bottom", "action halfPageDown",
                                         "action open", "action toggle"])
    }

    @Test func unboundKeysGoToTheScreenRaw() {
        let (s, _) = run(state(), [.key(.char("x")), .key(.function(5))])
        #expect(inputs(s, .runbooks) == ["key x", "key F5"])
    }

    @Test func screenKeymapOverridesGlobal() {
        var screen = RecordingScreen(id: .runbooks, title: "Runbooks")
        screen.keymap = Keymap([KeyBinding(keys: [.char("n")], action: .custom("note"), help: "add a note", group: "Checklist")])
        let (s, _) = run(state([screen]), [.key(.char("n"))])
        #expect(inputs(s, .runbooks) == ["action custom(\"note\")"])
        #expect(HelpOverlay(keymap: s.effectiveKeymap).entries.contains { $0.help == "add a note" })
        #expect(!HelpOverlay(keymap: s.effectiveKeymap).entries.contains { $0.help == "next match" },
                "the shadowed binding is not advertised")
    }

    @Test func capturingScreenGetsEveryKey() {
        var screen = RecordingScreen(id: .runbooks, title: "Runbooks")
        screen.capturesKeys = true
        let (s, effects) = run(state([screen]), [.key(.char("q")), .key(.escape)])
        #expect(!s.shouldQuit && effects.isEmpty)
        #expect(inputs(s, .runbooks) == ["key q", "key Esc"])
    }

    @Test func searchPromptSubmitsAndRemembers() {
        var (s, _) = run(state(), [.key(.char("/"))] + keys("timeout"))
        #expect(s.prompt?.string == "timeout")
        #expect(s.prompt?.mode == .search)
        (s, _) = run(s, [.key(.enter)])
        #expect(s.prompt == nil)
        #expect(s.lastSearch == "timeout")
        #expect(s.searchHistory == ["timeout"])
        (s, _) = run(s, [.key(.char("n")), .key(.char("N"))])
        #expect(inputs(s, .runbooks) == ["search timeout fwd", "search timeout fwd", "search timeout back"])
        // History comes back in the next prompt.
        (s, _) = run(s, [.key(.char("/")), .key(.up)])
        #expect(s.prompt?.string == "timeout")
        (s, _) = run(s, [.key(.escape)])
        #expect(s.prompt == nil)
        #expect(s.lastSearch == "timeout")
    }

    @Test func nextMatchWithoutSearchSaysSo() {
        let (s, _) = run(state(), [.key(.char("n"))])
        #expect(s.status?.text.contains("no search") == true)
        #expect(inputs(s, .runbooks).isEmpty)
    }

    @Test func promptKeysDoNotLeak() {
        let (s, effects) = run(state(), [.key(.char(":"))] + keys("q2j"))
        #expect(!s.shouldQuit && effects.isEmpty)
        #expect(s.prompt?.string == "q2j")
        #expect(inputs(s, .runbooks).isEmpty)
        #expect(s.currentID == .runbooks)
    }

    @Test func commands() {
        var (s, effects) = run(state(), [.key(.char(":"))] + keys("screen logs") + [.key(.enter)])
        #expect(s.currentID == .logs)
        #expect(s.commandHistory == ["screen logs"])
        (s, effects) = run(s, [.key(.char(":"))] + keys("mouse on") + [.key(.enter)])
        #expect(effects == [.setMouseReporting(true)] && s.mouseEnabled)
        (s, effects) = run(s, [.key(.char(":"))] + keys("bogus arg") + [.key(.enter)])
        #expect(s.status?.text == "unknown command: bogus")
        #expect(inputs(s, .logs).last == "command bogus arg")
        (s, effects) = run(s, [.key(.char(":"))] + keys("save") + [.key(.enter)])
        #expect(effects == [.custom(name: "save", arguments: [])])
        (s, effects) = run(s, [.key(.char(":"))] + keys("jump metrics") + [.key(.enter)])
        #expect(s.currentID == .metrics)
        (s, effects) = run(s, [.key(.char(":")), .key(.up), .key(.up), .key(.enter)])
        #expect(s.currentID == .metrics, "history: `:save` again")
        #expect(effects == [.custom(name: "save", arguments: [])] || effects.isEmpty)
        (s, effects) = run(s, [.key(.char(":"))] + keys("q") + [.key(.enter)])
        #expect(s.shouldQuit && effects == [.quit])
    }

    @Test func screenCanAskForFreeText() {
        let (s, _) = run(state(), [.key(.char(":"))] + keys("note") + [.key(.enter)] + keys("restarted pod") + [.key(.enter)])
        #expect(inputs(s, .runbooks).suffix(1) == ["input note restarted pod"])
        #expect(s.prompt == nil)
    }

    @Test func helpOpensScrollsAndCloses() {
        var (s, _) = run(state(), [.key(.char("?"))])
        #expect(s.helpVisible)
        (s, _) = run(s, [.key(.char("j"))])
        #expect(inputs(s, .runbooks).isEmpty, "keys do not reach the screen under help")
        (s, _) = run(s, [.key(.char("q"))])
        #expect(!s.helpVisible && !s.shouldQuit, "q closes help first")
        (s, _) = run(s, [.key(.function(1)), .key(.escape)])
        #expect(!s.helpVisible)
    }

    @Test func versionMovesOnlyOnVisibleChange() {
        var screen = RecordingScreen(id: .runbooks, title: "Runbooks")
        screen.handles = false
        let s0 = state([screen])
        var (s, _) = run(s0, [.key(.char("j"))])
        #expect(s.version == s0.version, "an unused key does not redraw")
        (s, _) = run(s, [.tick(Timestamp(milliseconds: 1000))])
        #expect(s.version == s0.version, "a tick that changes nothing does not redraw")
        (s, _) = run(s, [.resize(TerminalSize(width: 80, height: 24))])
        #expect(s.version == s0.version, "the same size again does not redraw")
        (s, _) = run(s, [.resize(TerminalSize(width: 100, height: 30))])
        #expect(s.version > s0.version)
        let v = s.version
        (s, _) = run(s, [.key(.char("/")), .key(.char("x"))])
        #expect(s.version == v + 2)
        (s, _) = run(s, [.key(.left), .key(.left)])
        #expect(s.version == v + 3, "moving left at the start changes nothing the second time")
    }

    @Test func statusMessagesExpireOnTicks() {
        var (s, _) = run(state(), [.tick(Timestamp(milliseconds: 0)), .key(.char("9"))])
        #expect(s.status != nil)
        (s, _) = run(s, [.tick(Timestamp(milliseconds: 4000))])
        #expect(s.status != nil)
        (s, _) = run(s, [.tick(Timestamp(milliseconds: 5000))])
        #expect(s.status == nil)
    }

    @Test func mouseIsOptIn() {
        var (s, _) = run(state(), [.mouse(MouseEvent(button: .wheelDown, x: 5, y: 5))])
        #expect(inputs(s, .runbooks).isEmpty)
        s.mouseEnabled = true
        (s, _) = run(s, [.mouse(MouseEvent(button: .wheelDown, x: 5, y: 5)),
                         .mouse(MouseEvent(button: .left, x: 4, y: 6))])
        #expect(inputs(s, .runbooks) == ["action down", "mouse Click 4,5"])
        // Click on the second tab.
        let tabs = Tabs(titles: s.screens.map(\.title), selected: 0)
        let second = tabs.tabRanges(in: s.size.rect)[1]
        (s, _) = run(s, [.mouse(MouseEvent(button: .left, x: second.lowerBound + 1, y: 0))])
        #expect(s.currentID == .metrics)
    }

    @Test func externalEventsReachEveryScreen() {
        struct Scrape: ExternalEvent {}
        let (s, _) = run(state(), [.external(Scrape())])
        for id in [ScreenID.runbooks, .metrics, .logs] { #expect(inputs(s, id) == ["external"]) }
    }

    @Test func tooSmallIsReported() {
        var s = state()
        #expect(!s.isTooSmall)
        (s, _) = run(s, [.resize(TerminalSize(width: 39, height: 24))])
        #expect(s.isTooSmall)
        let dump = s.render().textDump()
        #expect(dump.contains("terminal too small: need 40×10, have") && dump.contains("39×24"))
    }
}

@Suite struct HelpScrollTests {
    @Test func helpScrollStopsAtTheEnd() {
        var s = AppState(screens: [RecordingScreen(id: .runbooks, title: "Runbooks")], size: TerminalSize(width: 50, height: 14))
        s = reduce(s, .key(.char("?"))).0
        let limit = HelpOverlay(keymap: s.effectiveKeymap).maxScroll(in: s.bodyRect)
        #expect(limit > 0, "a 50x14 terminal cannot show the whole help")
        for _ in 0..<100 { s = reduce(s, .key(.char("j"))).0 }
        #expect(s.helpScroll == limit)
        let v = s.version
        s = reduce(s, .key(.char("j"))).0
        #expect(s.version == v, "scrolling past the end changes nothing")
        s = reduce(s, .key(.char("k"))).0
        #expect(s.helpScroll == limit - 1)
        let dump = s.render().textDump()
        #expect(dump.contains("Help (Esc to close)"))
    }
}
