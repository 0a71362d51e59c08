// Every OS call of the log sources and the `logs` command: files, globs, processes, pipes.
// (Kept apart from Platform.swift, which holds the network side.)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, typed wrappers over the POSIX calls that log sources need.
public enum PlatformFiles {
    /// The identity and size of an open or named file.
    public struct FileIdentity: Equatable, Sendable {
        public var device: UInt64
        public var inode: UInt64
        public var size: Int64
    }

    /// Opens a file for reading; returns the descriptor or `nil` (with `errno` text in `error`).
    public static func openForReading(_ path: String, error: inout String) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { error = errorText(); return nil }
        return fd
    }

    /// Opens (creating it, mode 0600) a file for appending; returns the descriptor or `nil` (with `errno` text in `error`).
    public static func openForAppending(_ path: String, error: inout String) -> Int32? {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if fd < 0 { error = errorText(); return nil }
        return fd
    }

    /// Reads up to `count` bytes into `buffer`; returns the count (0 at end), or -1 on error.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }

    /// Reads a whole file into one array sized from the file's length, so that the bytes are held once.
    ///
    /// - Returns: the bytes, or `nil` with `errno` text in `error`.
    /// - Complexity: O(file size).
    public static func readWholeFile(_ path: String, error: inout String) -> [UInt8]? {
        guard let fd = openForReading(path, error: &error) else { return nil }
        defer { close(fd) }
        let size = Int(max(0, identity(of: fd)?.size ?? 0))
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let n = read(fd, into: buffer.baseAddress! + count, count: size - count)
                if n < 0 { failed = true; return }
                if n == 0 { return }
                count += n
            }
        }
        if failed { error = errorText(); return nil }
        // A file that grew while it was read (or reports no size, as /proc does) is read to its end.
        guard let rest = readAll(fd, error: &error) else { return nil }
        bytes += rest
        return bytes
    }

    /// Reads `fd` from where it is to its end (a pipe too).
    ///
    /// - Returns: the bytes, or `nil` with `errno` text in `error`.
    public static func readAll(_ fd: Int32, error: inout String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = block.withUnsafeMutableBytes { read(fd, into: $0.baseAddress!, count: $0.count) }
            if n < 0 { error = errorText(); return nil }
            if n == 0 { return bytes }
            bytes.append(contentsOf: block[0..<n])
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes; returns false on error (e.g. a closed pipe).
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var p = bytes.baseAddress else { return true }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 { if errno == EINTR { continue }; return false }
            left -= n
            p += n
        }
        return true
    }

    /// Closes a descriptor.
    public static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Moves the read position; returns the new offset or -1.
    @discardableResult
    public static func seek(_ fd: Int32, to offset: Int64) -> Int64 { Int64(lseek(fd, off_t(offset), SEEK_SET)) }

    /// The identity of an open descriptor.
    public static func identity(of fd: Int32) -> FileIdentity? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size))
    }

    /// The identity of a path (following symlinks), or `nil` when it does not exist.
    public static func identity(ofPath path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size))
    }

    /// Bytes an unprivileged writer may still add to the file system holding `fd`, or nil when unknown.
    public static func freeBytes(of fd: Int32) -> Int64? {
        var st = statvfs()
        guard fstatvfs(fd, &st) == 0 else { return nil }
        return Int64(st.f_bavail) * Int64(st.f_frsize)
    }

    /// Whether a path names a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// The paths matching a shell glob (sorted), or the pattern itself when it has no glob characters.
    public static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) { if let p = g.gl_pathv[i] { out.append(String(cString: p)) } }
        return out.sorted()
    }

    /// The number of processors online.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The text of the current `errno`.
    public static func errorText() -> String { String(cString: strerror(errno)) }

    /// A child process started with `posix_spawnp` (argv, never a shell), stdout and stderr as pipes.
    public struct SpawnedProcess: Sendable {
        public var pid: Int32
        public var stdout: Int32
        public var stderr: Int32
    }

    /// Starts `argv[0]` found on `$PATH` with `argv`, stdin from /dev/null, stdout and stderr piped.
    ///
    /// - Throws: `BurnwatchError` `.io` when the program cannot be started (e.g. it does not exist).
    public static func spawn(_ argv: [String]) throws -> SpawnedProcess {
        guard !argv.isEmpty else { throw BurnwatchErrorShim.io("empty command") }
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        guard pipe(&out) == 0 else { throw BurnwatchErrorShim.io("pipe: \(errorText())") }
        guard pipe(&err) == 0 else { Glibc.close(out[0]); Glibc.close(out[1]); throw BurnwatchErrorShim.io("pipe: \(errorText())") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        posix_spawn_file_actions_addclose(&actions, out[0])
        posix_spawn_file_actions_addclose(&actions, err[0])
        // The command inherits nothing else (the journal, sockets, other commands' pipes): a
        // command that outlives burnwatch must not hold its files or keep a waiter waiting.
        if let closeFrom = addCloseFrom { _ = closeFrom(&actions, 3) }
        // The child starts with no blocked signals and default actions for the ones burnwatch
        // changes (an ignored SIGPIPE would otherwise be inherited across exec).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // A process group of its own, so that `terminate` reaches what the command starts (a
        // shell's children) and nothing of it outlives burnwatch.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, environ)
        Glibc.close(out[1]); Glibc.close(err[1])
        if rc != 0 {
            Glibc.close(out[0]); Glibc.close(err[0])
            throw BurnwatchErrorShim.io("cannot start '\(argv[0])': \(String(cString: strerror(rc)))")
        }
        _ = fcntl(out[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(err[0], F_SETFD, FD_CLOEXEC)
        return SpawnedProcess(pid: pid, stdout: out[0], stderr: err[0])
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), which the Glibc module does not import.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self) }

    /// Reaps a child if it has exited; returns its exit status (or 128+signal), or `nil` while it runs.
    public static func reap(_ pid: Int32, wait: Bool) -> Int32? {
        var status: Int32 = 0
        let rc = waitpid(pid, &status, wait ? 0 : WNOHANG)
        guard rc == pid else { return rc < 0 ? -1 : nil }
        if status & 0x7F == 0 { return (status >> 8) & 0xFF }
        return 128 + (status & 0x7F)
    }

    /// Sends SIGTERM (or SIGKILL) to a spawned command's process group (the command and what it started).
    public static func terminate(_ pid: Int32, force: Bool = false) { _ = killpg(pid, force ? SIGKILL : SIGTERM) }

    /// Waits until `fd` is readable or `milliseconds` pass; returns true when readable (or hung up).
    public static func waitReadable(_ fds: [Int32], milliseconds: Int32) -> [Bool] {
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let rc = poll(&polls, nfds_t(polls.count), milliseconds)
        guard rc > 0 else { return fds.map { _ in false } }
        return polls.map { $0.revents != 0 }
    }

    /// Sleeps the calling thread.
    public static func sleep(microseconds: UInt32) { usleep(microseconds) }

    /// Whether `fd` is a terminal (then untrusted text written to it must be escaped).
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Ignores SIGPIPE so that a closed output pipe is an error return, not a crash.
    public static func ignoreBrokenPipe() { signal(SIGPIPE, SIG_IGN) }
}

import BurnwatchCore

/// Builds the `.io` errors of this file.
enum BurnwatchErrorShim {
    static func io(_ message: String) -> BurnwatchError { BurnwatchError(.io, message) }
}
