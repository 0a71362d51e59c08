import ArgumentParser
import BurnwatchCore
import BurnwatchRunbooks
import Foundation

/// `burnwatch runbooks …`: check and list runbook folders without opening the console.
struct RunbooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runbooks",
        abstract: "Check and list runbooks (the bundled ones and team folders).",
        subcommands: [RunbooksLint.self, RunbooksList.self, RunbooksSearch.self])
}

/// `burnwatch runbooks lint [DIR…]`: every broken link, duplicate anchor, unanswered signal kind and
/// malformed annotation, as `file:line: message`; exit 1 when there is any.
struct RunbooksLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check runbook folders: links, anchors, signal map, annotations.",
        discussion: """
            With no DIR, checks the runbooks bundled with burnwatch. With DIRs, checks those folders as \
            one library (later folders overlay earlier ones); add --with-bundled to check them overlaid on \
            the bundled runbooks, as the console sees them. Prints each problem as `file:line: message` \
            and exits 1 when there is any; otherwise prints a one-line summary and exits 0.
            """)

    @Argument(help: "Runbook folders to check (default: the bundled runbooks).")
    var directories: [String] = []

    @Flag(help: "Overlay DIRs on the bundled runbooks, as `--runbooks DIR` does in the console.")
    var withBundled = false

    func run() throws {
        let includeBundled = directories.isEmpty || withBundled
        let loaded = RunbookLoader.library(includeBundled: includeBundled, teamDirectories: directories)
        let name = directories.last ?? RunbookLoader.bundledDirectory ?? "bundled runbooks"
        // Live checks must parse with the same PromQL parser the console evaluates them with.
        let promql = CheckExpressionValidator { expression in
            do { _ = try PromQLParser.parse(expression); return nil } catch {
                return "check expression does not parse: \(error)"
            }
        }
        let linter = RunbookLinter(validator: .structural.and(promql))
        let findings = loaded.findings + linter.lint(loaded.library, libraryName: name)
        for finding in findings { CommandOutput.report(finding.description) }
        let library = loaded.library
        if findings.isEmpty {
            let sections = library.documents.reduce(0) { $0 + $1.sections.count }
            let items = library.documents.reduce(0) { $0 + $1.checklistItems.count }
            let checks = library.documents.reduce(0) { $0 + $1.checklistItems.filter { $0.liveCheck != nil }.count }
            let links = library.documents.reduce(0) { $0 + $1.links.filter { !$0.isExternal }.count }
            print("ok: \(library.documents.count) runbooks, \(sections) sections, \(items) checklist items "
                  + "(\(checks) live checks), \(links) links, \(SignalKind.allCases.count)/\(SignalKind.allCases.count) signal kinds answered")
            return
        }
        printError("\(findings.count) problem\(findings.count == 1 ? "" : "s") found")
        throw ExitCode(1)
    }
}

/// `burnwatch runbooks list`: files, sections (with anchors and signals) and the signal map.
struct RunbooksList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List runbooks, their sections and which sections answer each signal kind.")

    @Option(name: .customLong("runbooks"), help: "A team runbook folder overlaying the bundled ones (repeatable).")
    var teamDirectories: [String] = []

    @Flag(help: "Leave out the bundled runbooks.")
    var noBundled = false

    func run() throws {
        let loaded = RunbookLoader.library(includeBundled: !noBundled, teamDirectories: teamDirectories)
        for finding in loaded.findings { printError("warning: \(finding.description)") }
        let library = loaded.library
        for document in library.documents {
            let origin = document.layer == 0 ? "bundled" : "team: \(document.sourcePath)"
            CommandOutput.report("\(document.fileName) — \(document.title) (\(origin))")
            for section in document.sections {
                let indent = String(repeating: "  ", count: max(section.level, 1))
                var line = "\(indent)\(section.title)  #\(section.anchor)"
                if !section.checklistItems.isEmpty { line += "  [\(section.checklistItems.count) items]" }
                if !section.signals.isEmpty { line += "  signals: \(section.signals.map(\.rawValue).joined(separator: ", "))" }
                CommandOutput.report(line)
            }
        }
        print("")
        print("signal map:")
        let width = SignalKind.allCases.map(\.rawValue.count).max() ?? 0
        for kind in SignalKind.allCases {
            let refs = library.sections(for: kind).map(\.description)
            let padded = kind.rawValue + String(repeating: " ", count: width - kind.rawValue.count)
            CommandOutput.report("  \(padded)  \(refs.isEmpty ? "(no section)" : refs.joined(separator: ", "))")
        }
    }
}

/// `burnwatch runbooks search TEXT`: every line holding TEXT (case-insensitive) with its section.
struct RunbooksSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find text in the runbooks; prints `file:line: #section: text`, exits 1 when nothing matches.")

    @Argument(help: "The text to find (case-insensitive).")
    var text: String

    @Option(name: .customLong("runbooks"), help: "A team runbook folder overlaying the bundled ones (repeatable).")
    var teamDirectories: [String] = []

    @Option(name: .customLong("in"), help: "Search only this runbook file (e.g. errors.md).")
    var fileName: String?

    func run() throws {
        let loaded = RunbookLoader.library(includeBundled: true, teamDirectories: teamDirectories)
        for finding in loaded.findings { printError("warning: \(finding.description)") }
        let hits = loaded.library.search(text, in: fileName)
        for hit in hits {
            CommandOutput.report("\(hit.fileName):\(hit.line): #\(hit.sectionAnchor): \(hit.text)")
        }
        if hits.isEmpty { throw ExitCode(1) }
    }
}

private func printError(_ text: String) { CommandOutput.error(text) }
