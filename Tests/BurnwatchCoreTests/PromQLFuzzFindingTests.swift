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
}
