import BurnwatchCore
import BurnwatchTestSupport
import Foundation
import Testing

/// `burnwatch record`, `eval --recording`, `export` and `replay` as a user runs them, against a
/// real metrics server on loopback and a followed log file.
@Suite(.serialized) struct RecordReplayEndToEndTests {
    /// Counters that grow, with one target failing a third of its requests.
    final class Counters: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func body() -> [UInt8] {
            lock.lock(); n += 1; let k = n; lock.unlock()
            return Array("# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} \(k * 20)\nhttp_requests_total{code=\"500\"} \(k * 10)\n".utf8)
        }
    }

    static let secrets = ["topsecret-9f3", "Bearer-tok-77ab", "hunter2-db"]

    @Test func recordThenEvalExportAndReplayWithoutASecretInTheFile() throws {
        let counters = Counters()
        let server = try LoopbackHTTPServer { _ in .ok(counters.body()) }
        defer { server.stop() }
        let dir = try TestPaths.makeTemporaryDirectory("bw-record-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("app.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let config = dir.appendingPathComponent("burnwatch.yaml").path
        let url = server.url().replacingOccurrences(of: "http://", with: "http://scraper:\(Self.secrets[0])@")
        try """
            services:
              - name: api
                targets:
                  - {url: "\(url)", interval: 1s, timeout: 1s}
              - name: fleet
                query_api:
                  url: http://127.0.0.1:9
                  headers:
                    Authorization: \(Self.secrets[1])
                    X-Api-Key: \(Self.secrets[2])
            log_sources:
              - {service: api, files: ["\(log)"]}
            slos:
              - service: api
                name: availability
                objective: 99
                sli:
                  events:
                    error_query: sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))
                    total_query: sum(rate(http_requests_total{job="api"}[{{.window}}]))
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let writerStop = TestFlag()
        let logger = Thread {
            var i = 0
            while !writerStop.isSet {
                i += 1
                try? TestFiles.append(log, ["{\"time\":\"\(RFC3339.format(Timestamp(seconds: Date().timeIntervalSince1970)))\",\"level\":\"error\",\"msg\":\"boom \(i)\",\"status\":500}"])
                usleep(50_000)
            }
        }
        logger.start()
        defer { writerStop.set() }
        let out = dir.appendingPathComponent("incident.burnwatch").path
        let record = try ProcessRunner.run(TestPaths.binary.path, ["record", "--config", config, "--out", out, "--duration", "6s"], timeout: 60)
        #expect(record.status == 0, "\(record.stderrText)")
        #expect(record.stderrText.contains("recorded"), "\(record.stderrText)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(!FileManager.default.fileExists(atPath: out + "-wal"), "the finished recording is one file")
        for secret in Self.secrets {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is in the recording")
        }
        #expect(bytes.range(of: Data("<redacted>".utf8)) != nil)

        // eval at the end: the SLO burns (a third of the requests fail), and the exit code says it pages
        let eval = try ProcessRunner.run(TestPaths.binary.path, ["eval", "--recording", out], timeout: 60)
        #expect(eval.status == 2, "\(eval.stderrText)\n\(eval.stdoutText)")
        let report = try #require(try JSONSerialization.jsonObject(with: eval.stdout) as? [String: Any])
        let slos = try #require(report["slos"] as? [[String: Any]])
        #expect(slos.first?["state"] as? String == "page", "\(eval.stdoutText)")
        // the same answer twice: replay is deterministic
        let again = try ProcessRunner.run(TestPaths.binary.path, ["eval", "--recording", out], timeout: 60)
        #expect(again.stdout == eval.stdout)

        // the timeline: the alerts the recorder journaled
        let export = try ProcessRunner.run(TestPaths.binary.path, ["export", out, "--format", "json"], timeout: 60)
        #expect(export.status == 0, "\(export.stderrText)")
        let timeline = try #require(try JSONSerialization.jsonObject(with: export.stdout) as? [String: Any])
        let entries = try #require(timeline["entries"] as? [[String: Any]])
        #expect(entries.contains { ($0["kind"] as? String) == "alert" && ($0["text"] as? String)?.contains("api/availability") == true },
                "\(export.stdoutText)")
        let markdown = try ProcessRunner.run(TestPaths.binary.path, ["export", out], timeout: 60)
        #expect(markdown.stdoutText.hasPrefix("# Incident timeline"))
        #expect(markdown.stdoutText.contains("| Detected (first page) |"))

        // what is not a recording says what it is
        let notRecording = try ProcessRunner.run(TestPaths.binary.path, ["replay", log], timeout: 30)
        #expect(notRecording.status != 0)
        #expect(notRecording.stderrText.contains("JSON lines"), "\(notRecording.stderrText)")
        let exists = try ProcessRunner.run(TestPaths.binary.path, ["record", "--config", config, "--out", out, "--duration", "1s"], timeout: 30)
        #expect(exists.status == 1)
        #expect(exists.stderrText.contains("already exists"), "\(exists.stderrText)")
    }
}
