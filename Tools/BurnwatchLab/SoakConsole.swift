import BurnwatchTestSupport
import Foundation

/// `burnwatch watch` in a detached tmux session of its own (a private socket), driven by keys:
/// a key that switches screens is sent, and the pane's tab row is captured until it shows that
/// screen selected, which gives the key-to-frame time (an upper bound: it includes the tmux client
/// round trips, `pollMilliseconds` on average).
final class SoakConsole {
    let tmux: String
    let socket: String
    let session = "soak"
    let directory: String
    /// How each screen's tab is drawn while selected (escapes and ` N `), by the key that selects it.
    private(set) var tabRows: [String: String] = [:]
    /// The keys that select screens, in the order they are pressed.
    private(set) var keys: [String] = []
    private var captures = 0
    private var captureSeconds = 0.0

    /// Starts `command` in a `width`×`height` window.
    ///
    /// - Throws: when tmux is missing or the session cannot start.
    init(command: String, directory: String, width: Int = 120, height: Int = 40) throws {
        guard let tmux = TestPaths.which("tmux") else { throw SoakError("tmux is not installed (make deps)") }
        self.tmux = tmux
        self.directory = directory
        socket = "bw-soak-\(ProcessInfo.processInfo.processIdentifier)"
        let result = try run(["new-session", "-d", "-s", session, "-x", String(width), "-y", String(height), command])
        guard result.status == 0 else { throw SoakError("tmux new-session failed: \(result.output)") }
    }

    /// The pid of the program in the pane (the command `exec`s it), or nil when the pane is gone.
    var panePID: Int32? {
        (try? run(["list-panes", "-t", session, "-F", "#{pane_pid}"]))
            .flatMap { Int32($0.output.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The whole pane as text.
    func screen() -> String { (try? run(["capture-pane", "-p", "-t", session]))?.output ?? "" }

    /// The first row with its colour escapes: the tabs, the selected one styled apart.
    func tabRow() -> String {
        let started = Date()
        let row = (try? run(["capture-pane", "-p", "-e", "-t", session, "-S", "0", "-E", "0"]))?.output ?? ""
        captures += 1
        captureSeconds += Date().timeIntervalSince(started)
        return row
    }

    /// The mean time of one capture, in milliseconds (the resolution of the key-to-frame times).
    var pollMilliseconds: Double { captures == 0 ? 0 : captureSeconds / Double(captures) * 1000 }

    func send(_ key: String) { _ = try? run(["send-keys", "-t", session, key]) }

    /// Presses each screen's key (1 … `screens`) and keeps how its selected tab is drawn: the
    /// escapes right before ` N ` (titles change, `Signals (2)`, so whole rows are not compared).
    ///
    /// - Throws: when a screen's selected tab is drawn as it is when another screen is selected.
    func learnScreens(_ screens: Int) throws {
        var rows: [String: String] = [:]
        for i in 1...screens {
            send(String(i))
            Thread.sleep(forTimeInterval: 1.5)
            let key = String(i), row = tabRow()
            rows[key] = row
            guard let tab = row.range(of: " \(key) "), let escape = row[..<tab.lowerBound].range(of: "\u{1b}[", options: .backwards) else {
                throw SoakError("no tab \(key) in the console's first row: \(row)")
            }
            var start = escape.lowerBound
            // the whole run of escapes before the tab
            while let previous = row[..<start].range(of: "\u{1b}[", options: .backwards),
                  !row[previous.upperBound..<start].contains(where: { $0 == " " || $0 == "\u{2502}" }) { start = previous.lowerBound }
            tabRows[key] = String(row[start..<tab.upperBound])
        }
        keys = (1...screens).map(String.init)
        for (key, marker) in tabRows {
            for (other, row) in rows where other != key && row.contains(marker) {
                throw SoakError("screen \(key)'s selected tab looks the same while screen \(other) is selected")
            }
        }
        send("1")
        Thread.sleep(forTimeInterval: 1)
    }

    /// Sends `key` and waits (at most `timeout` s) until the tab row shows its screen; returns the seconds, or nil.
    func keyToFrame(_ key: String, timeout: TimeInterval = 5) -> Double? {
        guard let expected = tabRows[key] else { return nil }
        let started = Date()
        send(key)
        while Date().timeIntervalSince(started) < timeout {
            if tabRow().contains(expected) { return Date().timeIntervalSince(started) }
        }
        return nil
    }

    /// Kills the tmux server and with it the console.
    func stop() { _ = try? run(["kill-server"]) }

    /// Starts `burnwatch watch --config configPath` in a new console, its stats going to
    /// `directory/stats.jsonl` and its stderr to `directory/stderr.log`, and waits until it runs.
    ///
    /// - Returns: the console (the caller stops it), burnwatch's pid and the stats file's path.
    /// - Throws: `SoakError` when burnwatch does not start, with its screen and stderr.
    static func startWatch(burnwatch: String, configPath: String, directory dir: String) throws -> (SoakConsole, Int32, String) {
        let statsPath = dir + "/stats.jsonl"
        let command = "exec '\(burnwatch)' watch --config '\(configPath)' --stats-file '\(statsPath)' --journal '\(dir)/journal.sqlite'"
            + " 2>'\(dir)/stderr.log'"
        let console = try SoakConsole(command: command, directory: dir)
        Thread.sleep(forTimeInterval: 2)
        guard let pid = console.panePID, SoakSystem.isAlive(pid) else {
            let screen = console.screen()
            console.stop()
            throw SoakError("burnwatch did not start: \(screen)\n" + ((try? String(contentsOfFile: dir + "/stderr.log", encoding: .utf8)) ?? ""))
        }
        return (console, pid, statsPath)
    }

    /// Runs the tmux client (stdin /dev/null, output to a file) and waits for it, at most 30 s.
    @discardableResult
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let out = "\(directory)/tmux-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let client = try ChildProcess(tmux, ["-L", socket, "-f", "/dev/null"] + arguments, stdout: out, stderr: nil)
        guard let status = client.wait(timeout: 30) else {
            client.stop(grace: 0)
            throw SoakError("tmux \(arguments.first ?? "") did not answer in 30 s")
        }
        return (status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
    }
}
