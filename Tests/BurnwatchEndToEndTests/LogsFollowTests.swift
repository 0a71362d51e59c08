import Foundation
import Testing
import BurnwatchTestSupport

/// `burnwatch logs --follow` across a rename rotation, as a user would run it.
@Suite struct LogsFollowTests {
    /// The complete lines the command has written to `path` so far.
    func lines(_ path: String) -> [String] {
        let text = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data(), as: UTF8.self)
        return text.split(separator: "\n").map(String.init)
    }

    func waitFor(_ path: String, count: Int) -> [String] {
        let deadline = Date().addingTimeInterval(15)
        while lines(path).count < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return lines(path)
    }

    @Test func followsNewLinesAndRotation() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-follow-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("app.log").path
        try TestFiles.append(path, [#"{"status":500,"msg":"before start"}"#])
        let collected = dir.appendingPathComponent("out.txt").path
        let p = try ChildProcess(TestPaths.binary.path, ["logs", "--follow", "--filter", "status>=500", path], stdout: collected)
        defer { p.stop() }
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
