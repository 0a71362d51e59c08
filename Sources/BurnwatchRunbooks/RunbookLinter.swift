import BurnwatchCore

/// Finds what is wrong in a runbook library: broken links and anchors, duplicate anchors, signal
/// kinds no section answers, and malformed signal or check annotations.
public struct RunbookLinter: Sendable {
    /// Checks the PromQL of `burnwatch:check` annotations.
    public var validator: CheckExpressionValidator

    public init(validator: CheckExpressionValidator = .structural) { self.validator = validator }

    /// Every finding in the library, sorted by file then line.
    /// - Parameters:
    ///   - library: the runbooks to check (the documents in effect after overlays).
    ///   - libraryName: what to name in findings that belong to no single file when the library has
    ///     no `README.md` (a folder path); with one, such findings name its first line.
    ///   - requireEverySignal: report each signal kind that no section answers.
    /// - Complexity: O(total size of the documents).
    public func lint(_ library: RunbookLibrary, libraryName: String, requireEverySignal: Bool = true) -> [RunbookFinding] {
        var findings: [RunbookFinding] = []
        for document in library.documents {
            findings += document.annotationFindings
            findings += checkExpressions(in: document)
            findings += duplicateAnchors(in: document)
            findings += brokenLinks(in: document, library: library)
        }
        var sorted = findings.enumerated().sorted {
            ($0.element.file, $0.element.line, $0.offset) < ($1.element.file, $1.element.line, $1.offset)
        }.map(\.element)
        if requireEverySignal {
            // Named at the main page's first line when there is one, so every finding reads `file:line:`.
            let mainPage = library.document(named: "README.md")
            for kind in SignalKind.allCases where library.sections(for: kind).isEmpty {
                sorted.append(RunbookFinding(.unansweredSignal, file: mainPage?.sourcePath ?? libraryName, line: mainPage == nil ? 0 : 1,
                                             "signal kind '\(kind.rawValue)' has no section: add `<!-- burnwatch:signals \(kind.rawValue) -->` under a heading"))
            }
        }
        return sorted
    }

    func checkExpressions(in document: RunbookDocument) -> [RunbookFinding] {
        document.checklistItems.compactMap { item in
            guard let check = item.liveCheck, let problem = validator.validate(check.expression) else { return nil }
            return RunbookFinding(.malformedCheckAnnotation, file: document.sourcePath, line: item.line, problem)
        }
    }

    func duplicateAnchors(in document: RunbookDocument) -> [RunbookFinding] {
        var firstLine: [String: Int] = [:]
        var findings: [RunbookFinding] = []
        for section in document.sections where !section.baseAnchor.isEmpty {
            if let line = firstLine[section.baseAnchor] {
                findings.append(RunbookFinding(.duplicateAnchor, file: document.sourcePath, line: section.line,
                                               "duplicate anchor '#\(section.baseAnchor)' (first at line \(line)); links to it reach only the first, this heading is '#\(section.anchor)'"))
            } else {
                firstLine[section.baseAnchor] = section.line
            }
        }
        return findings
    }

    func brokenLinks(in document: RunbookDocument, library: RunbookLibrary) -> [RunbookFinding] {
        document.links.compactMap { link in
            switch library.resolve(link, from: document.fileName) {
            case .section, .document, .external:
                return nil
            case .missingFile(let name):
                return RunbookFinding(.brokenLink, file: document.sourcePath, line: link.line,
                                      "broken link '\(link.destination)': no runbook named '\(name)'")
            case .missingAnchor(let name, let anchor):
                return RunbookFinding(.missingAnchor, file: document.sourcePath, line: link.line,
                                      "broken link '\(link.destination)': '\(name)' has no heading with anchor '#\(anchor)'")
            }
        }
    }
}
