import BurnwatchCore
import BurnwatchTestSupport
import Foundation
import Testing

/// Every headless command that prints text from input, run on a real terminal (a tmux pane) over
/// hostile input: nothing reaches the terminal raw (no escape in `capture-pane -e`, the pane title
/// unchanged, the screen not cleared), and the hostile bytes show as readable escapes.
/// Piped, `logs` stays byte for byte. Run `swift build` first.
@Suite(.serialized) struct TerminalEscapeTmuxTests {
    /// Writes the hostile inputs into a fresh folder: a log file, a metrics file and a runbook.
    static func makeInputs() throws -> URL {
        let dir = try TestPaths.makeTemporaryDirectory("bw-hostile")
        // Long lines of 16 KiB on the terminal: tmux keeps 2,000 rows of history, and the 1 MiB lines
        // (which only wrap more) go through the piped and escaping tests below.
        try Data(HostileText.logLines(count: 1000, longLineBytes: 16 << 10)).write(to: dir.appendingPathComponent("hostile.log"))
        var metrics: [UInt8] = []
        for (k, p) in HostileText.payloads.enumerated() {
            metrics += Array("hostile_total{case=\"\(k)\",value=\"".utf8) + HostileText.quotable(p) + Array("\"} 1 1000\n".utf8)
        }
        try Data(metrics).write(to: dir.appendingPathComponent("hostile.prom"))
        let runbooks = dir.appendingPathComponent("runbooks")
        try FileManager.default.createDirectory(at: runbooks, withIntermediateDirectories: true)
        var runbook = Array("# Hostile\n\n## Section\n\n".utf8)
        for p in HostileText.payloads { runbook += Array("findme ".utf8) + HostileText.quotable(p) + [0x0A, 0x0A] }
        try Data(runbook).write(to: runbooks.appendingPathComponent("hostile.md"))
        return dir
    }

    /// Runs `arguments` of the real binary in a tmux pane and returns (status, whole history with
    /// escapes, pane title).
    static func runOnTerminal(_ arguments: String, in dir: URL, timeout: TimeInterval = 60) throws -> (String, String, String) {
        let binary = TestPaths.binary.path
        let command = "cd '\(dir.path)' && printf 'BEGIN-MARK\\n'; '\(binary)' \(arguments); echo \"DONE-MARK $?\"; sleep 120"
        let tmux = try ConsoleTmuxSession(command: command, width: 160, height: 50)
        defer { tmux.stop() }
        let done = tmux.waitFor(text: "DONE-MARK", timeout: timeout)
        #expect(done.matched, "\(arguments) did not finish: \(done.screen.suffix(400))")
        let status = done.screen.split(separator: "\n").first { $0.hasPrefix("DONE-MARK") }.map(String.init) ?? ""
        let (history, title) = historyAndTitle(tmux)
        return (status, history, title)
    }

    /// The pane's whole history with escapes (wrapped rows joined) and its title.
    static func historyAndTitle(_ tmux: ConsoleTmuxSession) -> (String, String) {
        let history = (try? tmux.run(["capture-pane", "-p", "-e", "-J", "-S", "-", "-t", tmux.session]).output) ?? ""
        let title = (try? tmux.run(["display-message", "-p", "-t", tmux.session, "#{pane_title}"]).output) ?? ""
        return (history, title)
    }

    /// Checks one capture; the booleans are computed first so a failure does not print megabytes.
    static func expectSafe(_ arguments: String, _ history: String, _ title: String, shows visible: String) {
        let rawEscapes = history.unicodeScalars.filter { $0 == "\u{1B}" }.count
        let controls = HostileText.containsTerminalControls(history)
        let retitled = title.contains("PWNED")
        let cleared = !history.contains("BEGIN-MARK")
        let shown = history.contains(visible)
        #expect(rawEscapes == 0, "\(arguments): \(rawEscapes) raw escapes reached the terminal")
        #expect(!controls, "\(arguments): a control reached the terminal")
        #expect(!retitled, "\(arguments): the pane title changed to \(title)")
        #expect(!cleared, "\(arguments): the screen was cleared")
        #expect(shown, "\(arguments): the escaped text \(visible) is missing")
    }

