import BurnwatchCore
import Testing

/// Inputs that `make fuzz` (target `promql`) found breaking the PromQL printer (docs/fuzzing.md).
@Suite struct PromQLFuzzFindingTests {
    /// A `__name__` that is not an identifier was printed bare (`http.*{…}`), which does not parse.
    @Test func metricNamesThatAreNotIdentifiersPrintAsMatchers() throws {
        let expr = try PromQLParser.parse(#"{__name__="http.*", code!="200"} offset -11m"#)
        let printed = expr.description
        #expect(printed.hasPrefix("{"), "\(printed)")
        let again = try PromQLParser.parse(printed)
        #expect(again.description == printed)
        #expect(printed == #"{__name__="http.*", code!="200"} offset -11m"#, "readable by Prometheus 2 and 3")
        #expect(try PromQLParser.parse(#"{__name__="up", job="a"}"#).description == #"up{job="a"}"#)
    }

    /// A backslash before a newline in a string reported column 0 of the next line.
    @Test func unknownEscapeOfANewlinePointsAtTheEscapedCharacter() {
        #expect {
            try PromQLParser.parse("up{a=~\"x\\\n\"}")
        } throws: { error in
            let position = (error as? BurnwatchError)?.position
            return position?.line == 1 && position?.column == 10
        }
    }

