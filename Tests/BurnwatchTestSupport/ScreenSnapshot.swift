import BurnwatchUI
import Foundation

/// Snapshot testing of screens: compares `ScreenBuffer.textDump()` with a checked-in file.
///
/// Snapshots live in `Tests/BurnwatchUITests/__Snapshots__/NAME.txt`. A missing or different
/// snapshot fails; only with `BURNWATCH_RECORD_SNAPSHOTS=1` in the environment is the file
/// (re)written, and the comparison then reports the recording so that it is reviewed by eye.
public enum ScreenSnapshot {
    /// The folder that holds the snapshots.
    public static var directory: URL {
        TestPaths.packageRoot.appendingPathComponent("Tests/BurnwatchUITests/__Snapshots__")
    }

    /// Whether this run records snapshots instead of comparing them.
    public static var isRecording: Bool {
        ProcessInfo.processInfo.environment["BURNWATCH_RECORD_SNAPSHOTS"] == "1"
    }

    /// Compares `buffer.textDump()` with snapshot `name`.
    ///
    /// - Returns: nil when they match (or when recording); otherwise a message with a line diff.
    public static func mismatch(_ buffer: ScreenBuffer, named name: String) -> String? {
        mismatch(text: buffer.textDump(), named: name)
    }

    /// Compares `text` with snapshot `name`; see `mismatch(_:named:)`.
    public static func mismatch(text: String, named name: String) -> String? {
        let url = directory.appendingPathComponent(name + ".txt")
        if isRecording {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                return "could not record snapshot \(url.path): \(error)"
            }
            return nil
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return "missing snapshot \(url.path); run with BURNWATCH_RECORD_SNAPSHOTS=1 to record it, then review it\n"
                + "actual:\n" + text
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected == text { return nil }
        return "snapshot \(name) differs:\n" + diff(expected: expected, actual: text)
    }

    /// A line-by-line diff: `-` expected, `+` actual, for lines that differ.
    public static func diff(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<none>"
            let al = i < a.count ? String(a[i]) : "<none>"
            if el != al {
                out.append("\(i + 1) - |\(el)|")
                out.append("\(i + 1) + |\(al)|")
            }
        }
        return out.joined(separator: "\n")
    }
}
