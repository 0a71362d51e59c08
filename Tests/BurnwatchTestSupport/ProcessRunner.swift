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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("bw-out-\(UUID().uuidString)")
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("bw-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try? inPipe.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        var killed = false
        while process.isRunning {
            if Date() > deadline { process.terminate(); kill(process.processIdentifier, SIGKILL); killed = true; break }
            usleep(10_000)
        }
        process.waitUntilExit()
        try? out.close(); try? err.close()
        return ProcessResult(status: killed ? -9 : process.terminationStatus,
                             stdout: (try? Data(contentsOf: outURL)) ?? Data(),
                             stderr: (try? Data(contentsOf: errURL)) ?? Data())
    }

    /// Runs the built `burnwatch` binary.
    public static func burnwatch(_ arguments: [String], input: Data? = nil, environment: [String: String]? = nil,
                                 timeout: TimeInterval = 120) throws -> ProcessResult {
        try run(TestPaths.binary.path, arguments, input: input, environment: environment, timeout: timeout)
    }
}
