import BurnwatchTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `burnwatch runbook` console in tmux (run `swift build` first): ticks survive a restart,
/// resizing does not crash, SIGTERM restores the terminal, NO_COLOR and LANG=C work.
@Suite("Console in tmux (binary)", .serialized)
struct ConsoleEndToEndTests {
    @Test func tickSurvivesARestart() throws {
        let (root, journal) = try ConsoleFixtures.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let command = ConsoleFixtures.command(target: "reliability.md#retry-storms", root: root, journal: journal)

        let first = try ConsoleTmuxSession(command: command)
        defer { first.stop() }
        let opened = first.waitFor(text: "Retries are below 10% of requests")
        #expect(opened.matched, "console did not open the section:\n\(opened.screen)")
        #expect(opened.screen.contains("Retry storms"))
        // Colours are on by default (the NO_COLOR test checks they go away).
        #expect(first.capture(escapes: true).contains("\u{1B}["))
        first.send("c")
        first.waitFor(text: "[checklist]")
        first.send("Space")
        let ticked = first.waitFor(text: "ticked by tester")
        #expect(ticked.matched, "no tick shown:\n\(ticked.screen)")
        #expect(ticked.screen.contains("[x] Retries are below 10% of requests"))
        #expect(ticked.screen.contains("section 1/3"))
        first.send("q")
        let exited = first.waitFor(text: "EXITED 0")
        #expect(exited.matched, "console did not quit cleanly:\n\(exited.screen)")
        first.stop()

        let second = try ConsoleTmuxSession(command: command)
        defer { second.stop() }
        let reopened = second.waitFor(text: "ticked by tester")
        #expect(reopened.matched, "tick lost after restart:\n\(reopened.screen)")
        #expect(reopened.screen.contains("[x] Retries are below 10% of requests"))
        #expect(reopened.screen.contains("[ ] Every retry loop has a budget"))
    }

    @Test func resizeToSmallAndBackKeepsRunning() throws {
        let (root, journal) = try ConsoleFixtures.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let session = try ConsoleTmuxSession(command: ConsoleFixtures.command(target: "reliability.md", root: root, journal: journal))
        defer { session.stop() }
        #expect(session.waitFor(text: "Retry storms").matched)

        session.resize(width: 50, height: 15)
        // Only a real re-layout wraps the first paragraph at 48 columns like this (tmux just crops).
        let small = session.waitFor { screen in
            screen.split(separator: "\n").contains { $0.hasPrefix(" fail. See errors.") }
        }
        #expect(small.matched, "not redrawn at 50x15:\n\(small.screen)")
        #expect(!small.screen.contains("EXITED"))

        session.resize(width: 30, height: 8)
        let tiny = session.waitFor { $0.lowercased().contains("too small") }
        #expect(tiny.matched, "no too-small screen at 30x8:\n\(tiny.screen)")

        session.resize(width: 120, height: 40)
        let back = session.waitFor { $0.contains("Timeouts") && $0.contains("Retries are below 10% of requests") }
        #expect(back.matched, "not redrawn at 120x40:\n\(back.screen)")
        #expect(!back.screen.contains("EXITED"))
        // Still answering keys after the resizes.
        session.send("q")
        #expect(session.waitFor(text: "EXITED 0").matched)
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let (root, journal) = try ConsoleFixtures.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let before = root.appendingPathComponent("stty-before").path
        let after = root.appendingPathComponent("stty-after").path
        let pidFile = root.appendingPathComponent("pid").path
        let script = root.appendingPathComponent("run.sh")
        try """
            #!/bin/sh
            stty -g > '\(before)'
            USER=tester sh -c 'echo $$ > "\(pidFile)"; exec "$0" "$@"' '\(TestPaths.binary.path)' runbook reliability.md \
              --runbooks '\(root.path)/runbooks' --journal '\(journal)'
            status=$?
            stty -g > '\(after)'
            echo "DIED $status"
            sleep 120

            """.write(to: script, atomically: true, encoding: .utf8)
        let session = try ConsoleTmuxSession(command: "sh '\(script.path)'")
        defer { session.stop() }
        #expect(session.waitFor(text: "Retry storms").matched)
        let pidText = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(Int32(pidText))
        #expect(kill(pid, SIGTERM) == 0)
        let died = session.waitFor(text: "DIED")
        #expect(died.matched, "console did not end on SIGTERM:\n\(died.screen)")
        #expect(died.screen.contains("DIED 143"), "exit status is not 128+SIGTERM:\n\(died.screen)")
        let saved = try String(contentsOfFile: before, encoding: .utf8)
        let restored = try String(contentsOfFile: after, encoding: .utf8)
        #expect(!saved.isEmpty)
        #expect(saved == restored, "terminal modes differ after SIGTERM")
    }

