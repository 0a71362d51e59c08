import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The soak's scrape targets: one thread serving `count` loopback ports (each bound to port 0, so
/// no port is guessed), HTTP/1.1 with keep-alive; each port answers any GET with a real exporter's
/// exposition body (from the shared fixtures, in turn) whose counters and histograms advance.
final class SoakTargets: @unchecked Sendable {
    /// One fixture body cut into the text between values and the values themselves.
    struct Template {
        /// The service the fixture's targets belong to (`node`, `haproxy`…).
        var service: String
        /// Lines, each `(text before the value, value, its text, text after it, advances)`; comments have no value.
        var lines: [(head: String, value: Double?, text: String, tail: String, advances: Bool)]
        var samples: Int { lines.filter { $0.value != nil }.count }
    }

    let templates: [Template]
    /// The ports, in target order; target `i` serves `templates[i % templates.count]`.
    private(set) var ports: [Int] = []
    private var listeners: [Int32] = []
    private let lock = NSLock()
    private var stopped = false
    private var finished = false
    private var served = 0
    private let started = Date()

    /// Reads the fixtures and binds `count` listening sockets on 127.0.0.1.
    ///
    /// - Throws: when a fixture is missing or a socket cannot be bound.
    init(count: Int, fixtures: URL) throws {
        var templates: [Template] = []
        for (service, file) in [("node", "node_exporter.txt"), ("haproxy", "haproxy.txt"), ("caddy", "caddy.txt"),
                                ("prometheus", "prometheus.txt")] {
            let text = try String(contentsOf: fixtures.appendingPathComponent("exposition/\(file)"), encoding: .utf8)
            templates.append(Self.template(service: service, text: text))
        }
        self.templates = templates
        for _ in 0..<count {
            let (fd, port) = try SoakSockets.listen()
            listeners.append(fd)
            ports.append(port)
        }
    }

    /// Cuts an exposition body into a template; samples of counters and histograms advance.
    static func template(service: String, text: String) -> Template {
        var advancing: Set<String> = []
        var lines: [(String, Double?, String, String, Bool)] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) where !raw.isEmpty {
            let line = String(raw)
            if line.hasPrefix("#") {
                let words = line.split(separator: " ")
                if words.count >= 4, words[1] == "TYPE", words[3] == "counter" || words[3] == "histogram" { advancing.insert(String(words[2])) }
                lines.append((line, nil, "", "", false))
                continue
            }
            // The value follows the closing brace of the labels, or the name.
            let afterLabels = line.lastIndex(of: "}").map { line.index(after: $0) } ?? line.firstIndex(of: " ") ?? line.endIndex
            let rest = line[afterLabels...].drop { $0 == " " }
            let valueText = rest.prefix { $0 != " " }
            guard let value = Double(valueText) else { lines.append((line, nil, "", "", false)); continue }
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let family = [name, name.replacingOccurrences(of: "_total", with: ""),
                          name.replacingOccurrences(of: "_bucket", with: ""), name.replacingOccurrences(of: "_count", with: ""),
                          name.replacingOccurrences(of: "_sum", with: "")]
            let advances = family.contains { advancing.contains($0) } && value.isFinite
            lines.append((String(line[..<afterLabels]) + " ", value, String(valueText), String(rest.dropFirst(valueText.count)), advances))
        }
        return Template(service: service, lines: lines)
    }

    /// Target `index`'s body now: advancing samples gain `elapsed seconds × (1 + target % 5)`.
    func body(target index: Int) -> [UInt8] {
        let t = templates[index % templates.count]
        let step = Double(Int(Date().timeIntervalSince(started))) * Double(1 + index % 5)
        var out = ""
        out.reserveCapacity(40_000)
        for line in t.lines {
            out += line.head
            if let v = line.value {
                if line.advances {
                    let value = v + step
                    out += value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
                } else {
                    out += line.text
                }
                out += line.tail
            }
            out += "\n"
        }
        return Array(out.utf8)
    }

    /// Requests answered so far.
    var requests: Int { lock.lock(); defer { lock.unlock() }; return served }

    /// Serves until `stop()`, on a thread of its own.
    func start() {
        let thread = Thread { [self] in serve() }
        thread.name = "soak-targets"
        thread.start()
    }

    /// Stops serving and closes every socket.
    func stop() {
        lock.lock(); stopped = true; lock.unlock()
        while true {
            lock.lock(); let done = finished; lock.unlock()
            if done { return }
            usleep(10_000)
        }
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    /// The poll loop: accepts on every listener, reads requests, answers each in full.
    private func serve() {
        var clients: [Int32: (target: Int, pending: [UInt8])] = [:]
        let listenerTarget = Dictionary(uniqueKeysWithValues: listeners.enumerated().map { ($1, $0) })
        while !isStopped {
            let fds = listeners + clients.keys.sorted()
            let ready = SoakSockets.poll(fds, milliseconds: 200)
            for (fd, readable) in zip(fds, ready) where readable {
                if let target = listenerTarget[fd] {
                    while let client = SoakSockets.accept(fd) { clients[client] = (target, []) }
                    continue
                }
                guard var client = clients[fd] else { continue }
                guard let bytes = SoakSockets.receive(fd) else {
                    SoakSockets.close(fd); clients[fd] = nil; continue
                }
                client.pending += bytes
                var open = true
                while let end = SoakSockets.headerEnd(client.pending) {
                    let head = String(decoding: client.pending[..<end], as: UTF8.self).lowercased()
                    client.pending.removeFirst(end + 4)
                    let body = self.body(target: client.target)
                    let keepAlive = head.contains("http/1.1") && !head.contains("connection: close")
                    let header = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                        + "Content-Length: \(body.count)\r\n\(keepAlive ? "" : "Connection: close\r\n")\r\n"
                    lock.lock(); served += 1; lock.unlock()
                    if !SoakSockets.sendAll(fd, Array(header.utf8) + body) || !keepAlive { open = false; break }
                }
                if open { clients[fd] = client } else { SoakSockets.close(fd); clients[fd] = nil }
            }
        }
        for fd in clients.keys { SoakSockets.close(fd) }
        for fd in listeners { SoakSockets.close(fd) }
        lock.lock(); finished = true; lock.unlock()
    }
}
