/// GitHub-style heading anchors (as github-slugger makes them).
public enum GitHubAnchor {
    /// The base anchor of a heading text: lowercase, punctuation and symbols dropped (except `-` and
    /// `_`), each space turned into `-`. Kept: what GitHub's `\p{Word}` keeps, i.e. letters, marks,
    /// decimal and letter numbers (not `²` or `½`) and connector punctuation.
    /// - Complexity: O(n) in the length of `text`.
    public static func slug(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar == " " { out.append("-"); continue }
            if scalar == "-" || scalar == "_" { out.append(scalar); continue }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark,
                 .decimalNumber, .letterNumber, .connectorPunctuation:
                out.append(scalar)
            default:
                continue
            }
        }
        return String(out)
    }

    /// Hands out unique anchors in document order, the way GitHub does: `a`, `a-1`, `a-2`.
    public struct Slugger: Sendable {
        private var occurrences: [String: Int] = [:]

        public init() {}

        /// The unique anchor for the next heading with this text.
        public mutating func anchor(for text: String) -> String {
            let base = GitHubAnchor.slug(text)
            var candidate = base
            while let count = occurrences[base], occurrences[candidate] != nil {
                occurrences[base] = count + 1
                candidate = "\(base)-\(count + 1)"
            }
            occurrences[candidate] = 0
            return candidate
        }
    }
}