    @Test func noColorDrawsWithoutColours() throws {
        let (root, journal) = try ConsoleFixtures.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let session = try ConsoleTmuxSession(command: ConsoleFixtures.command(
            target: "reliability.md", root: root, journal: journal, environment: "NO_COLOR=1"))
        defer { session.stop() }
        #expect(session.waitFor(text: "Retry storms").matched)
        let escaped = session.capture(escapes: true)
        // Attributes (bold, reverse) stay; colour selections (SGR 30-37, 40-47, 90-97, 38;5, 48;5) do not.
        let colour = try Regex(#"\x1B\[[0-9;]*(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5;[0-9]+|48;5;[0-9]+)m"#)
        #expect(escaped.firstMatch(of: colour) == nil, "colour escape found with NO_COLOR")
        session.send("c")
        session.send("Space")
        #expect(session.waitFor(text: "ticked by tester").matched)
    }

    @Test func corruptJournalWarnsKeepsTicksInMemoryAndLeavesTheFileAlone() throws {
        let (root, journal) = try ConsoleFixtures.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let garbage = Data("this is not a journal\n".utf8)
        try garbage.write(to: URL(fileURLWithPath: journal))
        let session = try ConsoleTmuxSession(command: ConsoleFixtures.command(
            target: "reliability.md#retry-storms", root: root, journal: journal))
        defer { session.stop() }
        let opened = session.waitFor(text: "journal:")
        #expect(opened.matched, "no journal warning:\n\(opened.screen)")
        session.send("c")
        session.send("Space")
        #expect(session.waitFor(text: "ticked by tester").matched)
        session.send("q")
        #expect(session.waitFor(text: "EXITED 0").matched)
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == garbage)
    }

    @Test func asciiLocaleUsesAsciiGlyphs() throws {
        let (root, journal) = try ConsoleFixtures.make()
        defer { try? FileManager.default.removeItem(at: root) }
        let session = try ConsoleTmuxSession(command: ConsoleFixtures.command(
            target: "reliability.md#retry-storms", root: root, journal: journal, environment: "LANG=C LC_ALL=C"))
        defer { session.stop() }
        let opened = session.waitFor(text: "Retries are below 10% of requests")
        #expect(opened.matched, "\(opened.screen)")
        #expect(opened.screen.contains("| "), "no ASCII separator:\n\(opened.screen)")
        // Text the C locale cannot show becomes one `?` per column: never raw bytes.
        #expect(opened.screen.contains("Budget: ???? ? ok."), "non-ASCII text not replaced:\n\(opened.screen)")
        for glyph in ["│", "─", "•", "▶", "…", "中", "—"] {
            #expect(!opened.screen.contains(glyph), "Unicode glyph \(glyph) in the C locale:\n\(opened.screen)")
        }
        session.send("c")
        session.send("Space")
        #expect(session.waitFor(text: "ticked by tester").matched)
        session.send("q")
        #expect(session.waitFor(text: "EXITED 0").matched)
    }
}

/// Suspend (ctrl-z) and resume (`fg`) in an interactive shell: the terminal is given back and taken again.
@Suite("Console suspend and resume in tmux (binary)", .serialized)
struct ConsoleSuspendTests {
    @Test func ctrlZGivesTheTerminalBackAndFgRedraws() throws {
        let (root, journal) = try ConsoleFixtures.make()
        defer { try? FileManager.default.removeItem(at: root) }
        guard let bash = TestPaths.which("bash") else { Issue.record("bash not found"); return }
        let session = try ConsoleTmuxSession(command: "env PS1='bw$ ' '\(bash)' --norc --noprofile -i")
        defer { session.stop() }
        #expect(session.waitFor(text: "bw$").matched)
        let stty = { (name: String) in root.appendingPathComponent(name).path }
        session.send("stty -g > '\(stty("before"))'; USER=tester '\(TestPaths.binary.path)' runbook reliability.md "
                     + "--runbooks '\(root.path)/runbooks' --journal '\(journal)'; stty -g > '\(stty("after"))'; echo FINISHED",
                     literal: true)
        session.send("Enter")
        #expect(session.waitFor(text: "Retry storms").matched)

        session.send("C-z")
        let stopped = session.waitFor(text: "Stopped")
        #expect(stopped.matched, "ctrl-z did not stop the console:\n\(stopped.screen)")
        #expect(!stopped.screen.contains("q quit"), "the console's screen is still shown while stopped")

        session.send("fg", literal: true)
        session.send("Enter")
        let resumed = session.waitFor { $0.contains("q quit") && $0.contains("Retry storms") && !$0.contains("Stopped") }
        #expect(resumed.matched, "fg did not redraw the console:\n\(resumed.screen)")
        session.send("j")
        session.send("q")
        let finished = session.waitFor(text: "FINISHED")
        #expect(finished.matched, "\(finished.screen)")
        let before = try String(contentsOfFile: stty("before"), encoding: .utf8)
        let after = try String(contentsOfFile: stty("after"), encoding: .utf8)
        #expect(before == after)
    }
}
