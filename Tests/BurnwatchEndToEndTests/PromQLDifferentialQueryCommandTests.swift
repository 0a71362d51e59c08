import BurnwatchTestSupport
import Foundation
import Testing

/// `burnwatch query` end to end: inputs (OpenMetrics, text 0.0.4, gzip, file mtime), JSON and errors.
@Suite struct PromQLDifferentialQueryCommandTests {
    func write(_ text: String, _ name: String, in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func readsTextFormatWithMillisecondsAndGzip() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-query")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try write("# TYPE up gauge\nup{job=\"a\"} 1 1700000000000\nup{job=\"a\"} 0 1700000015000\n", "m.prom", in: dir)
        let gz = try ProcessRunner.run("/bin/sh", ["-c", "gzip -c '\(text.path)' > '\(text.path).gz'"])
        #expect(gz.status == 0)
        for path in [text.path, text.path + ".gz"] {
            let r = try ProcessRunner.burnwatch(["query", "--metrics", path, "--at", "2023-11-14T22:13:30Z", "up"])
            #expect(r.status == 0)
            #expect(r.stdoutText == "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"value\":[1700000010,\"1\"]}]}}\n")
        }
    }

    @Test func samplesWithoutTimestampsTakeTheFileTime() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-query")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try write("x 42\n", "now.prom", in: dir)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: file.path)
        let r = try ProcessRunner.burnwatch(["query", "--metrics", file.path, "--at", "1700000060", "timestamp(x)"])
        #expect(r.stdoutText.contains("[1700000060,\"1700000000\"]"))
    }

    @Test func rangeQueryAndScalarShapes() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-query")
        defer { try? FileManager.default.removeItem(at: dir) }
        let om = try write("# TYPE c counter\nc_total 0 1700000000\nc_total 30 1700000030\nc_total 60 1700000060\n# EOF\n", "c.om", in: dir)
        // Left-open windows (3.x): at 30 s only 0@0 and 30@30; the zero point caps the start
        // extrapolation at 0 s, so 30 over 60 s = 0.5; at 45 s the end extrapolates 15 s: 45/60;
        // at 60 s the window (0, 60] holds 30@30 and 60@60, extrapolated 30 s back to zero: 60/60.
        let r = try ProcessRunner.burnwatch(["query", "--metrics", om.path, "--start", "1700000030", "--end", "1700000060", "--step", "15s", "rate(c_total[1m])"])
        #expect(r.stdoutText == "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1700000030,\"0.5\"],[1700000045,\"0.75\"],[1700000060,\"1\"]]}]}}\n")
        let s = try ProcessRunner.burnwatch(["query", "--metrics", om.path, "--at", "1700000060.5", "1/3"])
        #expect(s.stdoutText == "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000060.5,\"0.3333333333333333\"]}}\n")
    }

    @Test func errorsAreJSONOnStdoutAndTextOnStderr() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-query")
        defer { try? FileManager.default.removeItem(at: dir) }
        let om = try write("x{a=\"1\"} 1 1700000000\nx{a=\"2\"} 2 1700000000\n# EOF\n", "x.om", in: dir)
        let r = try ProcessRunner.burnwatch(["query", "--metrics", om.path, "--at", "1700000000", "sum(x"])
        #expect(r.status == 1)
        #expect(r.stdoutText.hasPrefix("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:6: parse error:"))
        #expect(r.stderrText.contains("1:6: parse error"))
        let missing = try ProcessRunner.burnwatch(["query", "--metrics", dir.appendingPathComponent("nope").path, "--at", "0", "x"])
        #expect(missing.status == 1)
        #expect(missing.stdoutText.contains("\"errorType\":\"bad_data\""))
        let many = try ProcessRunner.burnwatch(["query", "--metrics", om.path, "--at", "1700000000", "x + on() x"])
        #expect(many.status == 1)
        #expect(many.stdoutText.hasPrefix("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"found duplicate series for the match group {}"))
    }
}
