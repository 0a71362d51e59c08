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
}
