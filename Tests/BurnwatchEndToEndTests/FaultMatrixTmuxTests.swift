import BurnwatchTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The fault matrix (issue 11): one real `burnwatch watch` in tmux with every misbehaving scrape
/// target and log source at once. Each fault is named on its row (metrics screen for targets, the
/// logs screen's health rows for sources), keys still draw frames, and SIGTERM or SIGHUP ends the
/// console with the terminal restored and no log command left running. Run `swift build` first.
@Suite(.serialized) struct FaultMatrixTmuxTests {
    /// The row of the screen that mentions `text`, if any.
    static func row(_ screen: String, _ text: String) -> String? {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init)
    }

    static func config(targets: FaultScrapeTargets, logs: FaultLogSources) -> String {
        var text = "services:\n"
        for c in targets.cases {
            text += "  - name: \(c.job)\n    targets: [{url: '\(c.url)', interval: 2s, timeout: 1s}]\n"
        }
        text += "  - name: good\n    targets: [{url: '\(targets.goodURL)', interval: 2s, timeout: 1s}]\n"
        return text + logs.configLines
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func everyFaultIsNamedKeysStillDrawAndTheSignalRestoresTheTerminal(_ signal: Int32) throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-fault")
        defer { try? FileManager.default.removeItem(at: dir) }
        let targets = try FaultScrapeTargets(directory: dir)
        defer { targets.stop() }
        let logs = try FaultLogSources(directory: dir)
        defer { logs.stop() }
        if let why = logs.tmpfsUnavailable { print("fault matrix: the full-disk case is not run on this machine: \(why)") }
        let configPath = dir.appendingPathComponent("burnwatch.yaml").path
        try Self.config(targets: targets, logs: logs).write(toFile: configPath, atomically: true, encoding: .utf8)
        let (before, after, pidFile) = (dir.appendingPathComponent("stty-before").path, dir.appendingPathComponent("stty-after").path,
                                        dir.appendingPathComponent("pid").path)
        let script = dir.appendingPathComponent("run.sh")
        try """
            #!/bin/sh
            stty -g > '\(before)'
            LANG=C.UTF-8 TERM=xterm-256color sh -c 'echo $$ > "\(pidFile)"; exec "$0" "$@"' '\(TestPaths.binary.path)' watch \
              --config '\(configPath)' --journal '\(dir.path)/journal.sqlite'
            status=$?
            stty -g > '\(after)'
            echo "DIED $status"
            sleep 120

            """.write(to: script, atomically: true, encoding: .utf8)
        let console = try ConsoleTmuxSession(command: "sh '\(script.path)'", width: 220, height: 50)
        defer { console.stop() }

        // The metrics screen comes first (no SLOs): every target's row names its fault.
        let metrics = console.waitFor(timeout: 90) { screen in
            targets.cases.allSatisfy { c in Self.row(screen, c.job + " ").map { $0.hasPrefix("DOWN") && $0.contains(c.shows) } == true }
                && Self.row(screen, "good ")?.hasPrefix("up") == true
        }
        for c in targets.cases {
            let row = Self.row(metrics.screen, c.job + " ") ?? "(no row)"
            #expect(row.hasPrefix("DOWN") && row.contains(c.shows), "\(c.job): expected DOWN and '\(c.shows)', row: \(row)")
        }
        #expect(metrics.screen.contains("TARGETS  1/\(targets.cases.count + 1) up"), "target count:\n\(metrics.screen)")

        // The logs screen (a key draws it), then the file faults.
        console.send("3")
        let logsScreen = console.waitFor(timeout: 20) { Self.healthRow($0, "never.sh")?.contains("following") == true }
        #expect(logsScreen.matched, "logs screen not drawn:\n\(logsScreen.screen)")
        try logs.breakFiles()
        let truncated = console.waitFor(timeout: 20) { Self.row($0, "truncated.log")?.contains("file truncated") == true }
        #expect(truncated.matched, "truncation not named:\n\(truncated.screen)")
        try TestFiles.append(logs.path("truncated.log"), [#"{"level":"info","msg":"AFTER-TRUNCATE"}"#])
        let filled = logs.fillDisk()
        if logs.tmpfs != nil { #expect(filled, "the tmpfs did not fill up") }

        var expected: [(String, String)] = [
            ("deleted.log", "file deleted or renamed"), ("rotated.log", "file rotated"), ("truncated.log", "file truncated"),
            ("directory.log", "is a directory"), ("dies.sh", "command exited with status 3"), ("flood.sh", "stderr: stderr flood"),
            ("never.sh", "following"),
        ]
        if logs.tmpfs != nil { expected.append(("full.log", "file system full")) }
        let health = console.waitFor(timeout: 60) { screen in
            expected.allSatisfy { Self.healthRow(screen, $0.0)?.contains($0.1) == true }
        }
        for (source, text) in expected {
            let row = Self.healthRow(health.screen, source) ?? "(no row)"
            #expect(row.contains(text), "\(source): expected '\(text)', row: \(row)")
        }
        // The lines written after the rotation and the truncation were read (filtered out of the full disk's many).
        console.send("/")
        console.send("msg~AFTER", literal: true)
        console.send("Enter")
        let afterLines = console.waitFor(timeout: 20) { $0.contains("AFTER-ROTATE") && $0.contains("AFTER-TRUNCATE") }
        #expect(afterLines.matched, "lines after rotation and truncation missing:\n\(afterLines.screen)")

        // Still responsive after all of it: each key draws its screen.
        console.send("1")
        let again = console.waitFor(timeout: 20) { $0.contains("TARGETS  1/") }
        #expect(again.matched, "metrics screen not drawn again:\n\(again.screen)")
        console.send("3")
        let logsAgain = console.waitFor(timeout: 20) { Self.healthRow($0, "dies.sh") != nil }
        #expect(logsAgain.matched, "logs screen not drawn again:\n\(logsAgain.screen)")

        // The signal ends it: exit status 128+n, terminal modes as before, alternate screen off, no command left.
        let pidText = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(Int32(pidText))
        #expect(kill(pid, signal) == 0)
        let died = console.waitFor(text: "DIED", timeout: 20)
        #expect(died.screen.contains("DIED \(128 + signal)"), "not ended by signal \(signal):\n\(died.screen)")
        let saved = try String(contentsOfFile: before, encoding: .utf8)
        let restored = (try? String(contentsOfFile: after, encoding: .utf8)) ?? ""
        #expect(!saved.isEmpty && saved == restored, "terminal modes differ after signal \(signal)")
        let alternate = (try? console.run(["display-message", "-p", "-t", console.session, "#{alternate_on}"]).output) ?? ""
        #expect(alternate.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "alternate screen still on after signal \(signal)")
        let deadline = Date().addingTimeInterval(5)
        while !logs.livingCommandPids().isEmpty, Date() < deadline { usleep(50_000) }
        #expect(logs.livingCommandPids().isEmpty, "log commands outlived the console: \(logs.livingCommandPids())")
    }

    /// The logs screen's health row of the source whose name ends with `name`.
    static func healthRow(_ screen: String, _ name: String) -> String? {
        screen.split(separator: "\n").first { $0.hasPrefix("• ") && $0.contains(name + " ") }.map(String.init)
    }
}
