import BurnwatchCore
import Testing

/// Inputs that `make fuzz` (target `log-filter`) found breaking the filter grammar (docs/fuzzing.md).
@Suite struct LogFilterFuzzFindingTests {
    /// The canonical form wrote values between quotes without escaping them, so a value holding a
    /// quote printed as a filter that does not parse.
    @Test func canonicalFormOfValuesWithQuotesReadsBack() throws {
        let texts = [
            #"not level=iclient":"127.0.0.1:53752","frontend":"fe""#,
            #"msg="say \"hi\" to C:\\temp""#,
            "msg='tab\\there\\nnewline'",
        ]
        for text in texts {
            let filter = try LogFilter(parsing: text)
            let again = try LogFilter(parsing: filter.description)
            #expect(again == filter, "\(text) printed as \(filter.description)")
            #expect(again.description == filter.description)
        }
        #expect(try LogFilter(parsing: #"msg="a\"b""#).description == #"msg="a\"b""#)
    }
}

/// Inputs that `make fuzz` (target `promql`) found breaking the PromQL printer (docs/fuzzing.md).
@Suite struct PromQLFuzzFindingTests {
    /// A `__name__` that is not an identifier was printed bare (`http.*{…}`), which does not parse.
    @Test func metricNamesThatAreNotIdentifiersPrintAsMatchers() throws {
        let expr = try PromQLParser.parse(#"{__name__="http.*", code!="200"} offset -11m"#)
        let printed = expr.description
        #expect(printed.hasPrefix("{"), "\(printed)")
        let again = try PromQLParser.parse(printed)
        #expect(again.description == printed)
        #expect(try PromQLParser.parse(#"{__name__="up", job="a"}"#).description == #"up{job="a"}"#)
    }
}

extension PromQLFuzzFindingTests {
    /// Found by `promql`: a backslash before a newline in a string reported column 0 of the next line.
    @Test func unknownEscapeOfANewlinePointsAtTheEscapedCharacter() {
        #expect {
            try PromQLParser.parse("up{a=~\"x\\\n\"}")
        } throws: { error in
            let position = (error as? BurnwatchError)?.position
            return position?.line == 1 && position?.column == 10
        }
    }
}
