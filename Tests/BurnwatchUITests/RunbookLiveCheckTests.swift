import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchTestSupport
import BurnwatchUI
import Testing

/// Live check results beside checklist items: badges, evidence (`e`), the request effect, snapshots.
@Suite("Runbook live checks")
struct RunbookLiveCheckTests {
    static let runbook = """
        # Outbound HTTP

        ## Retry storms

        - [ ] Retries are below 10% of requests <!-- burnwatch:check sum by (peer) (rate(http_client_retries_total[5m])) / sum by (peer) (rate(http_client_requests_total[5m])) < 0.1 -->
        - [ ] Cache hit ratio is above half <!-- burnwatch:check min(cache_hit_ratio) > 0.5 -->
        - [ ] Outbox lag is under a minute <!-- burnwatch:check max(outbox_oldest_unpublished_age_seconds) < 60 -->
        - [ ] Queue depth is bounded <!-- burnwatch:check max(queue_depth) <= 1000 -->
        - [ ] Every retry loop has a budget

        """
    static let prefix = "outbound-http.md#retry-storms/"
    static let retries = prefix + "retries-are-below-10-of-requests"
    static let cache = prefix + "cache-hit-ratio-is-above-half"
    static let outbox = prefix + "outbox-lag-is-under-a-minute"
    static let queue = prefix + "queue-depth-is-bounded"
    static let at = Timestamp(milliseconds: 1_764_000_000_000)

    static var results: LiveCheckResultsEvent {
        let db = Labels(["peer": "db"]), cacheLabels = Labels(["peer": "cache"])
        return LiveCheckResultsEvent(results: [
            retries: .fail([LiveCheckSample(labels: db, value: 0.25, passes: false),
                            LiveCheckSample(labels: cacheLabels, value: 0.03, passes: true)], offending: [db]),
            cache: .pass([LiveCheckSample(labels: .empty, value: 0.8123, passes: true)]),
            outbox: .noData,
            queue: .error("parse error at column 4: unexpected \")\""),
        ], at: at)
    }

    static func app(width: Int, height: Int, glyphs: Glyphs) -> AppState {
        let library = RunbookLibrary(documents: [RunbookParser.parse(runbook, fileName: "outbound-http.md")])
        let state = RunbookScreenState(library: library, place: RunbookPlace(fileName: "outbound-http.md", anchor: "retry-storms"),
                                       marks: [:], user: "alice", glyphs: glyphs,
                                       size: TerminalSize(width: width, height: height - 2))
        return AppState(screens: [RunbookScreen(state: state)], size: TerminalSize(width: width, height: height), glyphs: glyphs)
    }

    static func runbookState(_ app: AppState) -> RunbookScreenState? { (app.screens.first as? RunbookScreen)?.state }

    static func row(containing needle: String, in buffer: ScreenBuffer) -> String? {
        (0..<buffer.height).map { buffer.rowText($0) }.first { $0.contains(needle) }
    }

    @Test("results arrive as an external event and show beside their items")
    func badges() {
        let (app, _) = reduce(Self.app(width: 120, height: 40, glyphs: .unicode), .external(Self.results))
        let frame = view(app, size: TerminalSize(width: 120, height: 40))
        #expect(Self.row(containing: "Retries are below", in: frame)?.contains("✗ 0.25 (peer=\"db\")") == true)
        #expect(Self.row(containing: "Cache hit ratio", in: frame)?.contains("✓ 0.812 > 0.5") == true)
        #expect(Self.row(containing: "Outbox lag", in: frame)?.contains("· no data") == true)
        #expect(Self.row(containing: "Queue depth", in: frame)?.contains("! error") == true)
        let plain = Self.row(containing: "retry loop has a budget", in: frame) ?? ""
        #expect(!plain.contains("no data") && !plain.contains("live check") && !plain.contains("✓"))
        #expect(Self.runbookState(app)?.liveChecks[Self.retries]?.at == Self.at)
    }

    @Test("before any result, an item with a check shows a muted (live check) marker; ASCII glyphs without UTF-8")
    func markerAndASCII() {
        let initial = Self.app(width: 80, height: 24, glyphs: .ascii)
        let before = view(initial, size: TerminalSize(width: 80, height: 24))
        #expect(Self.row(containing: "Cache hit ratio", in: before)?.contains("(live check)") == true)
        #expect(Self.row(containing: "retry loop has a budget", in: before)?.contains("(live check)") == false)
        let (app, _) = reduce(initial, .external(Self.results))
        let frame = view(app, size: TerminalSize(width: 80, height: 24))
        let dump = frame.textDump()
        #expect(dump.contains("ok 0.812 > 0.5"))
        #expect(dump.contains("X 0.25 (peer=\"db\")"))
        #expect(dump.contains("- no data"))
        #expect(!dump.contains("✓") && !dump.contains("✗") && !dump.contains("·"))
    }

