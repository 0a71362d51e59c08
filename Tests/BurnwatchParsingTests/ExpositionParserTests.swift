import BurnwatchCore
import BurnwatchParsing
import Testing

/// Parses `text` and returns the body convenience result.
func parseText(_ text: String, _ format: ExpositionFormat = .prometheusText) -> ParsedExposition {
    Exposition.parse(Array(text.utf8), format: format)
}

@Suite struct ExpositionParserTests {
    @Test func textFormatSamplesMetadataAndEscapes() {
        let body = """
        # HELP http_requests_total Requests \\\\ served.\\nSecond line \\"kept\\".
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{ method = "post" , code="400", } 3 1395066363000
        # a plain comment
        msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
        metric_without_timestamp_and_labels 12.47
        something_weird{problem="division by zero"} +Inf -3982045
        neg_inf -Inf
        not_a_number NaN
        # TYPE rpc_duration_seconds summary
        rpc_duration_seconds{quantile="0.5"} 4773
        rpc_duration_seconds_sum 1.7560473e+07
        rpc_duration_seconds_count 2693

        """
        let parsed = parseText(body)
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        #expect(parsed.samples.count == 10)
        #expect(parsed.families["http_requests_total"]?.type == .counter)
        #expect(parsed.families["http_requests_total"]?.help == "Requests \\ served.\nSecond line \\\"kept\\\".")
        #expect(parsed.families["rpc_duration_seconds"]?.type == .summary)
        let first = parsed.samples[0]
        #expect(first.labels == Labels(["__name__": "http_requests_total", "method": "post", "code": "200"]))
        #expect(first.value == 1027)
        #expect(first.timestamp == Timestamp(milliseconds: 1_395_066_363_000))
        #expect(parsed.samples[1].labels["code"] == "400")
        #expect(parsed.samples[2].labels["path"] == "C:\\DIR\\FILE.TXT")
        #expect(parsed.samples[2].labels["error"] == "Cannot find file:\n\"FILE.TXT\"")
        #expect(parsed.samples[2].value == 1.458255915e9)
        #expect(parsed.samples[3].timestamp == nil)
        #expect(parsed.samples[4].value == .infinity && parsed.samples[4].timestamp == Timestamp(milliseconds: -3_982_045))
        #expect(parsed.samples[5].value == -.infinity)
        #expect(parsed.samples[6].value.isNaN)
        #expect(parsed.samples[8].value == 1.7560473e+07)
    }

