import BurnwatchTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `burnwatch watch --logs` in tmux, following the JSON access log of a real Caddy on a
/// loopback port: lines appear, `status>=500` keeps only the 5xx, and an escape sequence appended
/// to the followed file shows as text. Run `swift build` first.
@Suite(.serialized) struct LogsConsoleTmuxTests {
    /// A tmux server of its own (`-L`), killed when the test ends.
    final class Tmux {
        let socket: String
        let tmux: String
        init(tmux: String) {
            self.tmux = tmux
            socket = "bw-logs-\(getpid())-\(UUID().uuidString.prefix(8))"
        }

        @discardableResult
        func run(_ args: [String]) throws -> String {
            try TmuxClient.run(tmux, ["-L", socket] + args).output
        }

        func capture() -> String { (try? run(["capture-pane", "-p", "-t", "main"])) ?? "" }

        /// Polls the pane until `condition` holds, for at most `timeout` seconds; returns the last capture.
        func waitFor(_ timeout: TimeInterval = 20, _ condition: (String) -> Bool) -> (Bool, String) {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = capture()
                if condition(last) { return (true, last) }
                usleep(100_000)
            }
            return (false, last)
        }

        func kill() { TmuxServer.kill { try self.run($0) } }
    }

    /// Sends `GET path` to 127.0.0.1:`port` and reads the answer (the status line is enough here).
    static func get(_ port: Int, _ path: String) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { return "" }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var out = [UInt8](repeating: 0, count: 4096)
        var text = ""
        while true {
            let n = recv(fd, &out, out.count, 0)
            if n <= 0 { break }
            text += String(decoding: out[0..<n], as: UTF8.self)
        }
        return text
    }

    /// The rows of the log list (between the filter line and the health row).
    static func listRows(_ screen: String) -> [String] {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return rows.filter { $0.range(of: #"^\d\d:\d\d:\d\d\.\d\d\d "#, options: .regularExpression) != nil }
    }

    @Test func followsCaddysAccessLogFiltersAndShowsEscapesAsText() throws {
        let caddyPath = try #require(TestPaths.which("caddy"), "caddy is needed (make deps)")
        let tmuxPath = try #require(TestPaths.which("tmux"), "tmux is needed (make deps)")
        #expect(FileManager.default.isExecutableFile(atPath: TestPaths.binary.path), "run swift build first")
        let dir = try TestPaths.makeTemporaryDirectory("burnwatch-logs-tmux")
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = FreePort.next()
        let log = dir.appendingPathComponent("access.log").path
        let caddyfile = """
            {
            \tadmin off
            \tauto_https off
            \tstorage file_system \(dir.path)/data
            }
            http://127.0.0.1:\(port) {
            \tlog {
            \t\toutput file \(log)
            \t\tformat json
            \t}
            \trespond /boom "boom" 500
            \trespond /unavailable "later" 503
            \trespond /missing "nope" 404
            \trespond "ok" 200
            }

            """
        try caddyfile.write(to: dir.appendingPathComponent("Caddyfile"), atomically: true, encoding: .utf8)

        let caddy = try ChildProcess(caddyPath, ["run", "--config", dir.appendingPathComponent("Caddyfile").path, "--adapter", "caddyfile"],
                                     environment: ["HOME": dir.path, "XDG_DATA_HOME": dir.path, "XDG_CONFIG_HOME": dir.path, "PATH": "/usr/bin:/bin"],
                                     stdout: dir.appendingPathComponent("caddy.out").path, stderr: nil)
        defer { caddy.stop() }
        try #require(FreePort.waitUntilListening(port, timeout: 30), "caddy did not listen on \(port)")
        // Caddy creates the log file when it opens it; make sure it exists before following.
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: log), Date() < deadline { usleep(50_000) }
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }

        let tmux = Tmux(tmux: tmuxPath)
        defer { tmux.kill() }
        let command = "cd \(dir.path) && exec env LANG=C.UTF-8 TERM=xterm-256color \(TestPaths.binary.path) watch --logs \(log) 2>\(dir.path)/stderr.txt"
        try tmux.run(["new-session", "-d", "-s", "main", "-x", "120", "-y", "40", command])

        // The console is up, on the Logs screen, following.
        var (ok, screen) = tmux.waitFor { $0.contains("FOLLOW") && $0.contains("/access.log following") }
        try #require(ok, "console did not start:\n\(screen)\nstderr: \((try? String(contentsOfFile: dir.path + "/stderr.txt", encoding: .utf8)) ?? "")")

        for path in ["/", "/boom", "/missing", "/", "/unavailable", "/boom", "/orders"] {
            #expect(Self.get(port, path).hasPrefix("HTTP/1.1 "), "caddy answered \(path)")
        }
        (ok, screen) = tmux.waitFor { Self.listRows($0).count >= 7 }
        #expect(ok, "seven access lines:\n\(screen)")
        let rows = Self.listRows(screen)
        #expect(rows.contains { $0.contains("GET /boom 500") && $0.contains("ERR") })
        #expect(rows.contains { $0.contains("GET /missing 404") })
        #expect(rows.contains { $0.contains("GET /orders 200") && $0.contains("INF") })
        #expect(screen.contains("(caddy)"), "the caddy preset was detected:\n\(screen)")

        // Filter as you type: only the 5xx stay.
        try tmux.run(["send-keys", "-t", "main", "-l", "/status>=500"])
        try tmux.run(["send-keys", "-t", "main", "Enter"])
        (ok, screen) = tmux.waitFor { s in
            let r = Self.listRows(s)
            return r.count == 3 && s.contains("filter: status>=500")
        }
        #expect(ok, "only the three 5xx lines:\n\(screen)")
        for row in Self.listRows(screen) {
            #expect(row.contains(" 500 ") || row.contains(" 503 "), "\(row)")
        }

        // A filter that does not parse shows its column.
        try tmux.run(["send-keys", "-t", "main", "-l", ":filter status>>5"])
        try tmux.run(["send-keys", "-t", "main", "Enter"])
        (ok, screen) = tmux.waitFor { $0.contains("column 8") }
        #expect(ok, "the parse error names its column:\n\(screen)")

        // Back to every line; then a hostile line appended to the followed file shows escaped.
        try tmux.run(["send-keys", "-t", "main", "-l", ":filter"])
        try tmux.run(["send-keys", "-t", "main", "Enter"])
        (ok, screen) = tmux.waitFor { Self.listRows($0).count >= 7 }
        #expect(ok, "filter cleared:\n\(screen)")
        let handle = try #require(FileHandle(forWritingAtPath: log))
        handle.seekToEndOfFile()
        handle.write(Data("plain \u{1B}[31mHOSTILE\u{1B}[0m \u{1B}]0;pwned\u{07} end\n".utf8))
        handle.write(Data(#"{"level":"error","ts":1795557591.5,"logger":"http.log.access","msg":"json \u001b[2Jclear","request":{"method":"GET","uri":"/x"},"status":502}"#.utf8 + [0x0A]))
        try handle.close()
        (ok, screen) = tmux.waitFor { $0.contains(#"\x1b[31mHOSTILE\x1b[0m \x1b]0;pwned\x07 end"#) && $0.contains(#"json \x1b[2Jclear"#) }
        #expect(ok, "escape sequences shown as text:\n\(screen)")
        let raw = try tmux.run(["capture-pane", "-p", "-e", "-t", "main"])
        #expect(!raw.contains("\u{1B}[31mHOSTILE"), "the log's own escape sequence never reached the terminal")
        #expect(!raw.contains("\u{1B}]0;pwned"))

        try tmux.run(["send-keys", "-t", "main", "q"])
        (ok, _) = tmux.waitFor(10) { !$0.contains("FOLLOW") }
        #expect(ok, "q quits")
    }
}
