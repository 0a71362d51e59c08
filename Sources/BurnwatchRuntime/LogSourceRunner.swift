import BurnwatchCore
import BurnwatchParsing
import Foundation

/// What to read logs from (the config loader builds these from `logs:` entries).
public enum LogSourceSpec: Sendable, Equatable {
    /// Files matching a glob, followed across rotation; `fromStart` reads existing files from their start.
    case files(glob: String, fromStart: Bool)
    /// A command given as argv, restarted when it exits.
    case command(argv: [String], name: String?)
    /// Standard input.
    case stdin
}

/// Runs several log sources at once, each on its own thread, into one bounded queue.
///
/// Files are polled every `pollInterval`; commands and stdin block on their own threads.
/// `stop()` ends every thread (and terminates running commands) and waits for them.
public final class LogSourceRunner: @unchecked Sendable {
    public let queue: LogSourceQueue
    public let pollInterval: TimeInterval
    private let lock = NSLock()
    private var stopping = false
    private var threads: [Thread] = []
    private var commands: [LogCommandSource] = []
    private let done = DispatchGroup()

    /// Creates a runner feeding `queue`.
    public init(queue: LogSourceQueue = LogSourceQueue(), pollInterval: TimeInterval = 0.1) {
        self.queue = queue; self.pollInterval = pollInterval
    }

    private var isStopping: Bool { lock.lock(); defer { lock.unlock() }; return stopping }

    /// Starts one source.
    public func start(_ spec: LogSourceSpec, maxLineLength: Int = LineSplitter.defaultMaxLineLength) {
        let queue = self.queue
        done.enter()
        let thread: Thread
        switch spec {
        case .files(let glob, let fromStart):
            let follower = LogFileFollower(pattern: glob, start: fromStart ? .beginning : .end, maxLineLength: maxLineLength)
            let interval = pollInterval
            thread = Thread { [weak self] in
                defer { self?.done.leave() }
                while let self, !self.isStopping {
                    follower.poll { queue.push($0) }
                    Thread.sleep(forTimeInterval: interval)
                }
            }
        case .command(let argv, let name):
            let source = LogCommandSource(argv: argv, name: name, maxLineLength: maxLineLength)
            lock.lock(); commands.append(source); lock.unlock()
            thread = Thread { [weak self] in
                defer { self?.done.leave() }
                source.run { queue.push($0) }
            }
        case .stdin:
            let source = LogStreamSource(maxLineLength: maxLineLength)
            thread = Thread { [weak self] in
                defer { self?.done.leave() }
                source.run { queue.push($0) }
            }
        }
        thread.name = "burnwatch-log-source"
        lock.lock(); threads.append(thread); lock.unlock()
        thread.start()
    }

    /// Stops every source; waits at most `timeout` seconds for file and command threads (a blocked
    /// stdin read is left to end with the process).
    public func stop(timeout: TimeInterval = 2) {
        lock.lock()
        stopping = true
        let commands = self.commands
        lock.unlock()
        for c in commands { c.stop() }
        _ = done.wait(timeout: .now() + timeout)
    }
}
