import BurnwatchCore

/// A problem in a runbook folder that lint reports: what, in which file, on which line.
public struct RunbookFinding: Hashable, Sendable, CustomStringConvertible {
    /// The kinds of problem lint knows.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case brokenLink = "broken-link"
        case missingAnchor = "missing-anchor"
        case duplicateAnchor = "duplicate-anchor"
        case unansweredSignal = "unanswered-signal"
        case malformedSignalAnnotation = "malformed-signal-annotation"
        case malformedCheckAnnotation = "malformed-check-annotation"
        case unknownAnnotation = "unknown-annotation"
        case unreadableFile = "unreadable-file"
    }

    public var kind: Kind
    /// The file (as the user named it: a path or a file name).
    public var file: String
    /// 1-based line; 0 when the problem is not on a line (e.g. a signal with no section at all).
    public var line: Int
    public var message: String

    public init(_ kind: Kind, file: String, line: Int, _ message: String) {
        self.kind = kind; self.file = file; self.line = line; self.message = message
    }

    /// `file:line: message` (line left out when 0).
    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }

    /// The finding as a `BurnwatchError` with code `.runbook`.
    public var error: BurnwatchError {
        BurnwatchError(.runbook, message, at: SourcePosition(source: file, line: line > 0 ? line : nil))
    }
}
