import BurnwatchTestSupport
import Foundation
import Testing

/// `burnwatch demo` in a real terminal (tmux): the bundled incident plays; pause, speed, step to
/// the next signal, seek, open a signal's runbook, add a note, quit; `burnwatch export` of the
/// copy shows the note and the recorded alerts.
@Suite(.serialized) struct DemoTmuxTests {
    /// The timeline row (the line above the status line).
    static func timeline(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return rows.last { $0.contains("━") || $0.contains("●") } ?? ""
    }

    /// `HH:MM:SS` of the position on the timeline row.
    static func position(_ screen: String) -> String? {
        let words = timeline(screen).split(separator: " ")
        return words.first { $0.count == 8 && $0.filter { $0 == ":" }.count == 2 }.map(String.init)
    }

    @Test func theDemoPlaysPausesSeeksOpensARunbookAndKeepsANote() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("demo.burnwatch").path
        let command = ["env", "LANG=C.UTF-8", "TERM=xterm-256color", "USER=oncall", TestPaths.binary.path, "demo", "--copy", copy]
        // the pane stays after the console quits, so what it prints on leaving can be read
        let console = try ConsoleTmuxSession(command: command.map { "'" + $0 + "'" }.joined(separator: " ") + "; sleep 30",
                                             width: 160, height: 40)
        defer { console.stop() }

        // it opens on the SLO overview with the banner naming the keys, and plays
        let opened = console.waitFor(timeout: 30) { $0.contains("demo: space pause") && $0.contains("×5") }
        #expect(opened.matched, "\(opened.screen)")
        let first = Self.position(opened.screen)
        let moving = console.waitFor(timeout: 10) { Self.position($0) != first }
        #expect(moving.matched, "the clock does not move:\n\(moving.screen)")

        // space pauses; + speeds up
        console.send("Space")
        let paused = console.waitFor(timeout: 10) { Self.timeline($0).contains("⏸") }
        #expect(paused.matched, "\(paused.screen)")
        console.send("+")
        #expect(console.waitFor(timeout: 10) { Self.timeline($0).contains("×10") }.matched)

        // n steps to the next alert or signal, :goto seeks
        let before = Self.position(console.capture())
        console.send("n")
        let stepped = console.waitFor(timeout: 20) { Self.position($0) != before }
        #expect(stepped.matched, "n did not move:\n\(stepped.screen)")
        console.send(":goto +3m", "Enter")
        let later = console.waitFor(timeout: 30) { Self.position($0) != Self.position(stepped.screen) }
        #expect(later.matched, "goto did not move:\n\(later.screen)")

        // the signals screen shows the storm; Enter opens its runbook section
        console.send("2")
        let storm = console.waitFor(timeout: 20) { $0.contains("retry_storm") }
        #expect(storm.matched, "no retry storm at \(Self.position(storm.screen) ?? "?"):\n\(storm.screen)")
        console.send(":signal retry_storm", "Enter")
        console.send("Enter")
        let runbook = console.waitFor(timeout: 15) { $0.contains("reliability.md") || $0.contains("outbound-http.md") }
        #expect(runbook.matched, "no runbook:\n\(runbook.screen)")

        // a note at the replayed time, then quit
        console.send(":note rolled back orders-api to v41", "Enter")
        #expect(console.waitFor(timeout: 10) { $0.contains("note added") }.matched)
        console.send("q")
        let ended = console.waitFor(timeout: 15) { $0.contains("burnwatch export") }
        #expect(ended.matched, "\(ended.screen)")

        let export = try ProcessRunner.run(TestPaths.binary.path, ["export", copy], timeout: 60)
        #expect(export.status == 0, "\(export.stderrText)")
        #expect(export.stdoutText.contains("rolled back orders-api to v41"))
        #expect(export.stdoutText.contains("| oncall |"))
        #expect(export.stdoutText.contains("| alert |"))
        #expect(export.stdoutText.contains("**retry_storm**"))
        #expect(export.stdoutText.contains("**saturation**"))
    }
}
