import BurnwatchRunbookFiles
import Foundation

/// The only file reading of `BurnwatchRunbooks`: loads `*.md` files of runbook folders.
///
/// An unreadable folder or file is reported as a finding and skipped; the rest still loads.
public enum RunbookLoader {
    /// What loading produced: the documents, and findings for what could not be read.
    public struct Loaded: Sendable {
        public var library: RunbookLibrary
        public var findings: [RunbookFinding]
    }

    /// The folder of runbooks bundled with the binary, if the resource bundle is present.
    public static var bundledDirectory: String? { BundledRunbooks.directory?.path }

    /// Loads the bundled runbooks (when `includeBundled`) overlaid by the team folders, in order.
    /// - Parameters:
    ///   - includeBundled: start from the runbooks bundled with the binary.
    ///   - teamDirectories: folders given with `--runbooks DIR`; later ones overlay earlier ones.
    public static func library(includeBundled: Bool = true, teamDirectories: [String] = []) -> Loaded {
        var documents: [RunbookDocument] = []
        var findings: [RunbookFinding] = []
        if includeBundled {
            if let bundled = bundledDirectory {
                let loaded = loadDirectory(bundled, layer: 0)
                documents += loaded.documents; findings += loaded.findings
            } else {
                findings.append(RunbookFinding(.unreadableFile, file: "bundled runbooks", line: 0,
                                               "the bundled runbooks are missing (resource bundle not found beside the binary)"))
            }
        }
        for (index, directory) in teamDirectories.enumerated() {
            let loaded = loadDirectory(directory, layer: index + 1)
            documents += loaded.documents; findings += loaded.findings
        }
        return Loaded(library: RunbookLibrary(documents: documents), findings: findings)
    }

    /// Reads every `*.md` file directly inside `directory`, sorted by name with `README.md` first.
    /// - Returns: the parsed documents and a finding per folder or file that could not be read.
    public static func loadDirectory(_ directory: String, layer: Int) -> (documents: [RunbookDocument], findings: [RunbookFinding]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            return ([], [RunbookFinding(.unreadableFile, file: directory, line: 0, "cannot read runbook folder: \(describe(error))")])
        }
        let markdown = names.filter { $0.lowercased().hasSuffix(".md") }.sorted { a, b in
            let aReadme = a.lowercased() == "readme.md", bReadme = b.lowercased() == "readme.md"
            return aReadme != bReadme ? aReadme : a < b
        }
        var documents: [RunbookDocument] = []
        var findings: [RunbookFinding] = []
        for name in markdown {
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                findings.append(RunbookFinding(.unreadableFile, file: path, line: 0, "cannot read runbook file"))
                continue
            }
            if String(data: data, encoding: .utf8) == nil {
                findings.append(RunbookFinding(.unreadableFile, file: path, line: 0, "runbook file is not valid UTF-8; invalid bytes shown as U+FFFD"))
            }
            documents.append(RunbookParser.parse(String(decoding: data, as: UTF8.self), fileName: name, sourcePath: path, layer: layer))
        }
        return (documents, findings)
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