    @Test(arguments: ["logs hostile.log", "logs --raw hostile.log", "logs --pretty hostile.log",
                      "logs --count-by request_id hostile.log", "logs --stats hostile.log",
                      "logs --filter 'msg~m1' hostile.log"])
    func logsModesEscapeOnATerminal(_ arguments: String) throws {
        let dir = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, history, title) = try Self.runOnTerminal(arguments, in: dir)
        #expect(status == "DONE-MARK 0", "\(arguments): \(status)")
        let visible = arguments.contains("--stats") ? "lines" : "\\x1b]"
        Self.expectSafe(arguments, history, title, shows: visible)
    }

    @Test func followedLinesEscapeOnATerminal() throws {
        let dir = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("follow.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let command = "cd '\(dir.path)' && printf 'BEGIN-MARK\\n'; '\(TestPaths.binary.path)' logs -f follow.log; sleep 120"
        let tmux = try ConsoleTmuxSession(command: command, width: 160, height: 50)
        defer { tmux.stop() }
        usleep(800_000)
        let handle = try FileHandle(forWritingTo: log)
        try handle.write(contentsOf: Data(HostileText.logLines(count: 200, longLineBytes: 4096)))
        try handle.write(contentsOf: Data("{\"msg\":\"END-OF-HOSTILE\"}\n".utf8))
        try handle.close()
        let done = tmux.waitFor(text: "END-OF-HOSTILE", timeout: 30)
        #expect(done.matched, "the followed lines did not arrive: \(done.screen.suffix(400))")
        let (history, title) = Self.historyAndTitle(tmux)
        Self.expectSafe("logs -f", history, title, shows: "\\x1b]")
    }

    /// `query` label values (JSON, `\\u001b`) and `runbooks search` lines (`\\x1b`).
    @Test(arguments: [("query --metrics hostile.prom --at 1 hostile_total", "\\u001b]0;PWNED-TITLE"),
                      ("runbooks search --runbooks runbooks findme", "\\x1b]0;PWNED-TITLE")])
    func inputTextEscapesOnATerminal(_ arguments: String, _ visible: String) throws {
        let dir = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (status, history, title) = try Self.runOnTerminal(arguments, in: dir)
        #expect(status == "DONE-MARK 0", "\(arguments): \(status)")
        Self.expectSafe(arguments, history, title, shows: visible)
    }

    @Test func errorsQuotingInputEscapeOnATerminal() throws {
        let dir = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = Data("services:\n  - name: \"a\\e]0;PWNED-TITLE\\a\"\n    bogus\u{1B}[2J: 1\n".utf8)
        try config.write(to: dir.appendingPathComponent("bad.yaml"))
        let (status, history, title) = try Self.runOnTerminal("check-config bad.yaml", in: dir)
        #expect(status == "DONE-MARK 1", "\(status)")
        Self.expectSafe("check-config", history, title, shows: "\\x1b")
        let (_, filterHistory, filterTitle) = try Self.runOnTerminal("logs --filter \"$(printf 'msg=\\033]0;PWNED-TITLE\\007 (')\" hostile.log", in: dir)
        Self.expectSafe("logs --filter error", filterHistory, filterTitle, shows: "\\x1b]0;PWNED-TITLE")
    }

    @Test func pipedLogsStayByteForByte() throws {
        let dir = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = HostileText.logLines(count: 1000, longLineBytes: 1 << 20)
        let path = dir.appendingPathComponent("small.log").path
        try Data(input).write(to: URL(fileURLWithPath: path))
        let result = try ProcessRunner.run(TestPaths.binary.path, ["logs", "--raw", "--max-line", "2000000", path])
        #expect(result.status == 0)
        let same = Array(result.stdout) == input
        #expect(same, "piped output differs")
        // The same 1 MiB lines escaped as on a terminal hold no control at all.
        var escaped: [UInt8] = []
        input.withUnsafeBytes { TerminalEscaping.appendEscaped($0, to: &escaped) }
        let text = String(decoding: escaped, as: UTF8.self)
        let controls = HostileText.containsTerminalControls(text)
        let valid = String(validating: escaped, as: UTF8.self) != nil
        #expect(!controls && valid, "escaped output still holds controls or invalid UTF-8")
    }
}