    @Test("badges are styled ok, page, muted and warning")
    func styles() {
        let (app, _) = reduce(Self.app(width: 120, height: 40, glyphs: .unicode), .external(Self.results))
        let frame = view(app, size: TerminalSize(width: 120, height: 40))
        func style(of needle: String) -> StyleRole? {
            for y in 0..<frame.height {
                let text = frame.rowText(y)
                guard let range = text.range(of: needle) else { continue }
                let x = DisplayWidth.of(String(text[text.startIndex..<range.lowerBound]))
                return frame[x, y].style.role
            }
            return nil
        }
        #expect(style(of: "✓ 0.812") == .ok)
        #expect(style(of: "✗ 0.25") == .page)
        #expect(style(of: "· no data") == .muted)
        #expect(style(of: "! error") == .warning)
    }

    @Test("e shows the expression and the value per series below the focused item, e again hides it")
    func evidence() {
        var (app, _) = reduce(Self.app(width: 120, height: 40, glyphs: .unicode), .external(Self.results))
        (app, _) = reduce(app, .key(.char("c")))  // checklist mode: the focus is on the first item
        #expect(Self.runbookState(app)?.focusedItemID == Self.retries)
        (app, _) = reduce(app, .key(.char("e")))
        var dump = view(app, size: TerminalSize(width: 120, height: 40)).textDump()
        #expect(dump.contains("check: sum by (peer) (rate(http_client_retries_total[5m]))"))
        #expect(dump.contains("1 of 2 series fail"))
        #expect(dump.contains("✗ 0.25 peer=\"db\""))
        #expect(dump.contains("✓ 0.03 peer=\"cache\""))
        (app, _) = reduce(app, .key(.char("e")))
        dump = view(app, size: TerminalSize(width: 120, height: 40)).textDump()
        #expect(!dump.contains("series fail"))
    }

    @Test("without a metrics source (burnwatch runbook), the evidence says the check is not evaluated here")
    func evidenceWithoutSource() {
        var (app, _) = reduce(Self.app(width: 120, height: 40, glyphs: .unicode), .key(.char("c")))
        (app, _) = reduce(app, .key(.char("e")))
        let dump = view(app, size: TerminalSize(width: 120, height: 40)).textDump()
        #expect(dump.contains("check: sum by (peer)"))
        #expect(dump.contains("not evaluated here"))
        #expect(!dump.contains("no data"))
    }

    @Test("switching to the runbook screen asks for the open document's checks")
    func requestEffect() {
        var screen = RunbookScreen(state: Self.runbookState(Self.app(width: 80, height: 24, glyphs: .unicode))!)
        let context = ScreenContext(bodySize: TerminalSize(width: 80, height: 22), glyphs: .unicode, now: Self.at)
        let response = screen.handle(.activated, context: context)
        let requests = response.effects.compactMap(LiveCheckEffects.parse).first
        #expect(requests?.map(\.itemID) == [Self.retries, Self.cache, Self.outbox, Self.queue])
        #expect(requests?.last?.check == LiveCheck(expression: "max(queue_depth)", comparison: .lessOrEqual, threshold: 1000))
    }

    @Test("numbers are shown to three significant digits")
    func numbers() {
        #expect(LiveCheckText.number(0.031234) == "0.0312")
        #expect(LiveCheckText.number(1234567) == "1230000")
        #expect(LiveCheckText.number(-2.5) == "-2.5")
        #expect(LiveCheckText.number(.nan) == "NaN")
        #expect(LiveCheckText.number(0) == "0")
    }

    @Test("live check snapshots", arguments: [(80, 24), (120, 40)], [true, false])
    func snapshot(size: (Int, Int), utf8: Bool) {
        let glyphs = utf8 ? Glyphs.unicode : Glyphs.ascii
        var (app, _) = reduce(Self.app(width: size.0, height: size.1, glyphs: glyphs), .external(Self.results))
        (app, _) = reduce(app, .key(.char("c")))
        (app, _) = reduce(app, .key(.char("e")))
        let frame = view(app, size: TerminalSize(width: size.0, height: size.1))
        let name = "runbook-livecheck-\(size.0)x\(size.1)-\(utf8 ? "utf8" : "ascii")"
        if let mismatch = ScreenSnapshot.mismatch(frame, named: name) { Issue.record("\(mismatch)") }
        for y in 0..<frame.height { #expect(DisplayWidth.of(frame.rowText(y)) <= size.0) }
    }
}
