import BurnwatchCore
import Testing

/// Inputs where `make fuzz` (target `promregex`) found PromRegex and ICU disagreeing (docs/fuzzing.md).
@Suite struct PromRegexFuzzFindingTests {
    /// `()*?d|` on "": ICU says no match, because when what follows a lazy loop whose body can be
    /// empty fails, it gives up on the other alternatives. In RE2 (Go's regexp, which Prometheus
    /// uses, anchored at both ends) the empty alternative matches. PromRegex answers as RE2; the
    /// fuzz target leaves that class of patterns out of the comparison.
    @Test func lazyLoopsThatCanMatchEmptyLeaveTheOtherAlternativesOpen() throws {
        let cases: [(String, String, Bool)] = [
            ("()*?d|", "", true),
            ("()*?d|", "d", true),
            ("(a|)*?d|a", "a", true),
            ("()*?d|b", "b", true),
            ("(a*)*?d|", "", true),
            ("()*?d", "", false),
            ("()*?d", "d", true),
            ("(a|)*?d", "aad", true),
            ("(a|)*?d", "aa", false),
        ]
        for (pattern, text, expected) in cases {
            #expect(try PromRegex(pattern).matches(text) == expected, "/\(pattern)/ on \(text.debugDescription)")
        }
    }

    /// `(|.|saaa-1aaaaaa){111}` on "1" and 63 `a`s, and `(|a|saaa){111}........` on 48 `a`s then
    /// `1aa11`: PromRegex matches, as RE2 does (each iteration takes a character or nothing), ICU
    /// reports no match once the count reaches about 30 (it runs out of backtracking stack trying
    /// the empty alternative first). The fuzz target leaves such counted loops out.
    @Test func countedLoopsThatCanMatchEmptyMatchAsInRE2() throws {
        let cases: [(String, String, Bool)] = [
            ("(|.|saaa-1aaaaaa){111}", "1" + String(repeating: "a", count: 63), true),
            ("(|a|saaa){111}........", String(repeating: "a", count: 48) + "1aa11", true),
            ("(|a){30}", String(repeating: "a", count: 30), true),
            ("(|a){30}", String(repeating: "a", count: 31), false),
            ("(|a){3}", "aa", true),
            ("(|a){2,40}", "", true),
        ]
        for (pattern, text, expected) in cases {
            #expect(try PromRegex(pattern).matches(text) == expected, "/\(pattern)/ on \(text.debugDescription)")
        }
    }

    /// `^{222222}` on "": a count above 100,000 made `{…}` a literal (ICU and RE2 read a repeat; RE2
    /// rejects a count above 1,000). Any `{m}`, `{m,}`, `{m,n}` is a repeat, too large is an error.
    @Test func repeatCountsTooLargeAreInvalidNotLiterals() throws {
        for pattern in ["^{222222}", "a{1001}", "a{2,222222}", "a{99999999999999999999}"] {
            #expect(throws: BurnwatchError.self, "\(pattern)") { try PromRegex(pattern) }
        }
        #expect(try PromRegex("a{2}").matches("aa"))
        #expect(try PromRegex("a{1000}").matches(String(repeating: "a", count: 1000)))
    }
}
