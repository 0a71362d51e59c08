import BurnwatchCore
import BurnwatchParsing
import Foundation

/// Exponential restart delays with jitter: `initial · 2^n`, capped, each multiplied by a random
/// factor in 0.5…1.5 so that many restarting sources do not move in step.
public struct LogRestartBackoff: Sendable {
    public var initial: Double
    public var maximum: Double
    private var failures = 0

    public init(initial: Double = 0.5, maximum: Double = 30) { self.initial = initial; self.maximum = maximum }

    /// The next delay in seconds; `unit` is a random number in 0..<1.
    public mutating func next(unit: Double) -> Double {
        let base = min(maximum, initial * Double(1 << min(failures, 20)))
        failures += 1
        return base * (0.5 + unit)
    }

    /// Called after a run long enough to count as healthy: the next delay starts small again.
    public mutating func reset() { failures = 0 }
}

/// Runs a command given as argv (never through a shell, e.g. `kubectl logs -f deploy/x`), reads
/// its stdout as log lines and its stderr as source errors, and restarts it with jittered backoff
/// when it exits or cannot be started.
public final class LogCommandSource: @unchecked Sendable {
    public let argv: [String]
    public let name: String
    public let maxLineLength: Int
    private var backoff: LogRestartBackoff
    private let stopLock = NSLock()
    private var stopping = false
    private var stoppedAt: Date?
    private var childPID: Int32 = 0
    /// Seconds a command has to end after SIGTERM before its group gets SIGKILL.
    static let stopGrace: TimeInterval = 1

    /// Creates a command source.
    ///
    /// - Parameters:
    ///   - argv: the program and its arguments.
    ///   - name: the source name shown with its lines and errors (default: the argv joined).
    public init(argv: [String], name: String? = nil, maxLineLength: Int = LineSplitter.defaultMaxLineLength,
                backoff: LogRestartBackoff = LogRestartBackoff()) {
        self.argv = argv
        self.name = name ?? argv.joined(separator: " ")
        self.maxLineLength = maxLineLength
        self.backoff = backoff
    }

    /// Asks `run` to return; the running child gets SIGTERM.
    public func stop() {
        stopLock.lock()
        stopping = true
        if stoppedAt == nil { stoppedAt = Date() }
        let pid = childPID
        stopLock.unlock()
        if pid > 0 { PlatformFiles.terminate(pid) }
    }

    private var isStopping: Bool { stopLock.lock(); defer { stopLock.unlock() }; return stopping }

    /// Whether `stop()` was called more than `stopGrace` seconds ago (the command ignored SIGTERM).
    private var graceIsOver: Bool {
        stopLock.lock(); defer { stopLock.unlock() }
        return stoppedAt.map { Date().timeIntervalSince($0) > Self.stopGrace } ?? false
    }

    /// Reaps the command; once `stop()`'s grace is over, its whole group gets SIGKILL first.
    private func waitForExit(_ pid: Int32) -> Int32 {
        var killed = false
        while true {
            if let status = PlatformFiles.reap(pid, wait: false) { return status }
            if !killed, graceIsOver { PlatformFiles.terminate(pid, force: true); killed = true }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Runs the command (restarting it) until `stop()`; blocking, call it on its own thread.
    public func run(_ emit: (LogSourceItem) -> Void) {
        while !isStopping {
            let started = Date()
            do {
                let child = try PlatformFiles.spawn(argv)
                stopLock.lock(); childPID = child.pid; let stopNow = stopping; stopLock.unlock()
                if stopNow { PlatformFiles.terminate(child.pid) }
                pump(child, emit)
                let status = waitForExit(child.pid)
                stopLock.lock(); childPID = 0; stopLock.unlock()
                if isStopping { return }
                emit(.error(source: name, message: "command exited with status \(status)"))
            } catch let error as BurnwatchError {
                emit(.error(source: name, message: error.message))
            } catch {
                emit(.error(source: name, message: "\(error)"))
            }
            if Date().timeIntervalSince(started) > 10 { backoff.reset() }
            let delay = backoff.next(unit: Double.random(in: 0..<1))
            emit(.notice(source: name, message: "restarting in \(LogPrettyFormatter.formatSeconds(delay))"))
            let until = Date().addingTimeInterval(delay)
            while !isStopping && Date() < until { Thread.sleep(forTimeInterval: min(0.05, max(0, until.timeIntervalSinceNow))) }
        }
    }

    private func pump(_ child: PlatformFiles.SpawnedProcess, _ emit: (LogSourceItem) -> Void) {
        var out = LineSplitter(maxLineLength: maxLineLength)
        var err = LineSplitter(maxLineLength: 64 * 1024)
        var openFDs = [child.stdout, child.stderr]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let source = name
        var killed = false
        while !openFDs.isEmpty {
            // A command (or a child of it holding its pipes) that ignores SIGTERM is killed.
            if !killed, graceIsOver { PlatformFiles.terminate(child.pid, force: true); killed = true }
            let ready = PlatformFiles.waitReadable(openFDs, milliseconds: 100)
            for (fd, isReady) in zip(openFDs, ready) where isReady {
                let n = buffer.withUnsafeMutableBytes { PlatformFiles.read(fd, into: $0.baseAddress!, count: $0.count) }
                if n <= 0 {
                    if fd == child.stdout { out.finish { emit(.line(source: source, bytes: Array($0), truncated: $1)) } }
                    else { err.finish { line, _ in emit(.error(source: source, message: "stderr: " + TerminalEscaping.escape(String(decoding: line, as: UTF8.self)))) } }
                    PlatformFiles.close(fd)
                    openFDs.removeAll { $0 == fd }
                    continue
                }
                buffer.withUnsafeBytes { raw in
                    let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<n])
                    if fd == child.stdout {
                        out.feed(chunk) { emit(.line(source: source, bytes: Array($0), truncated: $1)) }
                    } else {
                        err.feed(chunk) { line, _ in
                            emit(.error(source: source, message: "stderr: " + TerminalEscaping.escape(String(decoding: line, as: UTF8.self))))
                        }
                    }
                }
            }
        }
    }
}

/// Reads log lines from a descriptor until its end (stdin by default).
public final class LogStreamSource: @unchecked Sendable {
    public let fd: Int32
    public let name: String
    public let maxLineLength: Int

    public init(fd: Int32 = 0, name: String = "stdin", maxLineLength: Int = LineSplitter.defaultMaxLineLength) {
        self.fd = fd; self.name = name; self.maxLineLength = maxLineLength
    }

    /// Reads to the end of the stream; blocking, call it on its own thread.
    public func run(_ emit: (LogSourceItem) -> Void) {
        var splitter = LineSplitter(maxLineLength: maxLineLength)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let source = name
        while true {
            let n = buffer.withUnsafeMutableBytes { PlatformFiles.read(fd, into: $0.baseAddress!, count: $0.count) }
            if n < 0 { emit(.error(source: source, message: "read: \(PlatformFiles.errorText())")); break }
            if n == 0 { break }
            buffer.withUnsafeBytes { raw in
                splitter.feed(UnsafeRawBufferPointer(rebasing: raw[0..<n])) { emit(.line(source: source, bytes: Array($0), truncated: $1)) }
            }
        }
        splitter.finish { emit(.line(source: source, bytes: Array($0), truncated: $1)) }
    }
}
