import Foundation
import Testing
import BurnwatchTestSupport

/// `burnwatch logs` run as a binary (build it first with `swift build`).
@Suite struct LogsCommandTests {
    /// A corpus of slog and Caddy-style lines: numbers, nested objects, escapes, UTF-8, lines
    /// without a status, and a few non-JSON lines jq would reject (left out when comparing).
    func corpus(lines: Int, seed: UInt64) -> String {
        var rng = seed
        func next() -> UInt64 { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng }
        var out = ""
        let statuses = [200, 201, 302, 404, 429, 499, 500, 502, 503, 599]
        for i in 0..<lines {
            let r = next()
            let status = statuses[Int(r % UInt64(statuses.count))]
            switch r >> 60 {
            case 0...6:
                out += #"{"time":"2026-11-24T21:11:01.\#(100 + i % 900)Z","level":"INFO","msg":"done \"q\" \u00e9 😀","status":\#(status),"user":{"name":"Zoë","status":"active"}}"#
            case 7...12:
                out += #"{"level":"info","ts":1795554661.\#(i),"logger":"http.log.access","request":{"method":"GET","uri":"/x?y=\\/"},"duration":0.0\#(r % 1000),"status":\#(status)}"#
            case 13:
                out += #"{"time":"2026-11-24T21:11:01Z","level":"WARN","msg":"no status here","nested":{"status":900}}"#
            case 14:
                out += #"{"status":\#(Double(status) + 0.5),"msg":"fractional"}"#
            default:
                out += #"{"status":null,"msg":"null status"}"#
            }
            out += "\n"
        }
        return out
    }

    func lineNumbers(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func rawFilterSelectsExactlyTheLinesJqSelects() throws {
        let jq = try #require(TestPaths.which("jq"), "jq is needed (make deps)")
        let dir = try TestPaths.makeTemporaryDirectory("bw-logs")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("corpus.jsonl")
        try corpus(lines: 5000, seed: 0x1234_5678_9ABC_DEF1).write(to: path, atomically: true, encoding: .utf8)
        // jq prints the input line number of each selected line.
        let j = try ProcessRunner.run(jq, ["-c", "select(.status >= 500) | input_line_number", path.path], timeout: 60)
        #expect(j.status == 0, "\(j.stderrText)")
        let wantNumbers = j.stdoutText.split(separator: "\n").compactMap { Int($0) }
        let all = lineNumbers(try String(contentsOf: path, encoding: .utf8))
        let want = wantNumbers.map { all[$0 - 1] }
        #expect(want.count > 500)
        // One worker, two workers with small blocks (many rounds, cuts at line boundaries, carry-over).
        for args in [["--workers", "1"], ["--workers", "2", "--block-size", "4096", "--max-line", "2000"], ["--workers", "3", "--block-size", "777", "--max-line", "300"]] {
            let b = try ProcessRunner.burnwatch(["logs", "--filter", "status>=500", "--raw", path.path] + args)
            #expect(b.status == 0, "\(b.stderrText)")
            let got = b.stdoutText.split(separator: "\n").map(String.init)
            #expect(got.count == want.count)
            #expect(got == want)
        }
        // Byte for byte: the output is exactly those input lines.
        let b = try ProcessRunner.burnwatch(["logs", "--filter", "status>=500", path.path])
        #expect(b.stdout == Data((want.joined(separator: "\n") + "\n").utf8))
    }

    @Test func countByMatchesJqGroupCounts() throws {
        let jq = try #require(TestPaths.which("jq"))
        let dir = try TestPaths.makeTemporaryDirectory("bw-logs")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("corpus.jsonl")
        try corpus(lines: 3000, seed: 99).write(to: path, atomically: true, encoding: .utf8)
        let j = try ProcessRunner.run(jq, ["-r", "select(.status != null) | .status | tostring", path.path])
        var want: [String: Int] = [:]
        for v in j.stdoutText.split(separator: "\n") { want[String(v), default: 0] += 1 }
        let b = try ProcessRunner.burnwatch(["logs", "--count-by", "status", path.path])
        #expect(b.status == 0)
        var got: [String: Int] = [:]
        for row in b.stdoutText.split(separator: "\n") {
            let parts = row.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count == 2, parts[1] != "(missing)" { got[String(parts[1]), default: 0] += Int(parts[0])! }
        }
        // jq prints 500.5 for the fractional ones as we do; both leave out null and missing.
        #expect(got == want)
    }

    @Test func filterErrorsPointAtTheColumn() throws {
        let b = try ProcessRunner.burnwatch(["logs", "--filter", "status>=500 and (level=error", "/dev/null"])
        #expect(b.status == 2)
        #expect(b.stderrText.contains("column 29"))
        #expect(b.stderrText.contains("^"))
    }

    @Test func stdinBadInputAndEscaping() throws {
        var input = Data()
        input.append(Data(#"{"time":"2026-11-24T21:11:01Z","level":"ERROR","msg":"red \u001b[31m alert","status":500}"#.utf8 + [0x0A]))
        input.append(Data("{\"broken\": \n".utf8))
        input.append(Data([0x7B, 0x22, 0x6D, 0x22, 0x3A, 0x22, 0xFF, 0xC0, 0x22, 0x7D, 0x0A]))
        input.append(Data((0..<300).map { UInt8(($0 * 37) % 256) }.filter { $0 != 0x0A } + [0x0A]))
        input.append(Data(("{\"msg\":\"" + String(repeating: "x", count: 5000) + "\",\"status\":503}\n").utf8))
        input.append(Data(("{\"a\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + ",\"status\":501}\n").utf8))
        input.append(Data(#"{"time":"2026-11-24T21:11:02Z","level":"INFO","msg":"still here","status":200}"#.utf8 + [0x0A]))
        let pretty = try ProcessRunner.burnwatch(["logs", "--pretty", "--max-line", "1000"], input: input)
        #expect(pretty.status == 0)
        #expect(!pretty.stdout.contains(0x1B))                      // no raw escape reaches the terminal
        #expect(pretty.stdoutText.contains("red \\x1b[31m alert"))
        #expect(pretty.stdoutText.contains("still here"))
        #expect(pretty.stderrText.contains("truncated"))
        #expect(pretty.stderrText.contains("invalid JSON"))
        let stats = try ProcessRunner.burnwatch(["logs", "--stats"], input: input)
        #expect(stats.stdoutText.contains("lines          7"))
        #expect(stats.stdoutText.contains("invalid_utf8   2"))   // the bad string and the binary line
        #expect(stats.stdoutText.contains("invalid_json   2"))   // broken and too deep
        let raw = try ProcessRunner.burnwatch(["logs", "--filter", "status>=500"], input: input)
        // The deep line is not scanned past the limit, so only the two readable 5xx lines match.
        #expect(raw.stdoutText.split(separator: "\n").count == 2)
    }

    @Test func missingFileIsReportedAndOthersStillRead() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-logs")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.jsonl")
        try "{\"status\":500}\n".write(to: path, atomically: true, encoding: .utf8)
        let b = try ProcessRunner.burnwatch(["logs", dir.appendingPathComponent("nope.jsonl").path, path.path])
        #expect(b.status == 1)
        #expect(b.stderrText.contains("nope.jsonl"))
        #expect(b.stdoutText == "{\"status\":500}\n")
    }
}
