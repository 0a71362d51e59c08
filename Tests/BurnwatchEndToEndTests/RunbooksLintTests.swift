import BurnwatchTestSupport
import Foundation
import Testing

/// `burnwatch runbooks lint` and `list`, run as the real binary (run `swift build` first).
@Suite("burnwatch runbooks lint (binary)")
struct RunbooksLintTests {
    static let fixtures = TestPaths.packageRoot.appendingPathComponent("Tests/BurnwatchRunbooksTests/Fixtures")

    @Test func goodFolderPassesWithASummary() throws {
        let result = try ProcessRunner.burnwatch(["runbooks", "lint", Self.fixtures.appendingPathComponent("good").path])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("ok: 2 runbooks") == true, "\(result.stdoutText)")
    }

    @Test func badFolderFailsNamingFileAndLine() throws {
        let bad = Self.fixtures.appendingPathComponent("bad").path
        let result = try ProcessRunner.burnwatch(["runbooks", "lint", bad])
        #expect(result.status == 1)
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(bad)/README.md:3: broken link 'nowhere.md': no runbook named 'nowhere.md'"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(bad)/README.md:17: duplicate anchor '#retry-storms'") })
        #expect(lines.contains { $0.hasPrefix("\(bad)/README.md:22: unterminated string") })
        #expect(lines.contains { $0.hasPrefix("\(bad)/errors.md:3: unknown annotation") })
        #expect(lines.contains { $0.hasPrefix("\(bad)/README.md:1: signal kind 'latency' has no section") })
        // Every line is `file:line: message`.
        let pattern = try Regex(#"^.+\.md:\d+: .+$"#)
        #expect(lines.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(lines)")
        #expect(result.stderrText.contains("\(lines.count) problems found"))
    }

    @Test func bundledRunbooksPassFromAnyDirectory() throws {
        // No DIR: the runbooks bundled as a resource; the working directory does not matter.
        let bundled = try ProcessRunner.run(TestPaths.binary.path, ["runbooks", "lint"], currentDirectory: URL(fileURLWithPath: "/"))
        #expect(bundled.status == 0, "\(bundled.stdoutText)\(bundled.stderrText)")
        #expect(bundled.stdoutText.hasPrefix("ok: "), "\(bundled.stdoutText)")
        #expect(bundled.stdoutText.contains("12/12 signal kinds answered"))
        let source = try ProcessRunner.burnwatch(["runbooks", "lint", TestPaths.packageRoot.appendingPathComponent("Runbooks").path])
        #expect(source.status == 0, "\(source.stdoutText)")
    }

    @Test func teamFolderOverlaidOnBundled() throws {
        // A team file with a new name links into the bundled runbooks: fine overlaid, broken alone.
        let team = Self.fixtures.appendingPathComponent("team-extra").path
        let overlaid = try ProcessRunner.burnwatch(["runbooks", "lint", "--with-bundled", team])
        #expect(overlaid.status == 0, "\(overlaid.stdoutText)")
        let alone = try ProcessRunner.burnwatch(["runbooks", "lint", team])
        #expect(alone.status == 1)
        #expect(alone.stdoutText.contains("\(team)/payments-team.md:7: broken link 'reliability.md#retry-storms'"), "\(alone.stdoutText)")
        // The team section answers retry_storm first, before the bundled ones.
        let list = try ProcessRunner.burnwatch(["runbooks", "list", "--runbooks", team])
        let retryLine = list.stdoutText.split(separator: "\n").first { $0.contains("retry_storm ") }
        #expect(retryLine?.contains("retry_storm            payments-team.md#card-processor-retries, ") == true, "\(retryLine ?? "")")
    }

    @Test func listShowsSectionsAndTheSignalMap() throws {
        let good = Self.fixtures.appendingPathComponent("good").path
        let result = try ProcessRunner.burnwatch(["runbooks", "list", "--no-bundled", "--runbooks", good])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("errors.md — Errors"))
        #expect(result.stdoutText.contains("#retry-storms  [2 items]  signals: retry_storm"))
        #expect(result.stdoutText.contains("retry_storm            errors.md#retry-storms"))
    }

    @Test func searchPrintsFileLineAndSection() throws {
        let team = Self.fixtures.appendingPathComponent("team-extra").path
        let result = try ProcessRunner.burnwatch(["runbooks", "search", "THROTTLES AT 200", "--runbooks", team])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText == "payments-team.md:6: #card-processor-retries: Our processor throttles at 200 requests per second. Start with the bundled\n")
        let none = try ProcessRunner.burnwatch(["runbooks", "search", "no such text anywhere 9f3a", "--in", "errors.md"])
        #expect(none.status == 1)
        #expect(none.stdoutText.isEmpty)
    }

    @Test func controlCharactersInRunbooksAreEscaped() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-runbooks-esc")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("# Evil\n\n[x](\u{1B}[2Jgone.md)\n".utf8).write(to: dir.appendingPathComponent("README.md"))
        let result = try ProcessRunner.burnwatch(["runbooks", "lint", dir.path])
        #expect(result.status == 1)
        #expect(!result.stdoutText.contains("\u{1B}"))
        #expect(result.stdoutText.contains("\\x1b[2Jgone.md"))
    }
}
