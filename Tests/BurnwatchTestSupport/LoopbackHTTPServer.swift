import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests: keep-alive, one thread per connection, and
/// replies that misbehave on purpose (hang, close mid-body, HTML, 500, huge bodies).
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// One request as the server read it.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names lowercased.
        public var headers: [String: String]
    }

    /// What the server does with a request.
    public enum Reply: Sendable {
        /// A normal response with `Content-Length`.
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Reads the request and never answers (until the client gives up or the server stops).
        case hang
        /// Announces `declaredLength` bytes, sends `body` (shorter), then closes the connection.
        case closeMidBody(declaredLength: Int, body: [UInt8])
        /// Sends a 200 status line and headers announcing `declaredLength` bytes, then nothing more.
        case hangAfterHeaders(declaredLength: Int)
        /// Sends a 200 with `body`, one byte every `interval` seconds.
        case trickle(body: [UInt8], interval: Double)
        /// Sends a 200 of `totalBytes` made of `chunk` repeated, without holding the whole body;
        /// `announced`: with a `Content-Length`, else the end of the body is the connection's close.
        case large(totalBytes: Int, chunk: [UInt8], announced: Bool)

        /// A 200 response with a content type.
        public static func ok(_ body: [UInt8], contentType: String = "text/plain; version=0.0.4; charset=utf-8") -> Reply {
            .respond(status: 200, headers: [("Content-Type", contentType)], body: body)
        }
    }

    /// The port the server listens on.
    public let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var connections: Set<Int32> = []
    private var stopped = false
    private var requests = 0

    /// Starts listening on a free loopback port.
    ///
    /// - Throws: when the socket cannot be bound.
    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 1024) == 0 else {
            close(fd)
            throw NSError(domain: "LoopbackHTTPServer", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "cannot listen"])
        }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 256 << 10
        thread.start()
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT` + `path`.
    public func url(_ path: String = "/metrics") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Number of requests read so far.
    public var requestCount: Int { lock.lock(); defer { lock.unlock() }; return requests }

    /// Stops listening and closes every open connection (hanging replies end too).
    public func stop() {
        lock.lock()
        if stopped { lock.unlock(); return }
        stopped = true
        let open = connections
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func acceptLoop() {
        while !isStopped {
            let fd = accept(listener, nil, nil)
            if fd < 0 { if isStopped { return }; usleep(1000); continue }
            lock.lock()
            if stopped { lock.unlock(); close(fd); return }
            connections.insert(fd)
            lock.unlock()
            let thread = Thread { [self] in
                serve(fd)
                lock.lock(); connections.remove(fd); lock.unlock()
                close(fd)
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while !isStopped {
            // Read one request head.
            var headEnd: Int? = nil
            while headEnd == nil {
                if let r = Self.find(pending, [13, 10, 13, 10]) { headEnd = r; break }
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                pending += chunk[0..<n]
            }
            let head = String(decoding: pending[0..<headEnd!], as: UTF8.self)
            pending.removeSubrange(0..<(headEnd! + 4))
            let lines = head.components(separatedBy: "\r\n")
            let parts = lines.first?.split(separator: " ") ?? []
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let request = Request(method: parts.count > 0 ? String(parts[0]) : "", path: parts.count > 1 ? String(parts[1]) : "/",
                                  headers: headers)
            lock.lock(); requests += 1; lock.unlock()
            switch handler(request) {
            case .respond(let status, let extra, let body):
                var text = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\nContent-Length: \(body.count)\r\n"
                for (k, v) in extra { text += "\(k): \(v)\r\n" }
                text += "\r\n"
                guard sendAll(fd, Array(text.utf8)), sendAll(fd, body) else { return }
                if headers["connection"]?.lowercased() == "close" { return }
            case .hang:
                waitForClose(fd, &chunk)
                return
            case .hangAfterHeaders(let declared):
                let text = "HTTP/1.1 200 OK\r\nContent-Length: \(declared)\r\nContent-Type: text/plain; version=0.0.4\r\n\r\n"
                guard sendAll(fd, Array(text.utf8)) else { return }
                waitForClose(fd, &chunk)
                return
            case .trickle(let body, let interval):
                let text = "HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\nContent-Type: text/plain; version=0.0.4\r\n\r\n"
                guard sendAll(fd, Array(text.utf8)) else { return }
                for byte in body {
                    guard !isStopped, sendAll(fd, [byte]) else { return }
                    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    // The client closing (or giving up) ends the trickle early.
                    if poll(&pfd, 1, Int32(interval * 1000)) > 0 { return }
                }
                return
            case .large(let total, let piece, let announced):
                var text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
                text += announced ? "Content-Length: \(total)\r\n\r\n" : "Connection: close\r\n\r\n"
                guard sendAll(fd, Array(text.utf8)) else { return }
                var sent = 0
                while sent < total, !isStopped {
                    let n = min(piece.count, total - sent)
                    guard sendAll(fd, n == piece.count ? piece : Array(piece.prefix(n))) else { return }
                    sent += n
                }
                if announced { continue }
                return
            case .closeMidBody(let declared, let body):
                let text = "HTTP/1.1 200 OK\r\nContent-Length: \(declared)\r\nContent-Type: text/plain; version=0.0.4\r\n\r\n"
                _ = sendAll(fd, Array(text.utf8))
                _ = sendAll(fd, body)
                return
            }
        }
    }

    /// Reads and drops whatever the client sends until it closes the connection or the server stops.
    private func waitForClose(_ fd: Int32, _ chunk: inout [UInt8]) {
        while !isStopped {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) > 0 {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
            }
        }
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private static func find(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<i + needle.count]) == needle { return i }
        return nil
    }
}

/// A minimal HTTP/1.0 GET over loopback for tests (no redirects, no TLS).
public enum LoopbackHTTPClient {
    /// Fetches `path` from 127.0.0.1:`port`; returns the status, lowercased headers and body.
    public static func get(port: Int, path: String, accept: String = "text/plain;version=0.0.4",
                           timeout: TimeInterval = 10) -> (status: Int, headers: [String: String], body: [UInt8])? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nAccept: \(accept)\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            all += chunk[0..<n]
        }
        guard let split = (0..<max(0, all.count - 3)).first(where: { all[$0] == 13 && all[$0 + 1] == 10 && all[$0 + 2] == 13 && all[$0 + 3] == 10 }) else { return nil }
        let head = String(decoding: all[0..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let status = head.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers, Array(all[(split + 4)...]))
    }
}
