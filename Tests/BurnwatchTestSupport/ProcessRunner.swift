import Foundation

/// Runs a program to completion and captures its output; for tests of the real binary.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

public enum ProcessRunner {
    /// Runs `executable` with `arguments`, feeding `input` on stdin, and waits at most `timeout` seconds.
    ///
    /// - Throws: when the program cannot be started. A program still running at the timeout is killed
    ///   and reported with status -9.
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil,
                           environment: [String: String]? = nil, currentDirectory: URL? = nil,
                           timeout: TimeInterval = 120) throws -> ProcessResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bw-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (inPath, outPath, errPath) = ["in", "out", "err"].map { scratch.appendingPathComponent($0).path }.triple
        // stdin from a file: a program that does not read it cannot block the test.
        FileManager.default.createFile(atPath: inPath, contents: input ?? Data())
        let child = try ChildProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory?.path,
                                     stdin: inPath, stdout: outPath, stderr: errPath)
        var status = child.wait(timeout: timeout)
        if status == nil { child.stop(grace: 0); status = -9 }
        return ProcessResult(status: status ?? -9,
                             stdout: (try? Data(contentsOf: URL(fileURLWithPath: outPath))) ?? Data(),
                             stderr: (try? Data(contentsOf: URL(fileURLWithPath: errPath))) ?? Data())
    }

    /// Runs the built `burnwatch` binary.
    public static func burnwatch(_ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
                                 timeout: TimeInterval = 120) throws -> ProcessResult {
        try run(TestPaths.binary.path, arguments, input: input, environment: environment, timeout: timeout)
    }
}

extension Array {
    /// The first three elements (the array has at least three).
    fileprivate var triple: (Element, Element, Element) { (self[0], self[1], self[2]) }
}
