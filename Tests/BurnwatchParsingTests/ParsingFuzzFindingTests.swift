import BurnwatchCore
import BurnwatchParsing
import Testing

/// Inputs that `make fuzz` found breaking a parser, kept so the fixes stay fixed (docs/fuzzing.md).
@Suite struct ParsingFuzzFindingTests {
    /// Found by `openmetrics`: lines after `# EOF` arriving in later chunks were reported again,
    /// once per chunk, so a body fed byte by byte had more errors than the same body whole.
    @Test func contentAfterEOFIsReportedOnceHoweverTheBodyIsFed() {
        let body = Array("# TYPE a gauge\na 1\n# EOF\n1\nnode_carrier_changes_total{device=\"ifb0\"} 0\nb 2\n".utf8)
        let whole = parseWhole(body, .openMetrics)
        #expect(whole.filter { $0.contains("content after '# EOF'") }.count == 1)
        #expect(parseInChunks(body, .openMetrics) { 1 } == whole)
        #expect(parseInChunks(body, .openMetrics) { 3 } == whole)
    }

    /// Found by `log-time`: a common-log time with a huge year trapped on arithmetic overflow.
    @Test func commonLogTimesWithFieldsOutOfRangeAreNoTime() {
        #expect(LogTime.parse(text: "24/Nov/0333333333333:651:33:651:s921") == nil)
        #expect(LogTime.parse(text: "24/Nov/2026:25:11:01 +0000") == nil)
        #expect(LogTime.parse(text: "32/Nov/2026:21:11:01 +0000") == nil)
        // An offset that is not ±hhmm is ignored (read as UTC), never `abs(Int.min)`.
        #expect(LogTime.parse(text: "24/Nov/2026:21:11:01 -9223372036854775808") == LogTime.parse(text: "24/Nov/2026:21:11:01 +0000"))
        #expect(LogTime.parse(text: "24/Nov/2026:21:11:01 +0100") == Timestamp(milliseconds: 1_795_551_061_000))
    }

    /// Found by `json-log`: a numeric level too large for an Int (`662E0186224`, infinite as a
    /// Double) trapped the conversion in every preset's parser and in the filter's matcher.
    @Test func numericLevelsBeyondAnyLevelAreUnknown() throws {
        let found = #"{"level":662E0186224,"logger":"http.log.access","msg":"haTT0..1:18081","uri":"/hello","he":["text/plain;set=utf-8"]}"#
        for text in ["662E0186224", "-1e400", "1e308", "30.5e100", "-9223372036854775809"] {
            let line = Array(found.replacingOccurrences(of: "662E0186224", with: text).utf8)
            for preset in LogPreset.allCases {
                var parser = LogLineParser(preset: preset)
                let level = line.withUnsafeBufferPointer { parser.parse($0).event.level }
                #expect(level == .unknown, "\(text) with \(preset)")
                var matcher = LogLineMatcher(filter: try LogFilter(parsing: "level>=error"), preset: preset)
                #expect(!line.withUnsafeBufferPointer { matcher.matches($0) }, "\(text) with \(preset)")
            }
        }
        #expect(LogLevel.numbered(30.0) == .info)
        #expect(LogLevel.numbered(Double.nan) == .unknown)
    }

    /// Found by `logfmt`: `=value` with no key gave a pair whose key was empty.
    @Test func logfmtValuesWithoutAKeyAreSkipped() {
        var line = Array("ts=2026-11-24T21:11:17.261Z caller=main.go:1192 =x =\"quoted\" level=info".utf8)
        let pairs = line.withUnsafeMutableBufferPointer { LogfmtScanner.pairs(UnsafeBufferPointer($0)) }
        #expect(pairs.map(\.0) == ["ts", "caller", "level"])
        #expect(pairs.last?.1 == "info")
    }
}
