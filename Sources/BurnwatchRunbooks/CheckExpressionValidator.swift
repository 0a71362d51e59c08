/// The seam through which lint checks the PromQL expression of a `burnwatch:check`.
///
/// The default, `structural`, checks what can be checked without a PromQL parser (brackets,
/// quotes, a dangling operator). The CLI can supply one backed by the real query parser.
public struct CheckExpressionValidator: Sendable {
    /// Returns a message saying what is wrong with the expression, or nil when it is acceptable.
    public var validate: @Sendable (String) -> String?

    public init(_ validate: @escaping @Sendable (String) -> String?) { self.validate = validate }

    /// Both validators in turn; the first problem wins.
    public func and(_ other: CheckExpressionValidator) -> CheckExpressionValidator {
        let first = validate, second = other.validate
        return CheckExpressionValidator { first($0) ?? second($0) }
    }

    /// Structural checks: balanced and well-nested `()`, `[]`, `{}` outside strings; closed `"…"`,
    /// `'…'` and `` `…` `` strings; no binary operator at either end; something to evaluate.
    /// - Complexity: O(n) in the length of the expression.
    public static let structural = CheckExpressionValidator { expression in
        var stack: [(Character, Int)] = []
        var quote: Character?
        var escaped = false
        var quoteColumn = 0
        var column = 0
        let closing: [Character: Character] = [")": "(", "]": "[", "}": "{"]
        for character in expression {
            column += 1
            if let open = quote {
                if escaped { escaped = false; continue }
                if character == "\\" && open != "`" { escaped = true; continue }
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'", "`":
                quote = character; quoteColumn = column
            case "(", "[", "{":
                stack.append((character, column))
            case ")", "]", "}":
                guard let (open, _) = stack.last else { return "unbalanced '\(character)' at column \(column) of the check expression" }
                guard open == closing[character] else {
                    return "'\(character)' at column \(column) closes '\(open)' in the check expression"
                }
                stack.removeLast()
            case "#":
                return "comment character '#' at column \(column) of the check expression"
            default:
                break
            }
        }
        if let open = quote { return "unterminated string starting with \(open) at column \(quoteColumn) of the check expression" }
        if let (open, at) = stack.last { return "unclosed '\(open)' at column \(at) of the check expression" }
        let trimmed = expression.trimmingSpaces()
        guard trimmed.contains(where: { $0.isLetter || $0.isNumber }) else { return "the check expression has nothing to evaluate" }
        if let last = trimmed.last, "+-*/%^,=~!<>".contains(last) {
            return "the check expression ends with '\(last)'"
        }
        if let first = trimmed.first, "*/%^,=~!<>)]}".contains(first) {
            return "the check expression starts with '\(first)'"
        }
        return nil
    }
}
