import BurnwatchCore

/// A section named by file and anchor, with what a list or a signal panel shows about it.
public struct RunbookSectionRef: Hashable, Sendable, CustomStringConvertible {
    public var fileName: String
    public var anchor: String
    public var title: String
    public var line: Int
    /// 0 = bundled, 1… = team folders.
    public var layer: Int

    public init(fileName: String, anchor: String, title: String, line: Int, layer: Int) {
        self.fileName = fileName; self.anchor = anchor; self.title = title; self.line = line; self.layer = layer
    }

    /// `file.md#anchor`, the form links and `burnwatch runbook` take.
    public var description: String { "\(fileName)#\(anchor)" }

    /// The file and anchor of a `file.md#anchor` reference (the inverse of `description`); the
    /// file is empty for `#anchor`, the anchor nil when there is no `#`.
    public static func split(_ reference: String) -> (fileName: String, anchor: String?) {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : nil)
    }
}

/// Where a link goes, once resolved against a library.
public enum RunbookResolution: Hashable, Sendable {
    /// A section of a runbook.
    case section(RunbookSectionRef)
    /// The top of a runbook (no anchor).
    case document(fileName: String)
    /// A URL or non-runbook file, not followed.
    case external(String)
    /// The link names a runbook file that the library does not hold.
    case missingFile(fileName: String)
    /// The file exists but has no heading with that anchor.
    case missingAnchor(fileName: String, anchor: String)
}

/// A line that matched a search.
public struct RunbookSearchHit: Hashable, Sendable {
    public var fileName: String
    /// The anchor of the section holding the line (empty before the first heading).
    public var sectionAnchor: String
    public var sectionTitle: String
    /// 1-based line.
    public var line: Int
    /// The line's text, trimmed.
    public var text: String
}

/// The runbooks a session can reach: bundled ones overlaid by team folders.
///
/// A team file with the same name as a bundled one replaces it; a later team folder replaces an
/// earlier one the same way. Pure: build it from documents that `RunbookLoader` read.
public struct RunbookLibrary: Hashable, Sendable {
    /// The documents in effect: the bundled order with replacements in place, then new team files.
    public private(set) var documents: [RunbookDocument]
    /// Documents hidden by a same-named file of a later layer.
    public private(set) var replaced: [RunbookDocument]

    /// Builds a library; each document's `layer` says which folder it came from.
    /// - Complexity: O(n log n) in the number of documents.
    public init(documents: [RunbookDocument]) {
        var effective: [RunbookDocument] = []
        var replaced: [RunbookDocument] = []
        var indexByName: [String: Int] = [:]
        let ordered = documents.enumerated().sorted { ($0.element.layer, $0.offset) < ($1.element.layer, $1.offset) }.map(\.element)
        for document in ordered {
            if let index = indexByName[document.fileName] {
                replaced.append(effective[index])
                effective[index] = document
            } else {
                indexByName[document.fileName] = effective.count
                effective.append(document)
            }
        }
        self.documents = effective
        self.replaced = replaced
    }

    /// The document with this file name, if any.
    public func document(named fileName: String) -> RunbookDocument? {
        documents.first { $0.fileName == fileName }
    }

    /// Every section that says it answers `kind`: team sections first (latest folder first), then
    /// bundled; within a folder in the order of the main page's signal map ("start here" first).
    public func sections(for kind: SignalKind) -> [RunbookSectionRef] {
        var refs: [RunbookSectionRef] = []
        for document in documents {
            for section in document.sections where section.signals.contains(kind) {
                refs.append(RunbookSectionRef(fileName: document.fileName, anchor: section.anchor, title: section.title,
                                              line: section.line, layer: document.layer))
            }
        }
        let listed = signalMapOrder(kind)
        func rank(_ r: RunbookSectionRef) -> Int { listed.firstIndex(of: r.description) ?? listed.count }
        return refs.enumerated().sorted {
            ($1.element.layer, rank($0.element), $0.offset) < ($0.element.layer, rank($1.element), $1.offset)
        }.map(\.element)
    }

    /// The sections the main page's signal map table lists for `kind`, as `file.md#anchor`, in order.
    ///
    /// - Complexity: O(lines of README.md).
    func signalMapOrder(_ kind: SignalKind) -> [String] {
        guard let main = document(named: "README.md") else { return [] }
        let prefix = "| `\(kind.rawValue)` |"
        guard let row = main.sourceLines.first(where: { $0.hasPrefix(prefix) }) else { return [] }
        var out: [String] = []
        var rest = Substring(row)
        while let open = rest.range(of: "]("), let close = rest[open.upperBound...].firstIndex(of: ")") {
            let destination = String(rest[open.upperBound..<close])
            out.append(destination.hasPrefix("#") ? "README.md" + destination : destination)
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// Every signal kind with the sections that answer it (kinds with none map to an empty list).
    public var signalMap: [SignalKind: [RunbookSectionRef]] {
        Dictionary(uniqueKeysWithValues: SignalKind.allCases.map { ($0, sections(for: $0)) })
    }

    /// Resolves a link destination written in `fileName`.
    public func resolve(_ destination: String, from fileName: String) -> RunbookResolution {
        resolve(RunbookLinkTarget.parse(destination, line: 0), from: fileName)
    }

    /// Resolves a parsed link written in `fileName`.
    public func resolve(_ link: RunbookLink, from fileName: String) -> RunbookResolution {
        if link.isExternal { return .external(link.destination) }
        let targetName = link.targetFile ?? fileName
        guard let document = document(named: targetName) else { return .missingFile(fileName: targetName) }
        guard let anchor = link.anchor, !anchor.isEmpty else { return .document(fileName: targetName) }
        if let section = document.section(anchor: anchor) {
            return .section(RunbookSectionRef(fileName: targetName, anchor: anchor, title: section.title,
                                              line: section.line, layer: document.layer))
        }
        if document.anchors.contains(anchor) {
            // A heading nested in a block: resolve to the section that holds it.
            if let holder = document.sections.first(where: { $0.nestedAnchors.contains(anchor) }) {
                return .section(RunbookSectionRef(fileName: targetName, anchor: holder.anchor, title: holder.title,
                                                  line: holder.line, layer: document.layer))
            }
        }
        return .missingAnchor(fileName: targetName, anchor: anchor)
    }

    /// The checklist item with this id, if any document holds it.
    public func checklistItem(id: String) -> ChecklistItem? {
        guard let hash = id.firstIndex(of: "#"), let document = document(named: String(id[..<hash])) else { return nil }
        return document.checklistItems.first { $0.id == id }
    }

    /// Lines containing `query`, case-insensitively, in one document or (nil) all of them.
    ///
    /// Annotation comments do not match. Results are in document order, then line order.
    /// - Complexity: O(total length of the searched text).
    public func search(_ query: String, in fileName: String? = nil) -> [RunbookSearchHit] {
        let needle = query.lowercased()
        guard !needle.isEmpty else { return [] }
        var hits: [RunbookSearchHit] = []
        for document in documents where fileName == nil || document.fileName == fileName {
            for (index, rawLine) in document.sourceLines.enumerated() {
                let visible = rawLine.contains("<!--") ? RunbookAnnotation.scan(rawLine).remainder : rawLine
                guard visible.lowercased().contains(needle) else { continue }
                let section = document.section(containingLine: index + 1)
                hits.append(RunbookSearchHit(fileName: document.fileName, sectionAnchor: section?.anchor ?? "",
                                             sectionTitle: section?.title ?? document.title, line: index + 1,
                                             text: String(visible.trimmingSpaces())))
            }
        }
        return hits
    }
}
