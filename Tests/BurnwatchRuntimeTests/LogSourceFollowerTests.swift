import Foundation
import Testing
import BurnwatchTestSupport
@testable import BurnwatchRuntime

@Suite struct LogSourceFollowerTests {
    func collect(_ f: LogFileFollower) -> (lines: [String], notices: [String], errors: [String]) {
        var lines: [String] = [], notices: [String] = [], errors: [String] = []
        f.poll { item in
            switch item {
            case .line(_, let b, _): lines.append(String(decoding: b, as: UTF8.self))
            case .notice(_, let m): notices.append(m)
            case .error(_, let m): errors.append(m)
            }
        }
        return (lines, notices, errors)
    }

    @Test func renameAndCreateLosesAndDuplicatesNothing() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-follow")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("app.log").path
        try TestFiles.append(path, ["old-0"])
        let f = LogFileFollower(pattern: path, start: .end)
        var seen = collect(f).lines
        #expect(seen.isEmpty)   // started at the end
        var expected: [String] = []
        var n = 1
        for round in 0..<5 {
            let batch = (0..<50).map { _ in defer { n += 1 }; return "line-\(n)" }
            try TestFiles.append(path, Array(batch[..<25]))
            if round % 2 == 0 { seen += collect(f).lines }
            // Rotate: the writer writes a little more to the old file after the rename, then a new file appears.
            try FileManager.default.moveItem(atPath: path, toPath: path + ".\(round)")
            try TestFiles.append(path + ".\(round)", Array(batch[25..<30]))
            try TestFiles.append(path, Array(batch[30...]))
            expected += batch
            let r = collect(f)
            seen += r.lines
            #expect(r.notices.contains { $0.contains("rotated") })
        }
        seen += collect(f).lines
        #expect(seen == expected)
    }

    @Test func copytruncateLosesAndDuplicatesNothing() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-follow")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("app.log").path
        let f = LogFileFollower(pattern: path, start: .beginning)
        var seen: [String] = []
        var expected: [String] = []
        for round in 0..<4 {
            let batch = (0..<40).map { "r\(round)-\($0)" }
            try TestFiles.append(path, batch)
            seen += collect(f).lines
            // copytruncate: copy away, cut the file to zero, writer continues at the start.
            try FileManager.default.copyItem(atPath: path, toPath: path + ".\(round)")
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try h.truncate(atOffset: 0)
            try h.close()
            let r = collect(f)
            seen += r.lines
            #expect(r.notices.contains { $0.contains("truncated") })
            expected += batch
        }
        let tail = ["after-0", "after-1"]
        try TestFiles.append(path, tail)
        seen += collect(f).lines
        #expect(seen == expected + tail)
    }

    @Test func filesThatAppearLaterAndDeletedFiles() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-follow")
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = LogFileFollower(pattern: dir.path + "/*.log", start: .end)
        let first = collect(f)
        #expect(first.errors.contains { $0.contains("no file matches") })
        try TestFiles.append(dir.appendingPathComponent("a.log").path, ["a1", "a2"])
        try TestFiles.append(dir.appendingPathComponent("b.log").path, ["b1"])
        try TestFiles.append(dir.appendingPathComponent("ignored.txt").path, ["x"])
        #expect(collect(f).lines == ["a1", "a2", "b1"])   // new files are read from their start
        try FileManager.default.removeItem(atPath: dir.appendingPathComponent("a.log").path)
        let gone = collect(f)
        #expect(gone.errors.contains { $0.contains("deleted") })
        try TestFiles.append(dir.appendingPathComponent("a.log").path, ["a3"])
        try TestFiles.append(dir.appendingPathComponent("b.log").path, ["b2"])
        #expect(Set(collect(f).lines) == ["a3", "b2"])
    }

    @Test func partialLinesWaitForTheirNewline() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-follow")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("p.log").path
        FileManager.default.createFile(atPath: path, contents: nil)
        let f = LogFileFollower(pattern: path, start: .beginning)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.write(contentsOf: Data("{\"a\":".utf8))
        #expect(collect(f).lines.isEmpty)
        try h.write(contentsOf: Data("1}\n".utf8))
        try h.close()
        #expect(collect(f).lines == ["{\"a\":1}"])
    }

    @Test func boundedQueueCountsDrops() {
        let q = LogSourceQueue(capacity: 3)
        for i in 0..<5 { q.push(.line(source: "s", bytes: [UInt8(48 + i)], truncated: false)) }
        q.push(.error(source: "s", message: "kept"))
        #expect(q.count == 4)
        #expect(q.dropped["s"] == 2)
        let items = q.pop()
        #expect(items.count == 4)
        #expect(items.last == .error(source: "s", message: "kept"))
    }
}

@Suite struct LogSourceCommandTests {
    /// Runs a command source on a thread until `enough` says so (or 10 s pass), then stops it.
    func run(_ argv: [String], until enough: @escaping @Sendable ([LogSourceItem]) -> Bool) -> [LogSourceItem] {
        let source = LogCommandSource(argv: argv, backoff: LogRestartBackoff(initial: 0.05, maximum: 0.2))
        let q = LogSourceQueue()
        let thread = Thread { source.run { q.push($0) } }
        thread.start()
        var all: [LogSourceItem] = []
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            all += q.pop()
            if enough(all) { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        source.stop()
        Thread.sleep(forTimeInterval: 0.1)
        return all + q.pop()
    }

    @Test func commandThatExitsAtOnceIsRestarted() {
        let items = run(["/bin/echo", "hello; not a shell $HOME"]) { items in
            items.filter { if case .line = $0 { return true }; return false }.count >= 2
        }
        let lines = items.compactMap { i -> String? in if case .line(_, let b, _) = i { return String(decoding: b, as: UTF8.self) }; return nil }
        #expect(lines.count >= 2)
        #expect(lines.first == "hello; not a shell $HOME")   // argv, never a shell
        #expect(items.contains { if case .error(_, let m) = $0 { return m.contains("exited with status 0") }; return false })
    }

    @Test func missingCommandIsAnErrorAndRetried() {
        let items = run(["/nonexistent/burnwatch-no-such-program"]) { items in
            items.filter { if case .error = $0 { return true }; return false }.count >= 2
        }
        let errors = items.compactMap { i -> String? in if case .error(_, let m) = i { return m }; return nil }
        #expect(errors.count >= 2)
        #expect(errors.first?.contains("cannot start") == true)
    }

    @Test func stderrIsShownAsSourceErrors() {
        let items = run(["/bin/sh", "-c", "echo out; echo 'bad thing' >&2; exit 3"]) { items in
            items.contains { if case .error(_, let m) = $0 { return m.contains("status 3") }; return false }
        }
        #expect(items.contains(.line(source: "/bin/sh -c echo out; echo 'bad thing' >&2; exit 3", bytes: Array("out".utf8), truncated: false)))
        #expect(items.contains { if case .error(_, let m) = $0 { return m == "stderr: bad thing" }; return false })
    }

    @Test func backoffGrowsWithJitterAndResets() {
        var b = LogRestartBackoff(initial: 1, maximum: 8)
        let delays = (0..<6).map { _ in b.next(unit: 0.5) }
        #expect(delays == [1, 2, 4, 8, 8, 8])
        #expect(b.next(unit: 0) == 4 && b.next(unit: 0.999) < 12)
        b.reset()
        #expect(b.next(unit: 0.5) == 1)
    }
}
