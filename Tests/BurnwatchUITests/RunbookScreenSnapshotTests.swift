import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchTestSupport
import BurnwatchUI
import Testing

/// Snapshots of the runbook screen (the whole console frame) at 80×24 and 120×40, UTF-8 and ASCII.
@Suite("Runbook screen snapshots")
struct RunbookScreenSnapshotTests {
    static let reliability = """
        # Reliability

        How to keep a service up when its *dependencies* fail. See [errors](errors.md#taxonomy) \
        and [a broken link](missing.md#gone).

        ## Retry storms
        <!-- burnwatch:signals retry_storm -->

        Retries multiply load: a **retry storm** happens when every layer retries `independently`.

        - [ ] Retries are below 10% of requests <!-- burnwatch:check sum(rate(retries[5m])) < 0.1 -->
        - [ ] Every retry loop has a budget
        - [x] Jittered backoff is in place
        - Plain bullet with 中文 wide text

        > Retry only **idempotent** requests.

        1. First
        2. Second

        ```go
        client := &http.Client{Timeout: 5 * time.Second}
        ```

        | Metric | Warn | Page |
        |---|---:|:---:|
        | retry ratio | 0.1 | 0.2 |
        | p99 latency | 300ms | 1s |

        ## Timeouts

        - [ ] Every outbound call has a deadline

        """
    static let errors = """
        # Errors

        ## Taxonomy

        - [ ] Errors are classified

        """

    static func frame(width: Int, height: Int, glyphs: Glyphs, ticked: Bool) -> ScreenBuffer {
        let library = RunbookLibrary(documents: [
            RunbookParser.parse(reliability, fileName: "reliability.md"),
            RunbookParser.parse(errors, fileName: "errors.md"),
        ])
        let retries = "reliability.md#retry-storms/retries-are-below-10-of-requests"
        let marks: [String: ChecklistMark] = ticked ? [retries: ChecklistMark(
            tickedBy: "alice", tickedAt: Timestamp(milliseconds: 1_764_000_000_000),
            notes: [ChecklistNote(author: "bob", time: Timestamp(milliseconds: 1_764_000_060_000), text: "ratio 4%")])] : [:]
        let size = TerminalSize(width: width, height: height)
        let state = RunbookScreenState(library: library, place: RunbookPlace(fileName: "reliability.md", anchor: "retry-storms"),
                                       marks: marks, user: "alice", glyphs: glyphs,
                                       size: TerminalSize(width: width, height: height - 2))
        let app = AppState(screens: [RunbookScreen(state: state)], size: size, glyphs: glyphs)
        return view(app, size: size)
    }

    @Test("runbook screen", arguments: [(80, 24), (120, 40)], [true, false])
    func snapshot(size: (Int, Int), utf8: Bool) {
        let glyphs = utf8 ? Glyphs.unicode : Glyphs.ascii
        let name = "runbook-\(size.0)x\(size.1)-\(utf8 ? "utf8" : "ascii")"
        let frame = Self.frame(width: size.0, height: size.1, glyphs: glyphs, ticked: true)
        if let mismatch = ScreenSnapshot.mismatch(frame, named: name) { Issue.record("\(mismatch)") }
        let dump = frame.textDump()
        #expect(dump.contains("ticked by alice"))
        #expect(dump.contains("section 1/3"))
        if !utf8 { #expect(!dump.contains("│")) }
    }

    @Test("every row fits the width, wide characters included")
    func rowsFit() {
        for (w, h) in [(80, 24), (120, 40), (50, 15), (40, 10)] {
            let frame = Self.frame(width: w, height: h, glyphs: .unicode, ticked: false)
            for y in 0..<frame.height {
                #expect(DisplayWidth.of(frame.rowText(y)) <= w, "row \(y) at \(w)x\(h)")
            }
        }
    }
}
