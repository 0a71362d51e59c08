import BurnwatchCore
import Testing

@Suite struct SLOReportFormatTests {
    func status(service: String = "api", ratio: Double?) -> SLOStatus {
        let spec = SLOSpec(service: service, name: "availability", objective: 0.999,
                           indicator: .events(errorQuery: "e", totalQuery: "t"))
        let m = SLOWindowMeasurement(errorRatio: ratio, events: ratio == nil ? nil : 1200)
        return SLOStatus.compute(spec, at: Timestamp(milliseconds: 1_767_225_600_500), measurements: Array(repeating: m, count: 8))
    }

    @Test func numbersAreShortestAndMissingOnesNull() {
        let json = SLOReportFormat.json(at: Timestamp(milliseconds: 1_767_225_600_500), statuses: [status(ratio: 0.000001)])
        #expect(json.hasPrefix("{\"at\":1767225600.5,\"slos\":[{\"service\":\"api\",\"name\":\"availability\",\"objective\":0.999,\"period_seconds\":2592000,"))
        #expect(json.contains("\"5m\":{\"error_ratio\":1e-06,\"burn_rate\":0.000999999999999999"))
        #expect(json.contains("\"events\":1200}"))
        #expect(json.hasSuffix("\"state\":\"ok\"}],\"signals\":[]}"))
        let empty = SLOReportFormat.json(at: Timestamp(milliseconds: 5000), statuses: [status(ratio: nil)])
        #expect(empty.contains("\"budget_remaining\":null,\"time_to_exhaustion_seconds\":null"))
        #expect(empty.contains("\"state\":\"no_data\""))
        #expect(!empty.contains(":0,") && !empty.contains(":0}"))  // null, never 0, when there is no data
    }

    @Test func textFromConfigIsEscaped() {
        let json = SLOReportFormat.json(at: Timestamp(milliseconds: 0), statuses: [status(service: "a\"b\u{1b}[31m\n", ratio: 0)])
        #expect(json.contains("\"service\":\"a\\\"b\\u001b[31m\\n\""))
        #expect(!json.contains("\u{1b}"))
    }

    @Test func theTableShowsTiersAndBudgetConsumed() {
        let text = SLOReportFormat.text(at: Timestamp(milliseconds: 0), statuses: [status(ratio: 0.02)])
        #expect(text.contains("api/availability  objective 99.9%  period 30d  state PAGE"))
        #expect(text.contains("page    14.4x  over 1h/5m    budget used in long window 2.7778%  FIRING since ?"))
    }
}