    /// The lexer read grapheme clusters: a combining mark after a closing quote merged with the
    /// quote, so the string did not end there. Prometheus reads runes: the string ends, and the
    /// mark is an unexpected character.
    @Test func aCombiningMarkAfterAClosingQuoteDoesNotMergeWithIt() {
        // The first one is the fuzzer's: it read as the string `x"` + U+0301, printed as `"x\"` + U+0301 + `"`,
        // and that print did not parse (unknown escape `\"` + U+0301).
        for text in ["\"x\"\u{301}\"", "\"x\"\u{301}", "up{a=\"x\"\u{301}}"] {
            let mark = Array(text.unicodeScalars).firstIndex(of: "\u{301}")! + 1
            #expect {
                try PromQLParser.parse(text)
            } throws: { error in
                let e = error as? BurnwatchError
                return e?.message.contains("unexpected character") == true && e?.position?.line == 1 && e?.position?.column == mark
            }
        }
    }

    /// A combining mark after an escape backslash merged with it: `\` + U+0301 is an unknown
    /// escape (column of the mark); after an escaped backslash (`\\`) the mark is a character of the string.
    @Test func aCombiningMarkAfterAnEscapeBackslashDoesNotMergeWithIt() throws {
        #expect {
            try PromQLParser.parse("\"a\\\u{301}\"")
        } throws: { error in
            let e = error as? BurnwatchError
            return e?.message.contains("unknown escape sequence") == true && e?.position?.column == 4
        }
        let expr = try PromQLParser.parse("\"a\\\\\u{301}\"")
        guard case .string(let s) = expr else { Issue.record("not a string: \(expr)"); return }
        #expect(Array(s.unicodeScalars) == ["a", "\\", "\u{301}"])
        #expect(try PromQLParser.parse(expr.description).description == expr.description)
    }

    /// A label value with a quote followed by a combining mark (the fuzzer's `x{a="\x22` U+0301 `"}`):
    /// `Labels.escape` went by `Character`s, and a quote with a mark is not the `Character` `"`, so
    /// it was printed unescaped (`x{a=""` U+0301 `"}`), which does not parse.
    @Test func aQuoteFollowedByACombiningMarkInAValueReadsBack() throws {
        #expect(Labels.escape("\"\u{301}\\\u{301}") == "\\\"\u{301}\\\\\u{301}")
        for text in ["x{a=\"\\x22\u{301}\"}", "x{a=\"q\\\"\u{301}\"}"] {
            let expr = try PromQLParser.parse(text)
            guard case .vectorSelector(let vs) = expr, let m = vs.matchers.first(where: { $0.name == "a" }) else {
                Issue.record("not a selector with label a: \(expr)"); continue
            }
            #expect(m.value.unicodeScalars.suffix(2).elementsEqual(["\"", "\u{301}"]), "\(text)")
            let printed = expr.description
            #expect(try PromQLParser.parse(printed).description == printed, "\(text)")
        }
    }

    /// Two metric names in the braces (`{"job", "a"}`): Prometheus 3 reads them as two `__name__`
    /// matchers; the printer put the first one before the braces (`job{__name__="a"}`), which sets
    /// the name twice and does not parse. Every name now stays inside the braces.
    @Test func selectorsThatNameTheMetricTwiceInsideTheBracesReadBack() throws {
        let cases = [
            #"{"job", "a"}"#: #"{__name__="job", __name__="a"}"#,
            #"{"a","b"}"#: #"{__name__="a", __name__="b"}"#,
            #"{"a", __name__=~"x.*"}"#: #"{__name__="a", __name__=~"x.*"}"#,
            #"{__name__="a", "b", job="x"}[5m]"#: #"{__name__="a", __name__="b", job="x"}[5m]"#,
            #"{"up", job="x"}"#: #"up{job="x"}"#,
        ]
        for (text, expected) in cases {
            let printed = try PromQLParser.parse(text).description
            #expect(printed == expected, "\(text)")
            #expect(try PromQLParser.parse(printed).description == printed, "\(text)")
        }
    }

    /// A name before the braces and one inside, or a string before the braces, is rejected, as
    /// Prometheus 3 rejects them.
    @Test func aMetricNameBeforeTheBracesAndInsideThemIsRejected() {
        for text in [#"a{"b"}"#, #"job{__name__="a"}"#, #"a{__name__=~"x"}"#, #""a"{"b"}"#, #""a"{job="x"}"#] {
            #expect(throws: BurnwatchError.self, "\(text)") { try PromQLParser.parse(text) }
        }
    }

    /// `ignoring()` before `group_left` was left out of the print (an empty `ignoring` is the
    /// default), and `group_left` alone does not parse: `(… / group_left() sum (up))`.
    @Test func anEmptyIgnoringBeforeAGroupModifierIsPrinted() throws {
        for text in ["sum(increase(http_requests_total[3m] offset 60s)) / ignoring() group_left sum(up)",
                     "a * ignoring() group_right(x) b", "a + on() group_left b"] {
            let printed = try PromQLParser.parse(text).description
            #expect(printed.contains("ignoring()") || printed.contains("on()"), "\(printed)")
            // The print parenthesises every binary operation, so reading it back adds parentheses.
            let bare = { (s: String) in s.filter { $0 != "(" && $0 != ")" } }
            #expect(bare(try PromQLParser.parse(printed).description) == bare(printed), "\(text)")
        }
        #expect(try PromQLParser.parse("a / ignoring() b").description == "(a / b)")
    }

    /// Thousands of `(` (the fuzzer's `Sting-((((…`) overflowed the stack of the recursive parser:
    /// a tree deeper than 256 levels (parentheses not counted) is a parse error now.
    @Test func deeplyNestedExpressionsAreAParseErrorNotAStackOverflow() throws {
        for text in ["Sting-" + String(repeating: "(", count: 4000) + "#(((nt", String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000),
                     String(repeating: "-", count: 5000) + "1", "sum(" + String(repeating: "abs(", count: 3000) + "up" + String(repeating: ")", count: 3001)] {
            #expect {
                try PromQLParser.parse(text)
            } throws: { error in
                (error as? BurnwatchError)?.message.contains("nested too deeply") == true
            }
        }
        // The fuzzer's second input: a chain of 300 comparisons parsed (no recursion), but its print
        // puts each in parentheses, 300 deep, which did not parse back. The tree's depth counts.
        #expect(throws: BurnwatchError.self) { try PromQLParser.parse("up" + String(repeating: " <= up", count: 300)) }
        for text in [String(repeating: "(", count: 200) + "up" + String(repeating: ")", count: 200),
                     "up" + String(repeating: " <= up", count: 250), String(repeating: "-", count: 250) + "1"] {
            let printed = try PromQLParser.parse(text).description
            #expect(throws: Never.self, "\(text.prefix(20))") { try PromQLParser.parse(printed) }
        }
    }
}
