/// Where something was found: a file (or target, or source name), line and column, each optional.
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    /// The file path, target URL or source name.
    public var source: String?
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column (in characters), when known.
    public var column: Int?

    public init(source: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.source = source; self.line = line; self.column = column
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        var parts: [String] = []
        if let source { parts.append(source) }
        if let line { parts.append(String(line)) }
        if let column { parts.append(String(column)) }
        return parts.joined(separator: ":")
    }
}

/// The one error type of burnwatch: an extensible code, a message and a position.
///
/// Codes are open (a struct, not an enum) so that a target can add its own without breaking
/// callers that switch over the ones they know.
public struct BurnwatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, extensible error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public var name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let parse = Code("parse")
        public static let config = Code("config")
        public static let io = Code("io")
        public static let query = Code("query")
        public static let network = Code("network")
        public static let runbook = Code("runbook")
        public static let journal = Code("journal")
        public static let recording = Code("recording")
        public static let usage = Code("usage")
    }

    public var code: Code
    public var message: String
    public var position: SourcePosition?

    public init(_ code: Code, _ message: String, at position: SourcePosition? = nil) {
        self.code = code; self.message = message; self.position = position
    }

    /// `file:line:column: message`, or just the message when there is no position.
    public var description: String {
        if let position, !position.description.isEmpty { return "\(position): \(message)" }
        return message
    }
}
