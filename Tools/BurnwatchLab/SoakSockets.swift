import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Every OS call of the soak (sockets, files, /proc, signals), kept in one place.

/// Loopback sockets for the soak's targets.
enum SoakSockets {
    /// A non-blocking listening socket on 127.0.0.1 at a port the kernel picks, and that port.
    ///
    /// - Throws: when the socket cannot be bound.
    static func listen() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard fd >= 0, bound == 0, Glibc.listen(fd, 128) == 0 else {
            let message = String(cString: strerror(errno))
            if fd >= 0 { Glibc.close(fd) }
            throw SoakError("cannot listen on 127.0.0.1: \(message)")
        }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }

    /// An accepted connection (blocking, with a 2 s send timeout), or nil when none waits.
    static func accept(_ listener: Int32) -> Int32? {
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { return nil }
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Which of `fds` are readable (or closed), waiting at most `milliseconds`.
    static func poll(_ fds: [Int32], milliseconds: Int32) -> [Bool] {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let n = Glibc.poll(&entries, nfds_t(entries.count), milliseconds)
        guard n > 0 else { return [Bool](repeating: false, count: fds.count) }
        return entries.map { $0.revents != 0 }
    }

    /// What one `recv` got, or nil when the peer closed or failed.
    static func receive(_ fd: Int32) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? Array(chunk[0..<n]) : nil
    }

    /// Sends all of `bytes`; false when the peer went away or the send timed out.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Where `\r\n\r\n` starts in `bytes`, if it is there.
    static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
        return nil
    }
}

/// Files, processes and signals for the soak.
enum SoakSystem {
    /// Opens (creates, truncates) a file for writing; returns the descriptor.
    ///
    /// - Throws: when it cannot be opened.
    static func create(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SoakError("cannot create \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Writes all of `bytes`; false on an error.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Renames `from` to `to` (replacing it), as logrotate does.
    static func rename(_ from: String, _ to: String) -> Bool { Glibc.rename(from, to) == 0 }

    /// The resident set size of `pid` in KiB (`VmRSS` of /proc/PID/status), or nil when it is gone.
    static func residentKiB(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }

    /// Flushes every output stream (the minute lines go to a log file).
    static func flushOutput() { fflush(nil) }

    /// Whether a process `pid` exists.
    static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    /// Sends SIGTERM (or SIGKILL with `force`) to `pid`.
    static func terminate(_ pid: Int32, force: Bool = false) { _ = kill(pid, force ? SIGKILL : SIGTERM) }

    /// Calls `handler` on a queue of its own when SIGINT, SIGTERM or SIGHUP arrives (they no
    /// longer end the process by themselves). Keep the returned sources alive.
    static func onTermination(_ handler: @escaping @Sendable (Int32) -> Void) -> [DispatchSourceSignal] {
        let queue = DispatchQueue(label: "soak-signals")
        return [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }
}

/// A soak could not be set up or run.
struct SoakError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
