import BurnwatchRunbooks
import BurnwatchTestSupport
import Foundation

/// Paths to the fixture runbook folders and helpers to parse them.
enum Fixtures {
    static let root = TestPaths.packageRoot.appendingPathComponent("Tests/BurnwatchRunbooksTests/Fixtures")

    static func folder(_ name: String) -> String { root.appendingPathComponent(name).path }

    static func document(_ folder: String, _ file: String) throws -> RunbookDocument {
        let path = root.appendingPathComponent(folder).appendingPathComponent(file).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return RunbookParser.parse(text, fileName: file)
    }

    /// The line number (1-based) of the first line of a fixture file containing `needle`.
    static func line(of needle: String, in folder: String, _ file: String) throws -> Int {
        let path = root.appendingPathComponent(folder).appendingPathComponent(file).path
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.contains(needle) }) else {
            throw FixtureError.notFound(needle)
        }
        return index + 1
    }

    enum FixtureError: Error { case notFound(String) }
}
