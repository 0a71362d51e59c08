import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program a test starts: `posix_spawn` into a process group of its own, with nothing inherited
/// beyond descriptors 0–2, waited for with `waitpid` and a deadline, stopped with its descendants.
///
/// Not Foundation's `Process`: on Linux its `isRunning` and `waitUntilExit` wait until every
/// process that inherited its internal descriptor has closed it, so a grandchild left running (a
/// log-source command, a daemon) holds the waiting test forever. Here a wait has a deadline and
/// `stop` ends the whole group.
public final class ChildProcess: @unchecked Sendable {
    /// The child's pid, also its process group id.
    public let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` (a path, or a name looked up on `$PATH`) with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: the whole environment (nil: this process's).
    ///   - currentDirectory: where it starts (nil: here).
    ///   - stdin, stdout, stderr: files opened for them; `stderr` nil shares stdout's file.
    /// - Throws: `ChildProcessError` when a file cannot be opened or the program cannot start.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: String? = nil, stdin: String = "/dev/null", stdout: String = "/dev/null",
                stderr: String? = "/dev/null") throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        if let currentDirectory, let chdir = SpawnExtensions.addChdir {
            guard chdir(&actions, currentDirectory) == 0 else { throw ChildProcessError("cannot change to \(currentDirectory)") }
        }
        if let closeFrom = SpawnExtensions.addCloseFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The test runner's threads block some signals; children start with none blocked, default
        // actions, and a group of their own so that `stop` reaches their descendants.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGWINCH, SIGPIPE, SIGCHLD, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        if currentDirectory != nil, SpawnExtensions.addChdir == nil { throw ChildProcessError("this libc cannot spawn in a folder") }
        var child: pid_t = 0
        let rc: Int32 = argv.withUnsafeBufferPointer { args in
            let run = { (env: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32 in
                executable.contains("/")
                    ? posix_spawn(&child, executable, &actions, &attributes, args.baseAddress!, env)
                    : posix_spawnp(&child, executable, &actions, &attributes, args.baseAddress!, env)
            }
            if let envp { return envp.withUnsafeBufferPointer { run($0.baseAddress!) } }
            return run(UnsafePointer(environ))
        }
        guard rc == 0 else { throw ChildProcessError("cannot start \(executable): \(String(cString: strerror(rc)))") }
        pid = child
    }

    deinit { if isRunning { stop(grace: 0) } }

    /// Whether the child has not exited yet (reaps it when it has).
    public var isRunning: Bool { exitStatus == nil }

    /// The exit status (128 + n for a signal n) once the child has exited, else nil.
    public var exitStatus: Int32? {
        lock.lock()
        defer { lock.unlock() }
        if status == nil { status = reap(block: false) }
        return status
    }

    /// Waits at most `timeout` seconds for the child to exit; returns its status, or nil if it still runs.
    @discardableResult
    public func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = exitStatus { return status }
            if Date() >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Sends `signal` to the child's whole group.
    public func signal(_ signal: Int32) { _ = killpg(pid, signal) }

    /// Sends SIGTERM to the group, waits `grace` seconds, then SIGKILLs what is left; returns the status.
    @discardableResult
    public func stop(grace: TimeInterval = 10) -> Int32 {
        if isRunning {
            signal(SIGTERM)
            if wait(timeout: grace) == nil { signal(SIGKILL) }
        }
        lock.lock()
        defer { lock.unlock() }
        if status == nil { status = reap(block: true) }
        return status ?? -1
    }

    /// Reaps the child (caller holds `lock`); once it has exited, descendants that outlived it (the
    /// group id stays theirs until they end) are killed at once, before the number can be reused.
    private func reap(block: Bool) -> Int32? {
        var raw: Int32 = 0
        let rc = waitpid(pid, &raw, block ? 0 : WNOHANG)
        if rc == 0 { return nil }
        _ = killpg(pid, SIGKILL)
        if rc < 0 { return -1 }
        return raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
    }
}

/// glibc's `posix_spawn` extensions that Swift's Glibc module does not import, looked up at run time.
enum SpawnExtensions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias Chdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34).
    static let addCloseFrom: CloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }
    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29).
    static let addChdir: Chdir? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: Chdir.self) }
}

/// A test's child process could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
