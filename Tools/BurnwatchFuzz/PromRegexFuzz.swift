import BurnwatchCore
import Foundation

/// PromRegex against a reference (ICU's NSRegularExpression, fully anchored) on a small alphabet:
/// where both accept the pattern, both give the same answer for every text tried.
enum PromRegexFuzz {
    /// Pattern bytes map onto this alphabet, so that most inputs are patterns both engines read.
    static let patternAlphabet: [Character] = Array("ab.*+?|()[]^-{}12,\\dws")
    static let textAlphabet: [Character] = ["a", "b", "\n", "1", " "]

    static func run(_ data: UnsafeRawBufferPointer) {
        guard !data.isEmpty else { return }
        let patternLength = min(Int(data[0] % 24), data.count - 1)
        let pattern = String(data[1..<1 + patternLength].map { patternAlphabet[Int($0) % patternAlphabet.count] })
        let textBytes = data[(1 + patternLength)...]
        // ICU reads `*+`, `++`, `?+` and `}+` as possessive quantifiers, which RE2 rejects: not comparable.
        for possessive in ["*+", "++", "?+", "}+"] where pattern.contains(possessive) { return }
        if hasICUSetSyntax(pattern) { return }
        guard let ours = try? PromRegex(pattern) else { return }
        guard let reference = try? NSRegularExpression(pattern: "\\A(?:" + pattern + ")\\z") else { return }
        var texts = [""]
        var current = ""
        for b in textBytes.prefix(64) {
            if b == 0xFF { texts.append(current); current = ""; continue }
            current.append(textAlphabet[Int(b) % textAlphabet.count])
        }
        texts.append(current)
        for text in texts {
            let expected = reference.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            fuzzCheck(ours.matches(text) == expected, "/\(pattern)/ on \(text.debugDescription): ours \(!expected), ICU \(expected)")
        }
    }

    /// Whether a bracket expression holds `[`, `&&` or `--`, which ICU reads as nested sets and set
    /// operations while RE2 reads them as literal characters.
    static func hasICUSetSyntax(_ pattern: String) -> Bool {
        var inClass = false
        var previous: Character = " "
        var escaped = false
        for (k, c) in pattern.enumerated() {
            defer { previous = c }
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if !inClass { if c == "[" { inClass = true }; continue }
            if c == "[" || (c == "&" && previous == "&") || (c == "-" && previous == "-") { return true }
            // `]` right after `[` or `[^` is a literal in RE2 too; otherwise it ends the class.
            if c == "]", !(previous == "[" || (previous == "^" && k >= 2)) { inClass = false }
        }
        return false
    }
}
