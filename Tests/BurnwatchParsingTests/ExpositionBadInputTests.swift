import BurnwatchCore
import BurnwatchParsing
import Testing

/// Names of the samples kept, in order.
func names(_ parsed: ParsedExposition) -> [String] { parsed.samples.map { $0.labels.metricName ?? "" } }

@Suite struct ExpositionBadInputTests {
    @Test func garbageLineInTheMiddle() {
        let parsed = parseText("a 1\nthis is not a sample\n%%%\nb 2\n")
        #expect(names(parsed) == ["a", "b"])
        #expect(parsed.errors.map(\.line) == [2, 3])
        #expect(parsed.errors[0].column == 6 && parsed.errors[0].reason == "invalid value 'is'")
        #expect(parsed.errors[1].column == 1 && parsed.errors[1].reason == "expected a metric name")
    }

    @Test func truncatedBodyDropsTheCutLine() {
        let mid = parseText("a 1\nb{x=\"y")
        #expect(names(mid) == ["a"])
        #expect(mid.errors.count == 1 && mid.errors[0].line == 2 && mid.errors[0].reason.contains("truncated"))
        // A cut value looks like a valid number: the missing newline is the only sign, so the line is dropped.
        let cutValue = parseText("a 1\nb 12")
        #expect(names(cutValue) == ["a"])
        #expect(cutValue.errors.map(\.line) == [2])
        #expect(cutValue.errors.first?.reason.contains("without a newline") == true)
    }

    @Test func openMetricsWithoutEOF() {
        let parsed = parseText("# TYPE a gauge\na 1\nb 2\n", .openMetrics)
        #expect(names(parsed) == ["a", "b"])
        #expect(parsed.errors.count == 1 && parsed.errors[0].reason.contains("missing '# EOF'") && parsed.errors[0].line == 3)
    }

    @Test func invalidUTF8InALabelValue() {
        var bytes = Array("a 1\nb{x=\"ok".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"} 2\nc 3\n".utf8)
        let parsed = Exposition.parse(bytes, format: .prometheusText)
        #expect(names(parsed) == ["a", "c"])
        #expect(parsed.errors.count == 1)
        #expect(parsed.errors[0].line == 2 && parsed.errors[0].column == 8 && parsed.errors[0].reason.contains("UTF-8"))
        // Valid multi-byte text is fine and columns count characters.
        let good = parseText("b{x=\"żółw\"} 2 x\n")
        #expect(good.errors.first?.column == 15, "\(good.errors)")
    }

    @Test func duplicateSeriesKeepsTheFirst() {
        let parsed = parseText("a{x=\"1\"} 1\na{x=\"2\"} 2\na{x=\"1\"} 3\nb 4\n")
        #expect(parsed.samples.map(\.value) == [1, 2, 4])
        #expect(parsed.errors.count == 1 && parsed.errors[0].line == 3 && parsed.errors[0].reason.contains("duplicate series"))
    }

    @Test func duplicateLabelNameIsAnError() {
        let parsed = parseText("a{x=\"1\",x=\"2\"} 1\nb 2\n")
        #expect(names(parsed) == ["b"])
        #expect(parsed.errors.first?.column == 9 && parsed.errors.first?.reason.contains("duplicate label name") == true)
    }

    @Test func nanInACounterIsReportedAndKept() {
        let parsed = parseText("# TYPE c counter\nc_total NaN\n# TYPE g gauge\ng NaN\n")
        #expect(parsed.samples.count == 2)
        #expect(parsed.samples[0].value.isNaN)
        #expect(parsed.errors.count == 1 && parsed.errors[0].line == 2 && parsed.errors[0].reason.contains("NaN value in counter"))
    }

    @Test func veryLongLabelValue() {
        let long = String(repeating: "v", count: 100_000)
        let parsed = parseText("a 1\nb{x=\"\(long)\"} 2\nc 3\n")
        #expect(names(parsed) == ["a", "c"])
        #expect(parsed.errors.count == 1 && parsed.errors[0].line == 2 && parsed.errors[0].column == 6)
        #expect(parsed.errors[0].reason.contains("longer than 65536 bytes"))
        // Below the limit it is kept intact.
        let ok = parseText("b{x=\"\(String(repeating: "w", count: 60_000))\"} 2\n")
        #expect(ok.samples.first?.labels["x"]?.count == 60_000)
    }

    @Test func badEscapes() {
        let parsed = parseText("a{x=\"bad \\q escape\"} 1\nb{x=\"ends with \\\"} 2\nc 3\n")
        #expect(names(parsed) == ["c"])
        #expect(parsed.errors.count == 2)
        #expect(parsed.errors[0].line == 1 && parsed.errors[0].column == 10 && parsed.errors[0].reason.contains("invalid escape"))
        #expect(parsed.errors[1].line == 2 && parsed.errors[1].reason.contains("unterminated label value"))
    }

    @Test func badTimestampsAndTypes() {
        let parsed = parseText("# TYPE x stateset\na 1 1.5\nb 2 1700000000000\n")
        #expect(names(parsed) == ["b"])
        #expect(parsed.errors.map(\.line) == [1, 2])
        #expect(parsed.errors[0].reason.contains("unknown metric type 'stateset'"))
        #expect(parsed.errors[1].reason.contains("integer milliseconds") && parsed.errors[1].column == 5)
        let om = parseText("a 1 NaN\nb 2 1.5\n# EOF\n", .openMetrics)
        #expect(names(om) == ["b"] && om.samples.first?.timestamp == Timestamp(milliseconds: 1500))
        #expect(om.errors.map(\.line) == [1])
    }

    @Test func openMetricsIsStrictAboutCommentsAndBlankLines() {
        let parsed = parseText("# random comment\na 1\n\nb 2\n# EOF\n", .openMetrics)
        #expect(names(parsed) == ["a", "b"])
        #expect(parsed.errors.map(\.line) == [1, 3])
        let text = parseText("# random comment\na 1\n\nb 2\n")
        #expect(names(text) == ["a", "b"] && text.errors.isEmpty)
    }

    @Test func errorsBecomeBurnwatchErrorsWithPosition() {
        let parsed = parseText("a 1\nb{ 2\n")
        let errors = parsed.burnwatchErrors(source: "http://127.0.0.1:9100/metrics")
        #expect(errors.count == 1)
        #expect(errors[0].code == .parse)
        #expect(errors[0].position == SourcePosition(source: "http://127.0.0.1:9100/metrics", line: 2, column: 4))
    }
}
