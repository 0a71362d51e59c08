import BurnwatchTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tmux server of its own (unique socket) running one command in a detached session: for
/// end-to-end tests of the real console. The server is always killed by `stop()` (call it in defer).
final class ConsoleTmuxSession {
    let socket: String
    let session = "bw"
    let tmux: String

    /// Starts `command` (run by `sh -c` inside tmux) in a `width`×`height` window.
    init(command: String, width: Int = 120, height: Int = 40) throws {
        guard let tmux = TestPaths.which("tmux") else { throw TmuxError("tmux is not installed (make deps)") }
        self.tmux = tmux
        socket = "bw-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let result = try run(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command])
        guard result.status == 0 else { throw TmuxError("tmux new-session failed: \(result.output)") }
    }

    /// Kills the tmux server (and with it the command).
    func stop() { TmuxServer.kill { try self.run($0).output } }

    /// Runs the tmux client with `arguments` and waits for it (at most 30 s).
    ///
    /// Not `Process`: the tmux server the first client forks would inherit Foundation's internal
    /// descriptors and keep `waitUntilExit` from returning (see `ChildProcess`).
    @discardableResult
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try TmuxClient.run(tmux, ["-L", socket, "-f", "/dev/null"] + arguments)
    }

    /// The pane's text (`escapes`: with colour and attribute escape sequences).
    func capture(escapes: Bool = false) -> String {
        let result = try? run(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
        return result?.output ?? ""
    }

    /// Sends keys as tmux names them (`Space`, `Enter`, `C-z`) or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) {
        _ = try? run(["send-keys", "-t", session] + (literal ? ["-l"] : []) + keys)
    }

    /// Resizes the window (and pane) to `width`×`height`.
    func resize(width: Int, height: Int) {
        _ = try? run(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// Polls the pane until `predicate` holds, up to `timeout` seconds; returns the last capture and whether it held.
    @discardableResult
    func waitFor(timeout: TimeInterval = 20, _ predicate: (String) -> Bool) -> (matched: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !predicate(screen) {
            if Date() > deadline { return (false, screen) }
            usleep(100_000)
            screen = capture()
        }
        return (true, screen)
    }

    /// Waits until the pane shows `text`.
    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 20) -> (matched: Bool, screen: String) {
        waitFor(timeout: timeout) { $0.contains(text) }
    }
}

/// Runs a tmux client with stdin from /dev/null and stdout+stderr into a temporary file.
enum TmuxClient {
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 30) throws -> (status: Int32, output: String) {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("bw-tmux-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        // A child process of its own: the server the first client forks inherits none of the test
        // runner's descriptors, and its signals start unblocked.
        let client = try ChildProcess(executable, arguments, stdout: outPath, stderr: nil)
        guard let status = client.wait(timeout: timeout) else {
            client.stop(grace: 0)
            throw TmuxError("\(executable) \(arguments.joined(separator: " ")) timed out")
        }
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        return (status > 127 ? -1 : status, output)
    }
}

/// Ends a test's tmux server for sure, whatever its panes do with SIGHUP.
enum TmuxServer {
    /// `kill-server`; then SIGKILL to the panes' process groups and the server if they linger 2 s.
    static func kill(_ run: ([String]) throws -> String) {
        let pids = ((try? run(["list-panes", "-a", "-F", "#{pid} #{pane_pid}"])) ?? "")
            .split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { pid_t($0) }
        _ = try? run(["kill-server"])
        let deadline = Date().addingTimeInterval(2)
        while pids.contains(where: { Glibc.kill($0, 0) == 0 }), Date() < deadline { usleep(20_000) }
        for pid in Set(pids) where Glibc.kill(pid, 0) == 0 {
            _ = killpg(pid, SIGKILL)
            _ = Glibc.kill(pid, SIGKILL)
        }
    }
}

struct TmuxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A folder of small runbooks for the console tests (independent of the bundled ones).
enum ConsoleFixtures {
    static let reliability = """
        # Reliability

        How to keep a service up when its dependencies fail. See [errors](errors.md#taxonomy).

        ## Retry storms
        <!-- burnwatch:signals retry_storm -->

        Retries multiply load: a **retry storm** happens when every layer retries *independently*.

        - [ ] Retries are below 10% of requests
        - [ ] Every retry loop has a budget
        - [ ] Jittered backoff is in place

        > Retry only idempotent requests.

        ## Timeouts

        Budget: 中文 — ok.

        - [ ] Every outbound call has a deadline

        """
    static let errors = """
        # Errors

        ## Taxonomy

        - [ ] Errors are classified

        """

    /// Writes the runbooks into a fresh temporary folder; returns (folder, journal path).
    static func make() throws -> (directory: URL, journal: String) {
        let root = try TestPaths.makeTemporaryDirectory("bw-console")
        let runbooks = root.appendingPathComponent("runbooks")
        try FileManager.default.createDirectory(at: runbooks, withIntermediateDirectories: true)
        try reliability.write(to: runbooks.appendingPathComponent("reliability.md"), atomically: true, encoding: .utf8)
        try errors.write(to: runbooks.appendingPathComponent("errors.md"), atomically: true, encoding: .utf8)
        return (root, root.appendingPathComponent("journal.sqlite").path)
    }

    /// The shell command that runs the console on `target`, then prints its exit status and lingers.
    static func command(target: String, root: URL, journal: String, environment: String = "") -> String {
        let binary = TestPaths.binary.path
        return "\(environment) USER=tester '\(binary)' runbook '\(target)' --runbooks '\(root.path)/runbooks' --journal '\(journal)';"
            + " echo \"EXITED $?\"; sleep 120"
    }
}
