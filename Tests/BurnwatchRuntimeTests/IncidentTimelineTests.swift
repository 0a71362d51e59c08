import BurnwatchCore
import BurnwatchRecording
@testable import BurnwatchRuntime
import Testing

@Suite("Incident timeline")
struct IncidentTimelineTests {
    static let t0: Int64 = 1_796_000_000_000
    static func entry(_ id: Int64, _ seconds: Int64, _ kind: JournalEntry.Kind, _ text: String, who: String = "burnwatch",
                      item: String? = nil) -> JournalEntry {
        JournalEntry(id: id, time: Timestamp(milliseconds: t0 + seconds * 1000), kind: kind, who: who, text: text, itemID: item, runbookRef: nil)
    }

    static let entries = [
        entry(1, 10, .alert, "alert api/availability ticket 3d/6h fired (burn rate 1.2× over 3d, 1.2× over 6h; threshold 1×)"),
        entry(2, 40, .signal, "signal retry_storm fired on api (page): retries are 45% of requests"),
        entry(3, 70, .acknowledgement, "signal retry_storm on api acknowledged", who: "alice"),
        entry(4, 80, .tick, "", who: "alice", item: "reliability.md/retry-storms/1"),
        entry(5, 85, .comment, "rolled back to v41 | see #ops", who: "alice"),
        entry(6, 120, .signal, "signal saturation fired on api (warning): worker_pool at 92%"),
        entry(7, 200, .signal, "signal retry_storm resolved on api"),
        entry(8, 260, .signal, "signal saturation on api warning → page: worker_pool at 100%"),
        entry(9, 300, .signal, "signal saturation resolved on api"),
        entry(10, 400, .alert, "alert api/availability ticket 3d/6h resolved (burn rate 0.9× over 3d, 0.9× over 6h; threshold 1×)"),
    ]

    @Test func theMomentsAndTheirDurations() {
        let timeline = IncidentTimeline(recording: "r.burnwatch", start: Timestamp(milliseconds: Self.t0), end: Timestamp(milliseconds: Self.t0 + 500_000),
                                        entries: Self.entries.reversed(), transitions: [], checklistTotals: ["reliability.md": 26])
        let m = timeline.moments
        #expect(m.began?.milliseconds == Self.t0 + 10_000)
        #expect(m.detected?.milliseconds == Self.t0 + 40_000)         // the first page
        #expect(m.acknowledged?.milliseconds == Self.t0 + 70_000)
        #expect(m.mitigated?.milliseconds == Self.t0 + 300_000)       // saturation paged again at 260 s, ended at 300 s
        #expect(m.resolved?.milliseconds == Self.t0 + 400_000)        // the ticket alert was the last to end
        #expect(timeline.checklists == [IncidentTimeline.ChecklistProgress(runbook: "reliability.md", ticked: 1, total: 26)])
        let json = IncidentTimelineFormat.json(timeline)
        #expect(json.contains("\"time_to_detect_seconds\":30"))
        #expect(json.contains("\"time_to_acknowledge_seconds\":30"))
        #expect(json.contains("\"time_to_mitigate_seconds\":290"))
        #expect(json.contains("\"time_to_resolve_seconds\":390"))
        let markdown = IncidentTimelineFormat.markdown(timeline)
        #expect(markdown.contains("Time to detect: 30s; to acknowledge: 30s; to mitigate: 4m 50s; to resolve: 6m 30s."))
        #expect(markdown.contains("rolled back to v41 \\| see \\#ops"), "a pipe in a note does not break the table")
    }

    @Test func momentsNeverReachedAreNull() {
        let firing = Array(Self.entries.prefix(2))
        let timeline = IncidentTimeline(recording: "r", start: Timestamp(milliseconds: Self.t0), end: Timestamp(milliseconds: Self.t0 + 60_000),
                                        entries: firing, transitions: [], checklistTotals: [:])
        #expect(timeline.moments.mitigated == nil)
        #expect(timeline.moments.resolved == nil)
        #expect(timeline.moments.acknowledged == nil)
        #expect(IncidentTimelineFormat.json(timeline).contains("\"time_to_resolve_seconds\":null"))
        let quiet = IncidentTimeline(recording: "r", start: Timestamp(milliseconds: Self.t0), end: Timestamp(milliseconds: Self.t0 + 1),
                                     entries: [], transitions: [], checklistTotals: [:])
        #expect(quiet.moments == IncidentTimeline.Moments())
    }
}
