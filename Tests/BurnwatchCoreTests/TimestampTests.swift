import Testing
@testable import BurnwatchCore

@Suite struct TimestampTests {
    @Test func parsesPrometheusDurations() {
        #expect(Interval.parse("5m")?.milliseconds == 300_000)
        #expect(Interval.parse("1h30m")?.milliseconds == 5_400_000)
        #expect(Interval.parse("250ms")?.milliseconds == 250)
        #expect(Interval.parse("1d")?.milliseconds == 86_400_000)
        #expect(Interval.parse("30m1h") == nil)
        #expect(Interval.parse("") == nil)
        #expect(Interval.parse("5") == nil)
        #expect(Interval(milliseconds: 5_400_000).description == "1h30m")
    }

    @Test func rfc3339RoundTrips() {
        let t = RFC3339.parse("2026-11-24T21:18:23.123Z")
        #expect(t?.milliseconds == 1_795_555_103_123)
        #expect(t.map(RFC3339.format) == "2026-11-24T21:18:23.123Z")
        #expect(RFC3339.parse("2026-11-24T22:18:23+01:00")?.milliseconds == 1_795_555_103_000)
        #expect(RFC3339.parse("2026-11-24 21:18:23") == nil)
        #expect(RFC3339.format(Timestamp(milliseconds: 0)) == "1970-01-01T00:00:00Z")
    }
}