    @Test func openMetricsTypesUnitsCreatedExemplarsAndEOF() {
        let body = """
        # TYPE acme_http_router_request_seconds summary
        # UNIT acme_http_router_request_seconds seconds
        # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
        acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
        acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
        acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
        # TYPE foo counter
        foo_total 17.0 1520879607.789 # {id="counter-test"} 5 1520879607.123
        foo_created 1520430000.123
        # TYPE build info
        build_info{version="1.2.3"} 1
        # TYPE state stateset
        state{state="a"} 1
        state{state="b"} 0
        # TYPE queue gaugehistogram
        queue_bucket{le="1.0"} 0
        queue_bucket{le="+Inf"} 17 # {trace_id="oHg5SJYRHA0"} 9.8 1520879607.789
        queue_gcount 17
        queue_gsum 42
        # TYPE other unknown
        other 1e-3
        # EOF
        """
        var parser = ExpositionParser(bytes: Array(body.utf8), format: .openMetrics)
        var exemplars: [(String, String, Double, Int64?)] = []
        var sawEOF = false
        while let entry = parser.next() {
            switch entry {
            case .sample(let s):
                if let ex = s.exemplar { exemplars.append((ex.labels.name(0), ex.labels.value(0), ex.value, ex.timestampMilliseconds)) }
            case .endOfFile: sawEOF = true
            case .error(let e): Issue.record("unexpected error \(e)")
            case .metadata: break
            }
        }
        #expect(sawEOF)
        #expect(exemplars.count == 2)
        #expect(exemplars.first?.0 == "id" && exemplars.first?.1 == "counter-test" && exemplars.first?.2 == 5)
        #expect(exemplars.first?.3 == 1_520_879_607_123)
        #expect(exemplars.last?.1 == "oHg5SJYRHA0" && exemplars.last?.2 == 9.8)

        let parsed = parseText(body, .openMetrics)
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        #expect(parsed.exemplarCount == 2)
        #expect(parsed.families["acme_http_router_request_seconds"] ==
                MetricFamilyMetadata(name: "acme_http_router_request_seconds", type: .summary,
                                     help: "Latency though all of ACME's HTTP request router.", unit: "seconds"))
        #expect(parsed.families["build"]?.type == .info)
        #expect(parsed.families["state"]?.type == .stateset)
        #expect(parsed.families["queue"]?.type == .gaugehistogram)
        #expect(parsed.families["other"]?.type == .unknown)
        let byName = Dictionary(parsed.samples.map { ($0.labels.metricName ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["foo_total"]?.timestamp == Timestamp(milliseconds: 1_520_879_607_789))
        #expect(byName["foo_created"]?.value == 1520430000.123)
        #expect(byName["acme_http_router_request_seconds_created"]?.value == 1605281325)
        #expect(byName["other"]?.value == 0.001)
        #expect(parsed.samples.count == 13)
    }

    @Test func quotedUTF8NamesAsPrometheus3WritesThem() {
        let body = """
        # HELP "my.metric" A dotted name.
        # TYPE "my.metric" gauge
        {"my.metric", "label.name"="v", plain="x"} 1
        {"my.metric","label.name"="w"} 2
        "other.metric"{"ü.label"="ö"} 3
        {"esc\\"aped"} 4

        """
        let parsed = parseText(body)
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        #expect(parsed.families["my.metric"]?.type == .gauge)
        #expect(parsed.samples.map(\.labels) == [
            Labels(["__name__": "my.metric", "label.name": "v", "plain": "x"]),
            Labels(["__name__": "my.metric", "label.name": "w"]),
            Labels(["__name__": "other.metric", "ü.label": "ö"]),
            Labels(["__name__": "esc\"aped"]),
        ])
    }

    @Test func helpEscapesDifferBetweenFormats() {
        let text = parseText("# HELP a x\\\\y\\nz\\\"q\na 1\n")
        #expect(text.families["a"]?.help == "x\\y\nz\\\"q")
        let om = parseText("# HELP a x\\\\y\\nz\\\"q\na 1\n# EOF\n", .openMetrics)
        #expect(om.families["a"]?.help == "x\\y\nz\"q")
    }

    @Test func contentTypeDetection() {
        #expect(ExpositionFormat.detect(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(ExpositionFormat.detect(contentType: "Application/OpenMetrics-Text") == .openMetrics)
        #expect(ExpositionFormat.detect(contentType: "text/plain; version=0.0.4; charset=utf-8") == .prometheusText)
        #expect(ExpositionFormat.detect(contentType: nil) == .prometheusText)
        #expect(ExpositionFormat.detect(contentType: "text/html") == .prometheusText)
    }

    @Test func numbersMatchTheStandardLibrary() {
        let inputs = ["0", "-0", "1", "0.1", "0.00023426100000000004", "1.7976931348623157e308", "5e-324",
                      "123456789012345678901234", "9007199254740993", "1e22", "1e23", "3.14159", "-2.5E-3",
                      "4.9406564584124654e-324", "0.000000001", "1e400", "+7", "0x1p3", "Inf", "+Inf", "-Inf"]
        for input in inputs {
            let parsed = parseText("m \(input)\n")
            #expect(parsed.errors.isEmpty, "\(input): \(parsed.errors)")
            #expect(parsed.samples.first?.value == Double(input), "\(input)")
        }
        // Go's shortest float64 text often has 16 or 17 digits (beyond the fast path): the reused
        // scratch text of the slow path must give each number its own value, in one body too.
        var rng = SeededRandom(seed: 7)
        var body = "", expected: [Double] = []
        for k in 0..<300 {
            let v = Double(rng.next() % 1_000_000_000_000) / 997.0 * (k % 2 == 0 ? 1 : 1e-9)
            body += "m{k=\"\(k)\"} \(v)\n"
            expected.append(v)
        }
        let many = parseText(body)
        #expect(many.errors.isEmpty)
        #expect(many.samples.map(\.value.bitPattern) == expected.map(\.bitPattern))
        for bad in ["1.2.3", "abc", "1e", "--1", "1_000", "0x"] {
            let parsed = parseText("m \(bad)\n")
            #expect(parsed.samples.isEmpty && parsed.errors.count == 1, "\(bad)")
        }
    }
}

@Suite struct ExpositionTimestampTests {
    /// OpenMetrics seconds become milliseconds truncated, as promtool does: these are the times
    /// `promtool tsdb create-blocks-from openmetrics` + `promtool tsdb dump` gave for this body.
    @Test func openMetricsSecondsTruncateToMillisecondsLikePromtool() {
        let body = """
        # TYPE a gauge
        a{k="1"} 1 1700000000.0019
        a{k="2"} 2 1700000000.0016
        a{k="3"} 3 1700000001.001
        a{k="4"} 4 1700000002.0005
        # EOF

        """
        let parsed = parseText(body, .openMetrics)
        #expect(parsed.errors.isEmpty)
        #expect(parsed.samples.map { $0.timestamp?.milliseconds } == [1_700_000_000_001, 1_700_000_000_001, 1_700_000_001_001, 1_700_000_002_000])
    }
}
