import BurnwatchCore
import Foundation

/// PromRegex against a reference (ICU's NSRegularExpression, fully anchored) on a small alphabet:
/// where both accept the pattern, both give the same answer for every text tried (patterns where
/// ICU is known to answer differently from RE2 are left out, see the checks below).
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
        if hasLoopICUMisjudges(pattern) { return }
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

    /// Whether `pattern` has a loop on which ICU is the wrong oracle; both kinds repeat something
    /// that can match the empty string:
    ///
    /// - with `*?` or `+?` (`()*?`, `(a|)*?`, `(a*)+?`, `^*?`). When what follows such a loop
    ///   fails, ICU fails the whole match instead of trying the other alternatives: `()*?d|` does
    ///   not match "" in ICU, nor `(a|)*?d|a` "a", while in RE2 (Go's regexp, which Prometheus
    ///   uses) and Perl the other alternative matches. Lazy `{m,n}?` loops are not affected.
    /// - with a count of 24 or more (`(|a){30}`): ICU backtracks through every way of splitting
    ///   the text among the iterations, runs out of its backtracking stack and reports no match
    ///   (`(|a){30}` on 30 `a`s: no match in ICU, a match in RE2; `(a|){30}`, which tries the
    ///   letter first, matches in both).
    static func hasLoopICUMisjudges(_ pattern: String) -> Bool {
        let p = Array(pattern)
        var i = 0
        var found = false
        // Alternatives up to a `)` or the end: whether one of them can match the empty string.
        func alternation() -> Bool {
            var canBeEmpty = branch()
            while i < p.count, p[i] == "|" {
                i += 1
                let next = branch()
                canBeEmpty = canBeEmpty || next
            }
            return canBeEmpty
        }
        func branch() -> Bool {
            var canBeEmpty = true
            while i < p.count, p[i] != "|", p[i] != ")" {
                var atomCanBeEmpty = false
                switch p[i] {
                case "(":
                    i += 1
                    if i + 1 < p.count, p[i] == "?", p[i + 1] == ":" { i += 2 }
                    atomCanBeEmpty = alternation()
                    if i < p.count { i += 1 }
                case "[":
                    i += 1
                    if i < p.count, p[i] == "^" { i += 1 }
                    if i < p.count, p[i] == "]" { i += 1 }
                    while i < p.count, p[i] != "]" { i += p[i] == "\\" ? 2 : 1 }
                    i += 1
                case "\\": i += 2
                case "^", "$": i += 1; atomCanBeEmpty = true
                default: i += 1
                }
                while i < p.count {
                    if p[i] == "*" || p[i] == "+" || p[i] == "?" {
                        let op = p[i]
                        i += 1
                        let lazy = i < p.count && p[i] == "?"
                        if lazy { i += 1 }
                        if lazy, op != "?", atomCanBeEmpty { found = true }
                        if op != "+" { atomCanBeEmpty = true }
                    } else if p[i] == "{", let (minimum, largest, end) = repetition(p, i) {
                        i = end
                        if i < p.count, p[i] == "?" { i += 1 }
                        if largest >= 24, atomCanBeEmpty { found = true }
                        if minimum == 0 { atomCanBeEmpty = true }
                    } else {
                        break
                    }
                }
                canBeEmpty = canBeEmpty && atomCanBeEmpty
            }
            return canBeEmpty
        }
        while i < p.count {
            _ = alternation()
            i += 1  // a `)` without its `(`
        }
        return found
    }

    /// `{m}`, `{m,}` or `{m,n}` at `p[i]`: its minimum, its largest count written (`n`, else `m`)
    /// and the index after its `}` (else nil: a literal `{`).
    static func repetition(_ p: [Character], _ i: Int) -> (Int, Int, Int)? {
        var j = i + 1
        var minimum = 0
        var digits = 0
        while j < p.count, let d = p[j].wholeNumberValue, p[j].isASCII {
            minimum = min(minimum * 10 + d, 1_000_000); j += 1; digits += 1
        }
        guard digits > 0, j < p.count else { return nil }
        var largest = minimum
        if p[j] == "," {
            j += 1
            var maximum = 0, maxDigits = 0
            while j < p.count, let d = p[j].wholeNumberValue, p[j].isASCII {
                maximum = min(maximum * 10 + d, 1_000_000); j += 1; maxDigits += 1
            }
            if maxDigits > 0 { largest = max(minimum, maximum) }
        }
        guard j < p.count, p[j] == "}" else { return nil }
        return (minimum, largest, j + 1)
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
