import BurnwatchCore
import Testing
@testable import BurnwatchUI

@Suite("Replay controls")
struct ReplayControlsTests {
    // 2026-12-07T14:00:00Z to 14:30:00Z, at 14:10:00
    static let start = RFC3339.parse("2026-12-07T14:00:00Z")!
    static let status = ReplayStatus(start: start, end: start + Interval(milliseconds: 1_800_000),
                                     position: start + Interval(milliseconds: 600_000), speed: 10, paused: false,
                                     marks: [ReplayMark(time: start + Interval(milliseconds: 300_000), level: .page, text: "signal retry_storm fired"),
                                             ReplayMark(time: start + Interval(milliseconds: 1_200_000), level: .resolved, text: "resolved")])

    static func at(_ text: String) -> String? { ReplayEffects.target(text, in: status).map { RFC3339.format($0) } }

    @Test func gotoTargets() {
        #expect(Self.at("14:05") == "2026-12-07T14:05:00Z")
        #expect(Self.at("14:20:30") == "2026-12-07T14:20:30Z")
        #expect(Self.at("-10m") == "2026-12-07T14:00:00Z")
        #expect(Self.at("-1h") == "2026-12-07T14:00:00Z")        // clamped to the start
        #expect(Self.at("+90s") == "2026-12-07T14:11:30Z")
        #expect(Self.at("end") == "2026-12-07T14:30:00Z")
        #expect(Self.at("start") == "2026-12-07T14:00:00Z")
        #expect(Self.at("2026-12-07T14:25:00Z") == "2026-12-07T14:25:00Z")
        #expect(Self.at("15:45") == "2026-12-07T14:30:00Z")     // after the end: clamped
        for bad in ["", "25:00", "14:61", "soon", "-x"] { #expect(Self.at(bad) == nil, "\(bad)") }
    }

    @Test func effectsRoundTrip() {
        for command in [ReplayCommand.togglePause, .faster, .slower, .nextMark, .previousMark, .seek(Self.start)] {
            #expect(ReplayEffects.parse(ReplayEffects.effect(command)) == command)
        }
        #expect(ReplayEffects.parse(.bell) == nil)
        let note = ReplayEffects.note("rolled back", at: Self.start)
        #expect(ReplayEffects.parseNote(note)?.text == "rolled back")
        #expect(ReplayEffects.parseNote(note)?.at == Self.start)
    }

    func state(replay: Bool, plain: Bool = false) -> AppState {
        var screen = RecordingScreen(id: .signals, title: "Signals")
        screen.keymap = Keymap([KeyBinding(keys: [.char(" ")], action: .toggle, help: "evidence", group: "Signals")])
        let screens: [any ScreenModel] = plain ? [MessageScreen(id: .signals, title: "Signals", lines: ["none"])] : [screen]
        var s = AppState(screens: screens, size: TerminalSize(width: 100, height: 20))
        s.now = Self.status.position
        if replay { _ = AppReducer.apply(.external(Self.status), to: &s) }
        return s
    }

    @Test func replayKeysComeBeforeTheScreensOwn() {
        var live = state(replay: false)
        #expect(AppReducer.apply(.key(.char(" ")), to: &live).isEmpty)
        #expect(live.screen(.signals, as: RecordingScreen.self)?.inputs.contains("action toggle") == true)

        var replay = state(replay: true)
        #expect(AppReducer.apply(.key(.char(" ")), to: &replay) == [ReplayEffects.effect(.togglePause)])
        #expect(AppReducer.apply(.key(.char("+")), to: &replay) == [ReplayEffects.effect(.faster)])
        #expect(AppReducer.apply(.key(.char("-")), to: &replay) == [ReplayEffects.effect(.slower)])
        #expect(AppReducer.apply(.key(.char("n")), to: &replay) == [ReplayEffects.effect(.nextMark)])
        #expect(AppReducer.apply(.key(.char("N")), to: &replay) == [ReplayEffects.effect(.previousMark)])
        #expect(replay.screen(.signals, as: RecordingScreen.self)?.inputs.contains("action toggle") == false)
        // the help lists them (generated from the keymap)
        #expect(replay.effectiveKeymap.bindings.contains { $0.group == "Replay" && $0.help == "pause / play" })
        #expect(!live.effectiveKeymap.bindings.contains { $0.group == "Replay" })
    }

    func command(_ text: String, _ s: inout AppState) -> [Effect] {
        var effects = AppReducer.apply(.key(.char(":")), to: &s)
        for c in text { effects += AppReducer.apply(.key(.char(c)), to: &s) }
        return effects + AppReducer.apply(.key(.enter), to: &s)
    }

    @Test func gotoAndNoteCommands() {
        var live = state(replay: false, plain: true)
        #expect(command("goto 14:05", &live).isEmpty)
        #expect(live.status?.text.contains("replay") == true)
        #expect(command("note db failover started", &live) == [ReplayEffects.note("db failover started", at: Self.status.position)])

        var replay = state(replay: true, plain: true)
        #expect(command("goto 14:05", &replay) == [ReplayEffects.effect(.seek(RFC3339.parse("2026-12-07T14:05:00Z")!))])
        #expect(command("goto whenever", &replay).isEmpty)
        #expect(replay.status?.text.hasPrefix("usage: goto") == true)
        #expect(command("note seen at replay time", &replay) == [ReplayEffects.note("seen at replay time", at: Self.status.position)])
    }

    @Test func theTimelineRowSitsAboveTheStatusLine() {
        let s = state(replay: true)
        #expect(s.bodyRect.height == 20 - 3)
        let rows = s.render().textDump().split(separator: "\n", omittingEmptySubsequences: false)
        let timeline = String(rows[18])
        #expect(timeline.contains("×10 14:10:00"), "\(timeline)")
        #expect(timeline.hasSuffix(" 14:30:00 ") || timeline.contains("14:30:00"), "\(timeline)")
        #expect(timeline.contains("!"), "the page mark: \(timeline)")
        #expect(timeline.contains("·"), "the resolution mark: \(timeline)")
        #expect(timeline.contains("●"), "the position: \(timeline)")
        // the position sits a third of the way along the bar, after the page mark
        let bar = timeline.drop { $0 != "━" && $0 != "!" }
        let dot = bar.firstIndex(of: "●")!, page = bar.firstIndex(of: "!")!
        #expect(page < dot)
        var paused = s
        var status = Self.status
        status.paused = true
        status.speed = nil
        _ = AppReducer.apply(.external(status), to: &paused)
        #expect(String(paused.render().textDump().split(separator: "\n", omittingEmptySubsequences: false)[18]).contains("⏸ max"))
    }

    @Test func aNoteOnTheSignalsScreenIsAboutTheSelectedSignal() {
        var signals = SignalsScreenState(user: "alice")
        signals.apply(SignalsUpdate(at: Self.start, signals: [
            Signal(kind: .retryStorm, service: "api", severity: .page, since: Self.start, summary: "retries are 45% of requests", evidence: [], runbooks: []),
        ]))
        var s = AppState(screens: [SignalsScreen(state: signals)], size: TerminalSize(width: 100, height: 20))
        s.now = Self.status.position
        #expect(command("note rolled back", &s) == [ReplayEffects.note("signal retry_storm on api: rolled back", at: Self.status.position)])
        #expect(s.status?.text.contains("about signal retry_storm on api") == true)
    }
}
