import BurnwatchCore
import BurnwatchParsing

/// Follows the files matching a glob like `tail -F`: survives rotation by rename (the old file is
/// read to its end, then the new one from its start), copytruncate (size below the read offset:
/// read again from the start), files that are deleted, and files that appear later (read from their start).
///
/// `poll()` does one round of work and returns; a runner calls it on a timer (tests call it directly).
public final class LogFileFollower: @unchecked Sendable {
    /// Where to start in files that exist when following begins.
    public enum StartPosition: Sendable { case beginning, end }

    final class Followed {
        let path: String
        var fd: Int32
        var identity: PlatformFiles.FileIdentity
        var offset: Int64
        var splitter: LineSplitter
        /// Polls since the name stopped pointing at this file, or `nil` while it still does.
        var orphanedPolls: Int?
        /// Idle polls since the file system's free space was last checked, and whether it was full.
        var idlePolls = 0
        var diskFull = false
        init(path: String, fd: Int32, identity: PlatformFiles.FileIdentity, offset: Int64, maxLine: Int) {
            self.path = path; self.fd = fd; self.identity = identity; self.offset = offset
            splitter = LineSplitter(maxLineLength: maxLine)
        }
    }

    public let pattern: String
    public let maxLineLength: Int
    private var files: [String: Followed] = [:]
    private var missingReported: Set<String> = []
    private var started = false
    private let start: StartPosition
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    /// Creates a follower of `pattern` (a path or a glob).
    public init(pattern: String, start: StartPosition = .end, maxLineLength: Int = LineSplitter.defaultMaxLineLength) {
        self.pattern = pattern; self.start = start; self.maxLineLength = maxLineLength
    }

    deinit { for f in files.values { PlatformFiles.close(f.fd) } }

    /// Reads what is new in every followed file and notices rotation, truncation and new files.
    ///
    /// - Parameter emit: receives lines, errors and notices in file order.
    public func poll(_ emit: (LogSourceItem) -> Void) {
        let paths = PlatformFiles.glob(pattern)
        for path in paths where files[path] == nil {
            open(path, fromStart: started || start == .beginning, emit)
        }
        if paths.isEmpty && !started { emit(.error(source: pattern, message: "no file matches \(pattern) yet; waiting for it")) }
        started = true
        for path in files.keys.sorted() {
            guard let f = files[path] else { continue }
            let before = f.offset
            drain(f, emit)
            checkFreeSpace(f, grew: f.offset != before, emit)
            guard let current = PlatformFiles.identity(of: f.fd) else { continue }
            if current.size < f.offset {
                // copytruncate: the file was cut under us; read it again from the start.
                flush(f, emit)
                PlatformFiles.seek(f.fd, to: 0)
                f.offset = 0
                emit(.notice(source: path, message: "file truncated; reading from the start"))
                drain(f, emit)
            }
            let named = PlatformFiles.identity(ofPath: path)
            if let named, named.inode == f.identity.inode, named.device == f.identity.device {
                f.orphanedPolls = nil
                continue
            }
            // Renamed away or deleted. The writer may still add to the old file until it reopens,
            // so keep reading it until a new file takes the name (or it stays idle for a while).
            if named == nil {
                if f.orphanedPolls == nil {
                    f.orphanedPolls = 0
                    emit(.error(source: path, message: "file deleted or renamed; waiting for it to appear again"))
                } else {
                    f.orphanedPolls! += 1
                }
                if f.orphanedPolls! < LogFileFollower.orphanPolls { continue }
            }
            drain(f, emit)
            flush(f, emit)
            PlatformFiles.close(f.fd)
            files[path] = nil
            if named != nil {
                // A directory that took the name is no rotation: `open` says so and waits for a file.
                if !PlatformFiles.isDirectory(path) { emit(.notice(source: path, message: "file rotated; following the new file")) }
                open(path, fromStart: true, emit)
                if let g = files[path] { drain(g, emit) }
            }
        }
    }

    /// Idle polls between two checks of a quiet file's free space (about 1 s at 50 ms).
    static let freeSpacePolls = 20

    /// Says once when a quiet file's file system is full (its writer cannot add lines), and once when it has room again.
    private func checkFreeSpace(_ f: Followed, grew: Bool, _ emit: (LogSourceItem) -> Void) {
        if grew && !f.diskFull { f.idlePolls = 0; return }
        f.idlePolls += 1
        guard f.idlePolls >= Self.freeSpacePolls || f.diskFull, let free = PlatformFiles.freeBytes(of: f.fd) else { return }
        f.idlePolls = 0
        if free == 0, !f.diskFull {
            f.diskFull = true
            emit(.error(source: f.path, message: "file system full (0 bytes free): its writer cannot add lines"))
        } else if free > 0, f.diskFull {
            f.diskFull = false
            emit(.notice(source: f.path, message: "file system has free space again"))
        }
    }

    /// Polls an old file is still read after its name disappeared (about 5 s at 100 ms).
    static let orphanPolls = 50

    /// The paths being followed.
    public var followedPaths: [String] { files.keys.sorted() }

    private func open(_ path: String, fromStart: Bool, _ emit: (LogSourceItem) -> Void) {
        guard !PlatformFiles.isDirectory(path) else {
            if missingReported.insert(path).inserted { emit(.error(source: path, message: "cannot open: is a directory, not a log file; waiting for a file")) }
            return
        }
        var error = ""
        guard let fd = PlatformFiles.openForReading(path, error: &error), let id = PlatformFiles.identity(of: fd) else {
            if missingReported.insert(path).inserted { emit(.error(source: path, message: "cannot open: \(error)")) }
            return
        }
        missingReported.remove(path)
        var offset: Int64 = 0
        if !fromStart { offset = PlatformFiles.seek(fd, to: id.size) }
        files[path] = Followed(path: path, fd: fd, identity: id, offset: max(0, offset), maxLine: maxLineLength)
    }

    private func drain(_ f: Followed, _ emit: (LogSourceItem) -> Void) {
        while true {
            let n = buffer.withUnsafeMutableBytes { PlatformFiles.read(f.fd, into: $0.baseAddress!, count: $0.count) }
            if n <= 0 {
                if n < 0 { emit(.error(source: f.path, message: "read: \(PlatformFiles.errorText())")) }
                return
            }
            f.offset += Int64(n)
            let path = f.path
            buffer.withUnsafeBytes { raw in
                f.splitter.feed(UnsafeRawBufferPointer(rebasing: raw[0..<n])) { line, cut in
                    emit(.line(source: path, bytes: Array(line), truncated: cut))
                }
            }
        }
    }

    private func flush(_ f: Followed, _ emit: (LogSourceItem) -> Void) {
        let path = f.path
        f.splitter.finish { line, cut in emit(.line(source: path, bytes: Array(line), truncated: cut)) }
    }
}
