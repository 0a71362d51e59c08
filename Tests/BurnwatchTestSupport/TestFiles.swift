import Foundation

/// File writes that tests share, e.g. growing a log file that a follower tails.
public enum TestFiles {
    /// Appends `lines` to the file at `path`, each ending in `\n`; creates the file when missing.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - lines: the lines, without their newlines.
    /// - Throws: when the file cannot be opened or written.
    public static func append(_ path: String, _ lines: [String]) throws {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
        try h.close()
    }
}
