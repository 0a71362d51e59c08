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

    @Test func overlayOnBundledAndTheBundledDefaultRun() throws {
        let bundled = try ProcessRunner.burnwatch(["runbooks", "lint"])
        // The bundled runbooks are whatever Runbooks/ holds; the command must run and report either way.
        #expect(bundled.status == 0 || bundled.status == 1, "\(bundled.stderrText)")
        #expect(!bundled.stdoutText.isEmpty)
    }

    @Test func listShowsSectionsAndTheSignalMap() throws {
        let good = Self.fixtures.appendingPathComponent("good").path
        let result = try ProcessRunner.burnwatch(["runbooks", "list", "--no-bundled", "--runbooks", good])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("errors.md — Errors"))
        #expect(result.stdoutText.contains("#retry-storms  [2 items]  signals: retry_storm"))
        #expect(result.stdoutText.contains("retry_storm            errors.md#retry-storms"))
    }

    @Test func controlCharactersInRunbooksAreEscaped() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-runbooks-esc")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("# Evil\n\n[x](\u{1B}[2Jgone.md)\n".utf8).write(to: dir.appendingPathComponent("README.md"))
        let result = try ProcessRunner.burnwatch(["runbooks", "lint", dir.path])
        #expect(result.status == 1)
        #expect(!result.stdoutText.contains("\u{1B}"))
        #expect(result.stdoutText.contains("\\u{1b}[2Jgone.md"))
    }
}
