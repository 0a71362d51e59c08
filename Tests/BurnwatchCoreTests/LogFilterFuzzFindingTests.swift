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
