import BurnwatchTestSupport
import Foundation

/// A `burnwatch` console running in a detached tmux session, for end-to-end screen tests.
final class WatchTmux {
    let name: String
    let tmux: String

    /// Starts `command` in a new detached session of `width × height`.
    init(command: [String], width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        guard let tmux = TestPaths.which("tmux") else { throw WatchTestError("tmux is not installed (make deps)") }
        self.tmux = tmux
        name = "bw-watch-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        var args = ["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height)]
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(k)=\(v)"] }
        args.append(command.map(Self.quote).joined(separator: " "))
        let result = try ProcessRunner.run(tmux, args, timeout: 10)
        guard result.status == 0 else { throw WatchTestError("tmux new-session failed: \(result.stderrText)") }
    }

    /// The visible screen as text.
    func capture() -> String {
        (try? ProcessRunner.run(tmux, ["capture-pane", "-p", "-t", name], timeout: 10).stdoutText) ?? ""
    }

    /// Sends keys (tmux key names or literal text).
    func send(_ keys: String...) {
        _ = try? ProcessRunner.run(tmux, ["send-keys", "-t", name] + keys, timeout: 10)
    }

    /// Polls the screen until `condition` holds or `timeout` seconds pass; returns the last screen.
    @discardableResult
    func wait(timeout: TimeInterval, until condition: (String) -> Bool) -> (matched: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !condition(screen) {
            if Date() > deadline { return (false, screen) }
            usleep(250_000)
            screen = capture()
        }
        return (true, screen)
    }

    /// Ends the session (and the console in it).
    func kill() {
        _ = try? ProcessRunner.run(tmux, ["kill-session", "-t", name], timeout: 10)
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// A test precondition that failed (a missing tool, a server that did not start).
struct WatchTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A real `prometheus-node-exporter` on a free loopback port with only fast collectors.
final class NodeExporterProcess {
    let port: Int
    private let process = Process()

    init() throws {
        guard let binary = TestPaths.which("prometheus-node-exporter") else {
            throw WatchTestError("prometheus-node-exporter is not installed (make deps)")
        }
        port = FreePort.next()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults",
                             "--collector.loadavg", "--collector.meminfo", "--collector.time"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard FreePort.waitUntilListening(port, timeout: 15) else {
            stop()
            throw WatchTestError("node_exporter did not listen on \(port)")
        }
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// Counters that a test server serves and a test changes: each scrape adds 100 requests, and
/// `errorsPerScrape` of them fail with a 500.
final class ChangingCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var errors = 0
    private var errorsPerScrape = 0

    func setErrorsPerScrape(_ n: Int) { lock.lock(); errorsPerScrape = n; lock.unlock() }

    /// The next exposition body (text 0.0.4).
    func nextBody() -> [UInt8] {
        lock.lock()
        total += 100
        errors += errorsPerScrape
        let body = """
            # HELP http_requests_total Requests by status code.
            # TYPE http_requests_total counter
            http_requests_total{code="200"} \(total - errors)
            http_requests_total{code="500"} \(errors)
            # TYPE app_info gauge
            app_info{version="1.2.3",note="tab\\there \\"quoted\\""} 1

            """
        lock.unlock()
        return Array(body.utf8)
    }
}
