import BurnwatchTestSupport
import Foundation
import Testing

/// `scripts/install.sh` (what `make install` runs) into a temporary PREFIX, with the binary the
/// tests built (a release build and the man page are left to `make install` itself); the
/// installed command then runs from another directory with its bundled runbooks.
@Suite(.serialized) struct InstallTests {
    @Test func installedBinaryRunsFromAnywhere() throws {
        let prefix = try TestPaths.makeTemporaryDirectory("bw-prefix")
        let elsewhere = try TestPaths.makeTemporaryDirectory("bw-elsewhere")
        defer { try? FileManager.default.removeItem(at: prefix); try? FileManager.default.removeItem(at: elsewhere) }
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/install.sh").path
        let bin = TestPaths.binary.deletingLastPathComponent().path
        let install = try ProcessRunner.run("/usr/bin/env", ["PREFIX=\(prefix.path)", "BURNWATCH_BIN=\(bin)", "BURNWATCH_NO_MAN=1", "bash", script],
                                            timeout: 120)
        #expect(install.status == 0, "\(install.stderrText)")
        let installed = prefix.appendingPathComponent("bin/burnwatch").path
        #expect(FileManager.default.isExecutableFile(atPath: installed))
        for completion in ["share/bash-completion/completions/burnwatch", "share/zsh/site-functions/_burnwatch",
                           "share/fish/vendor_completions.d/burnwatch.fish"] {
            let text = (try? String(contentsOf: prefix.appendingPathComponent(completion), encoding: .utf8)) ?? ""
            #expect(text.contains("watch") && text.contains("eval"), "\(completion)")
        }
        #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent("lib/burnwatch/burnwatch_BurnwatchRunbookFiles.resources").path))

        // From another directory: --help, then the bundled runbooks (headless and in tmux).
        let help = try ProcessRunner.run("/bin/sh", ["-c", "cd \(elsewhere.path) && \(installed) --help"])
        #expect(help.status == 0 && help.stdoutText.contains("USAGE: burnwatch"))
        let search = try ProcessRunner.run("/bin/sh", ["-c", "cd \(elsewhere.path) && \(installed) runbooks search 'retry storm'"])
        #expect(search.status == 0 && search.stdoutText.contains("reliability.md"), "\(search.stdoutText)\(search.stderrText)")

        let tmuxPath = try #require(TestPaths.which("tmux"), "tmux is needed (make deps)")
        let tmux = LogsConsoleTmuxTests.Tmux(tmux: tmuxPath)
        defer { tmux.kill() }
        let command = "cd \(elsewhere.path) && exec env LANG=C.UTF-8 TERM=xterm-256color HOME=\(elsewhere.path) \(installed) runbook"
        try tmux.run(["new-session", "-d", "-s", "main", "-x", "120", "-y", "40", command])
        let (ok, screen) = tmux.waitFor { $0.contains("reliability.md") && $0.contains("Runbooks") }
        #expect(ok, "the installed console shows the bundled runbooks:\n\(screen)")
        #expect(!screen.contains("bundled runbooks are missing"))
    }
}
