import BurnwatchCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every POSIX call of the run loop: the wall clock, the signal self-pipe, `poll`, and stopping
/// the process for ctrl-z. Nothing here touches the terminal.
public enum Platform {
    /// The wall clock as a `Timestamp` (only the Runtime reads the clock).
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// A monotonic clock in milliseconds, for timers (never shown, never recorded).
    public static func monotonicMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// The process environment.
    public static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Creates a non-blocking, close-on-exec pipe: (read end, write end).
    static func makePipe() -> (Int32, Int32)? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// Waits until one of `descriptors` is readable or `timeoutMilliseconds` pass (-1: forever).
    ///
    /// - Returns: for each descriptor, whether it is readable (all false on timeout or EINTR).
    public static func waitReadable(_ descriptors: [Int32], timeoutMilliseconds: Int32) -> [Bool] {
        var fds = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let rc = fds.withUnsafeMutableBufferPointer { buffer in
            poll(buffer.baseAddress, nfds_t(buffer.count), timeoutMilliseconds)
        }
        guard rc > 0 else { return descriptors.map { _ in false } }
        return fds.map { $0.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 }
    }

    /// Reads whatever is pending on a non-blocking descriptor (at most 256 bytes).
    static func drain(_ fd: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 256)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 256) }
        return n > 0 ? Array(bytes[0..<n]) : []
    }

    /// Writes one byte to a non-blocking descriptor (best effort; a full pipe already wakes the reader).
    static func poke(_ fd: Int32, _ byte: UInt8) {
        var value = byte
        _ = write(fd, &value, 1)
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Stops the process as the default action of SIGTSTP would, and returns once it is continued.
    static func stopSelf() {
        signal(SIGTSTP, SIG_DFL)
        raise(SIGTSTP)
    }

    /// Ends the process by `signalNumber` with its default action, so the parent sees the signal.
    public static func dieBySignal(_ signalNumber: Int32) -> Never {
        signal(signalNumber, SIG_DFL)
        raise(signalNumber)
        exit(128 + signalNumber)
    }
}

/// The write end of the signal self-pipe, read by the C signal handler (async-signal-safe: one `write`).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

private func forwardSignal(_ signalNumber: Int32) {
    var byte = UInt8(truncatingIfNeeded: signalNumber)
    _ = write(signalPipeWriteEnd, &byte, 1)
}

/// The signals the console reacts to.
public enum ConsoleSignal: Hashable, Sendable {
    /// SIGINT, SIGTERM or SIGHUP: restore the terminal and end.
    case terminate(Int32)
    /// SIGTSTP (ctrl-z): give the terminal back and stop.
    case suspend
    /// SIGCONT after a stop: take the terminal again and redraw.
    case resume
    /// SIGWINCH: the window changed size.
    case resize
}

/// Catches SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT and SIGWINCH through a self-pipe: the handler
/// only writes the signal number to a pipe, and the run loop reads it with `poll`.
///
/// Install it before the terminal is opened, so ncurses leaves these signals alone.
public final class SignalPipe {
    /// The descriptor the run loop polls.
    public let readEnd: Int32
    private let writeEnd: Int32
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGWINCH]

    /// Creates the pipe and installs the handlers.
    ///
    /// - Throws: `BurnwatchError` (`.io`) when no pipe can be made.
    public init() throws {
        guard let (r, w) = Platform.makePipe() else { throw BurnwatchError(.io, "cannot create the signal pipe") }
        readEnd = r
        writeEnd = w
        signalPipeWriteEnd = w
        for signalNumber in Self.handled { Self.install(signalNumber) }
        // A parent may have started us with these signals blocked (the mask survives exec).
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in Self.handled { sigaddset(&set, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static func install(_ signalNumber: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { forwardSignal($0) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(signalNumber, &action, nil)
    }

    /// Reads the signals that arrived since the last call.
    public func pending() -> [ConsoleSignal] {
        Platform.drain(readEnd).compactMap { byte in
            let number = Int32(byte)
            switch number {
            case SIGINT, SIGTERM, SIGHUP: return .terminate(number)
            case SIGTSTP: return .suspend
            case SIGCONT: return .resume
            case SIGWINCH: return .resize
            default: return nil
            }
        }
    }

    /// Stops the process (after the terminal was given back) and re-installs the handler once continued.
    public func stopProcess() {
        Platform.stopSelf()
        Self.install(SIGTSTP)
    }

    /// Puts the default actions back (so a later signal ends the process the usual way).
    public func uninstall() {
        for signalNumber in Self.handled { signal(signalNumber, SIG_DFL) }
    }
}
