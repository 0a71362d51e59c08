import BurnwatchCore

/// The `<!-- burnwatch:… -->` comments of ANNOTATIONS.md: finding them in HTML and reading their bodies.
public enum RunbookAnnotation {
    /// One `<!-- burnwatch:name body -->` comment.
    public struct Comment: Hashable, Sendable {
        /// The word after `burnwatch:` (`signals`, `check`, or something unknown).
        public var name: String
        /// The text after the name, trimmed.
        public var body: String
    }

    /// What an HTML literal holds: the burnwatch comments, and whether anything besides comments
    /// and whitespace is left (that rest is shown as plain text).
    public struct Scan: Hashable, Sendable {
        public var comments: [Comment]
        /// The HTML with every comment removed, trimmed; empty when it held comments only.
        public var remainder: String
    }

    /// Splits an HTML literal into burnwatch comments and the rest. Other HTML comments are dropped
    /// (viewers hide them too).
    /// - Complexity: O(n) in the length of `html`.
    public static func scan(_ html: String) -> Scan {
        var comments: [Comment] = []
        var remainder = ""
        var rest = Substring(html)
        while let open = rest.range(of: "<!--") {
            remainder += rest[rest.startIndex..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "-->") else {
                remainder += rest[open.lowerBound...]
                rest = rest[rest.endIndex...]
                break
            }
            let inner = afterOpen[afterOpen.startIndex..<close.lowerBound].trimmingSpaces()
            if inner.hasPrefix("burnwatch:") {
                let afterPrefix = inner.dropFirst("burnwatch:".count)
                let name = afterPrefix.prefix { !$0.isWhitespace }
                let body = afterPrefix.dropFirst(name.count).trimmingSpaces()
                comments.append(Comment(name: String(name), body: String(body)))
            }
            rest = afterOpen[close.upperBound...]
        }
        remainder += rest
        return Scan(comments: comments, remainder: String(remainder.trimmingSpaces()))
    }

    /// Reads a `signals` body: comma- (or space-) separated kinds.
    /// - Returns: the known kinds in order, and a message when something is wrong (an empty list or
    ///   unknown kinds); the known kinds still count.
    public static func parseSignals(_ body: String) -> (kinds: [SignalKind], problem: String?) {
        let words = body.split { $0 == "," || $0.isWhitespace }.map(String.init)
        guard !words.isEmpty else { return ([], "empty burnwatch:signals annotation: name at least one signal kind") }
        var kinds: [SignalKind] = []
        var unknown: [String] = []
        for word in words {
            if let kind = SignalKind(rawValue: word) {
                if !kinds.contains(kind) { kinds.append(kind) }
            } else {
                unknown.append(word)
            }
        }
        guard unknown.isEmpty else {
            let known = SignalKind.allCases.map(\.rawValue).joined(separator: ", ")
            let names = unknown.map { "'\($0)'" }.joined(separator: ", ")
            return (kinds, "unknown signal kind\(unknown.count > 1 ? "s" : "") \(names) in burnwatch:signals (known: \(known))")
        }
        return (kinds, nil)
    }

    /// Reads a `check` body: a PromQL expression, then one comparison operator and a number at the end.
    ///
    /// Only the condition is read here; the expression is checked by a `CheckExpressionValidator`.
    /// - Returns: the check, or a message saying what is missing.
    public static func parseCheck(_ body: String) -> Result<LiveCheck, AnnotationError> {
        let text = body.trimmingSpaces()
        guard !text.isEmpty else { return .failure(AnnotationError("empty burnwatch:check annotation: write `EXPR OP NUMBER`")) }
        // The condition is the suffix after the last operator character: the number holds none of them.
        guard let opEnd = text.lastIndex(where: { "<>=!".contains($0) }) else {
            return .failure(AnnotationError("burnwatch:check has no comparison at the end: write `EXPR OP NUMBER` with OP one of < <= > >= == !="))
        }
        let numberText = text[text.index(after: opEnd)...].trimmingSpaces()
        var opStart = opEnd
        if text[opEnd] == "=", opEnd > text.startIndex {
            let before = text.index(before: opEnd)
            if "<>=!".contains(text[before]) { opStart = before }
        }
        let opText = String(text[opStart...opEnd])
        guard let comparison = LiveCheck.Comparison(rawValue: opText) else {
            return .failure(AnnotationError("burnwatch:check has an unknown comparison '\(opText)': use one of < <= > >= == !="))
        }
        guard !numberText.isEmpty else {
            return .failure(AnnotationError("burnwatch:check has no number after '\(opText)'"))
        }
        guard let threshold = Double(numberText), !threshold.isNaN else {
            return .failure(AnnotationError("burnwatch:check threshold '\(numberText)' is not a number"))
        }
        let expression = text[text.startIndex..<opStart].trimmingSpaces()
        if let last = expression.last, "<>=!".contains(last) {
            return .failure(AnnotationError("burnwatch:check has an unknown comparison '\(last)\(opText)': use one of < <= > >= == !="))
        }
        guard !expression.isEmpty else {
            return .failure(AnnotationError("burnwatch:check has an empty expression before '\(opText) \(numberText)'"))
        }
        return .success(LiveCheck(expression: String(expression), comparison: comparison, threshold: threshold))
    }
}

/// Why an annotation could not be read.
public struct AnnotationError: Error, Hashable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines.
    func trimmingSpaces() -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { start = index(after: start) }
        while end > start, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[start..<end]
    }
}
