import BurnwatchTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The way tests start programs: a grandchild that keeps inherited descriptors cannot hold a wait,
/// nothing outlives the child, a deadline holds, and signals start unblocked.
@Suite struct ChildProcessTests {
    @Test func aBackgroundGrandchildNeitherHoldsTheWaitNorOutlivesTheChild() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-child")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("pid").path
        let out = dir.appendingPathComponent("out").path
        // `sh` exits at once; its `sleep` keeps stdout (a file here) open for 30 s.
        let child = try ChildProcess("/bin/sh", ["-c", "sleep 30 & echo $! > '\(pidFile)'"], stdout: out)
        #expect(child.wait(timeout: 10) == 0)
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let grandchild = try #require(pid_t(text))
        let deadline = Date().addingTimeInterval(5)
        while kill(grandchild, 0) == 0, Date() < deadline { usleep(20_000) }
        #expect(kill(grandchild, 0) != 0, "the background sleep \(grandchild) outlived its parent")
    }

    @Test func aProgramPastItsDeadlineIsStoppedWithItsGroup() throws {
        let child = try ChildProcess("/bin/sleep", ["30"])
        #expect(child.wait(timeout: 0.2) == nil)
        #expect(child.isRunning)
        #expect(child.stop(grace: 5) == 128 + SIGTERM)
        #expect(!child.isRunning)
    }

    @Test func childrenStartWithNoSignalBlockedAndNoExtraDescriptor() throws {
        let dir = try TestPaths.makeTemporaryDirectory("bw-child")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let child = try ChildProcess("/bin/sh", ["-c", "grep SigBlk /proc/self/status; ls /proc/self/fd"], stdout: out)
        #expect(child.wait(timeout: 10) == 0)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == "SigBlk:\t0000000000000000", "\(lines)")
        // ls's own 0, 1, 2 and the folder it reads (3): nothing inherited from the test runner.
        let descriptors = lines.dropFirst().compactMap { Int($0) }
        #expect(descriptors.allSatisfy { $0 <= 3 }, "inherited descriptors: \(descriptors)")
    }
}
