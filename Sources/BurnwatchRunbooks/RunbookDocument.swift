import BurnwatchCore

/// One parsed runbook file: its name, title, sections, checklist items, links and annotation problems.
///
/// A document is a value built by `RunbookParser` from Markdown text; it holds no file handle and no
/// clock. Blocks before the first heading are kept in `preamble`.
public struct RunbookDocument: Hashable, Sendable {
    /// The file name, e.g. `reliability.md` (no directory): how links and checklist ids name it.
    public var fileName: String
    /// Where the file came from: a path or a label such as `bundled`, for messages only.
    public var sourcePath: String
    /// Which folder layer the document belongs to: 0 = bundled, 1… = team folders in the order given.
    public var layer: Int
    /// The text of the first level-1 heading, or the file name when there is none.
    public var title: String
    /// Blocks before the first top-level heading.
    public var preamble: [RunbookBlock]
    /// Every top-level heading with the blocks up to the next top-level heading, in file order.
    public var sections: [RunbookSection]
    /// Every link in the document (in file order), external ones included.
    public var links: [RunbookLink]
    /// Problems found while reading annotations (malformed signal or check comments), in line order.
    public var annotationFindings: [RunbookFinding]
    /// The source lines (without line terminators), kept for search; line `n` is `sourceLines[n - 1]`.
    public var sourceLines: [String]

    public init(fileName: String, sourcePath: String, layer: Int, title: String, preamble: [RunbookBlock],
                sections: [RunbookSection], links: [RunbookLink], annotationFindings: [RunbookFinding],
                sourceLines: [String]) {
        self.fileName = fileName; self.sourcePath = sourcePath; self.layer = layer; self.title = title
        self.preamble = preamble; self.sections = sections; self.links = links
        self.annotationFindings = annotationFindings; self.sourceLines = sourceLines
    }

    /// Every checklist item of the document, in file order.
    public var checklistItems: [ChecklistItem] { sections.flatMap(\.checklistItems) }

    /// The section with this anchor, if any.
    /// - Complexity: O(n) in the number of sections.
    public func section(anchor: String) -> RunbookSection? {
        sections.first { $0.anchor == anchor }
    }

    /// The section that holds the given 1-based source line (the last section starting at or before it).
    public func section(containingLine line: Int) -> RunbookSection? {
        sections.last { $0.line <= line }
    }

    /// Every anchor that a link can name in this document (top-level and nested headings).
    public var anchors: Set<String> {
        var result = Set(sections.map(\.anchor))
        for section in sections { result.formUnion(section.nestedAnchors) }
        return result
    }
}

/// A top-level heading and the blocks under it, up to the next heading.
public struct RunbookSection: Hashable, Sendable {
    /// Heading level, 1…6.
    public var level: Int
    /// The heading's plain text.
    public var title: String
    /// The heading's inline content, for rendering.
    public var titleInlines: [RunbookInline]
    /// The GitHub-style anchor (`retry-storms`, `retry-storms-1` for the second one).
    public var anchor: String
    /// The anchor before GitHub's duplicate suffix was added; equal to `anchor` for the first heading.
    public var baseAnchor: String
    /// 1-based line of the heading.
    public var line: Int
    /// The signal kinds this section answers (from a `burnwatch:signals` annotation under the heading).
    public var signals: [SignalKind]
    /// The blocks under the heading (the heading itself and annotation comments excluded).
    public var blocks: [RunbookBlock]
    /// The `- [ ]` items in this section, in file order (nested ones included).
    public var checklistItems: [ChecklistItem]
    /// Anchors of headings nested inside blocks of this section (e.g. in a block quote).
    public var nestedAnchors: [String]

    public init(level: Int, title: String, titleInlines: [RunbookInline], anchor: String, baseAnchor: String,
                line: Int, signals: [SignalKind], blocks: [RunbookBlock], checklistItems: [ChecklistItem],
                nestedAnchors: [String] = []) {
        self.level = level; self.title = title; self.titleInlines = titleInlines; self.anchor = anchor
        self.baseAnchor = baseAnchor; self.line = line; self.signals = signals; self.blocks = blocks
        self.checklistItems = checklistItems; self.nestedAnchors = nestedAnchors
    }
}

/// A `- [ ]` item of a runbook: what a responder ticks.
public struct ChecklistItem: Hashable, Sendable, Identifiable {
    /// Stable id: `<file>#<section-anchor>/<slug of the text>`, with `-2`, `-3` for repeats in a section.
    public var id: String
    /// The item's plain text (first paragraph, annotation removed).
    public var text: String
    /// The file the item is in.
    public var fileName: String
    /// The anchor of the section the item is in (empty before the first heading).
    public var sectionAnchor: String
    /// 1-based line of the item.
    public var line: Int
    /// Whether the Markdown source marks it done (`- [x]`); the journal's state is kept apart.
    public var checkedInSource: Bool
    /// The live check annotated on the item, if any (and if its condition parsed).
    public var liveCheck: LiveCheck?

    public init(id: String, text: String, fileName: String, sectionAnchor: String, line: Int,
                checkedInSource: Bool, liveCheck: LiveCheck?) {
        self.id = id; self.text = text; self.fileName = fileName; self.sectionAnchor = sectionAnchor
        self.line = line; self.checkedInSource = checkedInSource; self.liveCheck = liveCheck
    }
}

/// A query and a condition that the console evaluates beside a checklist item.
public struct LiveCheck: Hashable, Sendable, CustomStringConvertible {
    /// The PromQL expression (not validated here; see `CheckExpressionValidator`).
    public var expression: String
    /// How each sample is compared with `threshold`.
    public var comparison: Comparison
    /// The number each sample is compared with.
    public var threshold: Double

    /// A comparison operator of a check condition.
    public enum Comparison: String, CaseIterable, Hashable, Sendable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="

        /// Whether `value <op> threshold` holds.
        public func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .less: value < threshold
            case .lessOrEqual: value <= threshold
            case .greater: value > threshold
            case .greaterOrEqual: value >= threshold
            case .equal: value == threshold
            case .notEqual: value != threshold
            }
        }
    }

    public init(expression: String, comparison: Comparison, threshold: Double) {
        self.expression = expression; self.comparison = comparison; self.threshold = threshold
    }

    /// The outcome for a set of sample values: nil when there is no data, else whether every sample passes.
    public func evaluate(_ values: [Double]) -> Bool? {
        guard !values.isEmpty else { return nil }
        return values.allSatisfy { comparison.holds($0, threshold) }
    }

    /// `expression op threshold`, as written in an annotation.
    public var description: String { "\(expression) \(comparison.rawValue) \(formatThreshold(threshold))" }
}

func formatThreshold(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

/// A link found in a runbook.
public struct RunbookLink: Hashable, Sendable {
    /// The destination as written (`errors.md#retry-storms`, `#symptoms`, `https://…`).
    public var destination: String
    /// The target file name for a link to another runbook; nil for a same-file anchor or an external URL.
    public var targetFile: String?
    /// The anchor after `#`, if any (percent-decoded).
    public var anchor: String?
    /// True for URLs with a scheme (`https:`, `mailto:`) that lint does not follow.
    public var isExternal: Bool
    /// 1-based line of the block that holds the link.
    public var line: Int

    public init(destination: String, targetFile: String?, anchor: String?, isExternal: Bool, line: Int) {
        self.destination = destination; self.targetFile = targetFile; self.anchor = anchor
        self.isExternal = isExternal; self.line = line
    }
}
