import Foundation
import Testing
import BurnwatchTestSupport

/// `burnwatch logs --follow` across a rename rotation, as a user would run it.
@Suite struct LogsFollowTests {
    final class Collected: @unchecked Sendable {
        let lock = NSLock()
        var data = Data()
        func append(_ d: Data) { lock.lock(); data.append(d); lock.unlock() }
        var lines: [String] { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init) }
    }

    func waitFor(_ c: Collected, count: Int) -> [String] {
        let deadline = Date().addingTimeInterval(15)
        while c.lines.count < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return c.lines
    }

    @Test func followsNewLinesAndRotation() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-follow-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("app.log").path
        try TestFiles.append(path, [#"{"status":500,"msg":"before start"}"#])
        let p = Process()
        p.executableURL = TestPaths.binary
        p.arguments = ["logs", "--follow", "--filter", "status>=500", path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        let collected = Collected()
        out.fileHandleForReading.readabilityHandler = { collected.append($0.availableData) }
        try p.run()
        // SIGKILL: the test runner may hand its blocked signal mask (SIGTERM included) to children.
        defer { kill(p.processIdentifier, SIGKILL); p.waitUntilExit(); out.fileHandleForReading.readabilityHandler = nil }
        Thread.sleep(forTimeInterval: 0.5)   // the follower starts at the end of the existing file
        try TestFiles.append(path, [#"{"status":200,"msg":"ok"}"#, #"{"status":503,"msg":"one"}"#])
        #expect(waitFor(collected, count: 1) == [#"{"status":503,"msg":"one"}"#])
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try TestFiles.append(path + ".1", [#"{"status":502,"msg":"two, old file after rename"}"#])
        try TestFiles.append(path, [#"{"status":504,"msg":"three, new file"}"#, #"{"status":201}"#])
        let lines = waitFor(collected, count: 3)
        #expect(lines == [#"{"status":503,"msg":"one"}"#, #"{"status":502,"msg":"two, old file after rename"}"#, #"{"status":504,"msg":"three, new file"}"#])
    }
}
