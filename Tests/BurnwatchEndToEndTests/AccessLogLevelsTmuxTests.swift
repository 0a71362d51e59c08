import BurnwatchTestSupport
import Foundation
import Testing

/// A real HAProxy JSON access log (the fixture, written by HAProxy's `log-format`) in the real
/// console in tmux: lines without a level take it from their status, so failed requests show as
/// errors and `e` jumps to one. Run `swift build` first.
@Suite(.serialized) struct AccessLogLevelsTmuxTests {
    typealias Tmux = LogsConsoleTmuxTests.Tmux

    @Test func haproxyFailuresAreErrorsAndEJumpsToOne() throws {
        let tmuxPath = try #require(TestPaths.which("tmux"), "tmux is needed (make deps)")
        var fixtures = TestPaths.sharedFixtures
        if !FileManager.default.fileExists(atPath: fixtures.path) { fixtures = URL(fileURLWithPath: "/work/shared/fixtures") }
        let log = fixtures.appendingPathComponent("logs/haproxy.jsonl").path
        let dir = try TestPaths.makeTemporaryDirectory("burnwatch-access-levels")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tmux = Tmux(tmux: tmuxPath)
        defer { tmux.kill() }
        let command = "cd \(dir.path) && exec env LANG=C.UTF-8 TERM=xterm-256color \(TestPaths.binary.path) watch --logs \(log) --logs-from-start 2>\(dir.path)/stderr.txt"
        try tmux.run(["new-session", "-d", "-s", "main", "-x", "140", "-y", "40", command])
        var (ok, screen) = tmux.waitFor { $0.contains("362/362 lines") }
        try #require(ok, "console did not load the log:\n\(screen)")
        let rows = LogsConsoleTmuxTests.listRows(screen)
        #expect(!rows.isEmpty)
        for row in rows {
            if row.contains(" 503 ") { #expect(row.contains("ERR"), "\(row)") }
            if row.contains(" 200 ") { #expect(row.contains("INF"), "\(row)") }
            #expect(!row.contains("---"), "no line is left without a level: \(row)")
        }
        // From the top, `e` selects the first failed request; the detail pane shows its status.
        try tmux.run(["send-keys", "-t", "main", "g"])
        try tmux.run(["send-keys", "-t", "main", "d"])
        try tmux.run(["send-keys", "-t", "main", "e"])
        (ok, screen) = tmux.waitFor { $0.contains(#""status": 503"#) }
        #expect(ok, "e selects a 503:\n\(screen)")
    }
}
