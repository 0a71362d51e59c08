import BurnwatchCore
import BurnwatchRecording
import BurnwatchTestSupport
import Foundation
import Testing

/// The real recorder killed with SIGKILL mid-write, again and again: the file opens, replays,
/// and holds every line read more than a second before the kill.
@Suite(.serialized) struct RecorderCrashTests {
    @Test func killNineLosesAtMostTheLastSecond() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-kill9")
        defer { try? FileManager.default.removeItem(at: dir) }
        for round in 0..<3 {
            let log = dir.appendingPathComponent("app-\(round).log").path
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let out = dir.appendingPathComponent("kill-\(round).burnwatch").path
            let recorder = try ChildProcess(TestPaths.binary.path, ["record", "--logs", log, "--logs-from-start", "--out", out, "--quiet"])
            // numbered lines, with when each was written
            var written: [(n: Int, at: Date)] = []
            let until = Date().addingTimeInterval(2.5 + Double(round))
            var n = 0
            while Date() < until {
                n += 1
                try TestFiles.append(log, ["{\"level\":\"info\",\"msg\":\"line \(n)\",\"n\":\(n)}"])
                written.append((n, Date()))
                usleep(5_000)
            }
            let killedAt = Date()
            kill(recorder.pid, SIGKILL)
            _ = recorder.wait(timeout: 10)
            let recording = try Recording.open(path: out)
            let contents = recording.readEvents()
            #expect(contents.damage == nil, "round \(round): \(String(describing: contents.damage))")
            var seen = Set<Int>()
            for case .logs(let dispatch) in contents.events {
                for item in dispatch.items where item.kind == .line {
                    let text = String(decoding: item.payload, as: UTF8.self)
                    if let r = text.range(of: "\"n\":") { seen.insert(Int(text[r.upperBound...].dropLast()) ?? -1) }
                }
            }
            let due = written.filter { killedAt.timeIntervalSince($0.at) > 1.0 }
            let missing = due.filter { !seen.contains($0.n) }
            #expect(!due.isEmpty)
            #expect(missing.isEmpty, "round \(round): \(missing.count) of \(due.count) lines older than 1 s before the kill are missing (first \(missing.first?.n ?? 0))")
            // and it replays
            let eval = try ProcessRunner.run(TestPaths.binary.path, ["eval", "--recording", out], timeout: 60)
            #expect(eval.status == 0 || eval.status == 2, "\(eval.stderrText)")
        }
    }

    @Test func noSecretOfTheConfigInAnyRecordedEvent() throws {
        let server = try LoopbackHTTPServer { _ in .ok(Array("up_thing 1\n".utf8)) }
        defer { server.stop() }
        let dir = try TestPaths.makeTemporaryDirectory("bw-secrets")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("burnwatch.yaml").path
        let url = server.url().replacingOccurrences(of: "http://", with: "http://scraper:pw-5ecret-x@")
        try "services:\n  - name: api\n    targets:\n      - {url: \"\(url)\", interval: 1s, timeout: 1s}\n".write(toFile: config, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("r.burnwatch").path
        let run = try ProcessRunner.run(TestPaths.binary.path, ["record", "--config", config, "--out", out, "--duration", "3s", "--quiet"], timeout: 60)
        #expect(run.status == 0, "\(run.stderrText)")
        let recording = try Recording.open(path: out)
        let events = recording.readEvents().events
        #expect(events.contains { if case .scrape = $0 { return true }; return false })
        let decoded = RecordedEventCodec.encode(events) + Array(try recording.info().config.utf8)
        #expect(decoded.count > 100)
        #expect(Data(decoded).range(of: Data("pw-5ecret-x".utf8)) == nil, "the URL's password is in the recorded events")
        #expect(Data(decoded).range(of: Data("scraper:<redacted>@".utf8)) != nil)
    }

    /// A full disk, as a file-size limit the recorder cannot pass (`ulimit -f`, SIGXFSZ ignored, so
    /// writes fail with EFBIG as they fail with ENOSPC on a full disk): the recorder goes on, says
    /// so, and what it wrote before stays readable.
    @Test func aFullDiskStopsWritingAndKeepsWhatWasWritten() throws {
        let server = try LoopbackHTTPServer { _ in
            var rng = SeededRandom(seed: UInt64(Date().timeIntervalSince1970 * 1e6))
            // incompressible bodies, so the limit is reached within a second or two
            var body = Array("# TYPE noise gauge\n".utf8)
            for i in 0..<3000 { body += Array("noise{i=\"\(i)\"} \(rng.next() % 1_000_000_007)\n".utf8) }
            return .ok(body)
        }
        defer { server.stop() }
        let dir = try TestPaths.makeTemporaryDirectory("bw-disk-full")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("burnwatch.yaml").path
        try "services:\n  - name: api\n    targets:\n      - {url: \"\(server.url())\", interval: 200ms, timeout: 200ms}\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("full.burnwatch").path
        let script = "trap '' XFSZ; ulimit -f 1024; exec \"$0\" record --config \"$1\" --out \"$2\" --duration 5s --quiet"
        let run = try ProcessRunner.run("/bin/sh", ["-c", script, TestPaths.binary.path, config, out], timeout: 60)
        #expect(run.status == 0, "\(run.stderrText)")
        #expect(run.stderrText.contains("last write failed"), "\(run.stderrText)")
        #expect(run.stderrText.contains("cannot write") || run.stderrText.contains("disk full"), "\(run.stderrText)")
        let recording = try Recording.open(path: out)
        let contents = recording.readEvents()
        #expect(contents.events.contains { if case .scrape = $0 { return true }; return false }, "nothing readable was kept")
        #expect(contents.damage == nil, "\(String(describing: contents.damage))")
    }
}
