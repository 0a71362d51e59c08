import BurnwatchCore
import Testing
@testable import BurnwatchUI

/// The logs screen driven through `reduce`, as the console drives it.
@Suite struct LogsScreenReduceTests {
    static func app(_ size: TerminalSize = TerminalSize(width: 80, height: 24), retention: Int = 1000) -> AppState {
        AppState(screens: [LogsScreen(retention: retention)], size: size)
    }

    static func logs(_ s: AppState) -> LogsScreenState { s.screen(.logs, as: LogsScreen.self)!.state }

    static func send(_ s: AppState, _ events: [AppEvent]) -> AppState {
        var s = s
        for e in events { s = reduce(s, e).0 }
        return s
    }

    static func keys(_ text: String) -> [AppEvent] { text.map { .key(.char($0)) } }

    static func shownStatuses(_ s: AppState) -> [Int?] {
        let st = logs(s)
        return st.visible.map { st.record($0)?.event.status }
    }

    @Test func retentionEvictsOldestAndCounts() {
        var s = Self.app(retention: 5)
        s = reduce(s, .external(LogsFixtures.mixed)).0
        let st = Self.logs(s)
        #expect(st.records.count == 5)
        #expect(st.evicted == 7)
        #expect(st.received == 12)
        #expect(st.firstSeq == 7)
        #expect(st.visible == Array(7..<12))
        #expect(st.records.first == LogsFixtures.mixed.records[7])
        #expect(s.render().textDump().contains("ev 7"))
    }

    @Test func followsNewLinesUntilPausedThenCountsThem() {
        var s = reduce(Self.app(), .external(LogsFixtures.mixed)).0
        #expect(Self.logs(s).following)
        #expect(Self.logs(s).selected == 11)
        s = reduce(s, .key(.char("f"))).0
        #expect(!Self.logs(s).following)
        s = reduce(s, .external(LogsBatch(records: [LogsFixtures.access(9, status: 200, path: "/late")]))).0
        #expect(Self.logs(s).selected == 11)
        #expect(Self.logs(s).newWhilePaused == 1)
        #expect(s.render().textDump().contains("PAUSED +1"))
        s = reduce(s, .key(.char(" "))).0
        #expect(Self.logs(s).following)
        #expect(Self.logs(s).selected == 12)
        // Moving up pauses; G goes back to following the end.
        s = Self.send(s, [.key(.up), .key(.up)])
        #expect(!Self.logs(s).following)
        #expect(Self.logs(s).selected == 10)
        s = reduce(s, .key(.char("G"))).0
        #expect(Self.logs(s).following)
        #expect(Self.logs(s).selected == 12)
    }

    @Test func filterAppliesAsItIsTyped() {
        var s = reduce(Self.app(), .external(LogsFixtures.mixed)).0
        s = reduce(s, .key(.char("/"))).0
        #expect(s.prompt == nil, "the screen edits the filter itself")
        #expect(s.currentScreen.capturesKeys)
        s = Self.send(s, Self.keys("status"))
        #expect(Self.shownStatuses(s) == [200, 404, 500, 200, 503, 201], "a bare field: lines that have it")
        s = Self.send(s, Self.keys(">=40"))
        #expect(Self.shownStatuses(s) == [200, 404, 500, 200, 503, 201])
        s = Self.send(s, Self.keys("0"))
        #expect(Self.shownStatuses(s) == [404, 500, 503])
        s = Self.send(s, [.key(.backspace), .key(.backspace), .key(.backspace)])
        // "status>=" does not parse: the error shows its column and the last good filter ("status>=4") stays.
        let st = Self.logs(s)
        #expect(st.filterError?.column == 9)
        #expect(st.filterError?.message == "expected a value but the filter ended")
        #expect(st.filterText == "status>=4")
        #expect(Self.shownStatuses(s) == [200, 404, 500, 200, 503, 201])
        #expect(s.render().textDump().contains("column 9"))
        s = Self.send(s, Self.keys("500"))
        #expect(Self.shownStatuses(s) == [500, 503])
        s = reduce(s, .key(.enter)).0
        #expect(!s.currentScreen.capturesKeys)
        #expect(Self.logs(s).filterText == "status>=500")
        // Lines that arrive later are filtered too.
        s = reduce(s, .external(LogsBatch(records: [LogsFixtures.access(8, status: 502, path: "/x"),
                                                    LogsFixtures.access(8, status: 200, path: "/y")]))).0
        #expect(Self.shownStatuses(s) == [500, 503, 502])
        // Esc while editing restores the filter from before.
        s = Self.send(s, [.key(.char("/")), .key(.ctrl("u"))] + Self.keys("level=warn"))
        #expect(Self.logs(s).visible.count == 2)
        s = reduce(s, .key(.escape)).0
        #expect(Self.logs(s).filterText == "status>=500")
        #expect(Self.shownStatuses(s) == [500, 503, 502])
    }

    @Test func enterWithABadFilterKeepsEditing() {
        var s = reduce(Self.app(), .external(LogsFixtures.mixed)).0
        s = Self.send(s, [.key(.char("/"))] + Self.keys("(status>=500") + [.key(.enter)])
        #expect(s.currentScreen.capturesKeys)
        #expect(Self.logs(s).filterError != nil)
        #expect(Self.logs(s).visible.count == 12)
    }

    @Test func filterCommandAndItsErrors() {
        var s = reduce(Self.app(), .external(LogsFixtures.mixed)).0
        s = Self.send(s, [.key(.char(":"))] + Self.keys("filter level>=warn and not status=500") + [.key(.enter)])
        let st = Self.logs(s)
        #expect(st.visible.map { st.record($0)!.event.level } == [.warn, .error, .warn, .error])
        s = Self.send(s, [.key(.char(":"))] + Self.keys("filter status>>5") + [.key(.enter)])
        #expect(s.status?.text == "filter: column 8: '>' needs a number, got '>5'")
        #expect(s.status?.role == .warning)
        #expect(Self.logs(s).visible.count == 4, "a bad filter keeps the one in force")
        s = Self.send(s, [.key(.char(":"))] + Self.keys("filter") + [.key(.enter)])
        #expect(Self.logs(s).visible.count == 12)
    }

    @Test func jumpsBetweenErrorsAndWarnings() {
        var s = reduce(Self.app(), .external(LogsFixtures.mixed)).0
        s = reduce(s, .key(.char("g"))).0
        #expect(Self.logs(s).selected == 0)
        var errors: [Int] = []
        for _ in 0..<4 {
            s = reduce(s, .key(.char("e"))).0
            errors.append(Self.logs(s).selected!)
        }
        #expect(errors == [5, 6, 10, 10])
        #expect(s.status?.text == "no later error")
        s = reduce(s, .key(.char("E"))).0
        #expect(Self.logs(s).selected == 6)
        s = reduce(s, .key(.char("W"))).0
        #expect(Self.logs(s).selected == 4)
        s = reduce(s, .key(.char("w"))).0
        #expect(Self.logs(s).selected == 9)
        #expect(!Self.logs(s).following)
    }

    @Test func requestViewShowsTheLinesOfOneRequestAcrossSources() {
        var s = reduce(Self.app(), .external(LogsFixtures.mixed)).0
        s = Self.send(s, [.key(.char("g")), .key(.char("e"))])   // the 500 of req-3
        s = reduce(s, .key(.char("r"))).0
        let st = Self.logs(s)
        #expect(st.request == .init(field: "request_id", value: "req-3"))
        #expect(st.visible == [4, 5, 6])
        #expect(Set(st.visible.map { st.record($0)!.source }).count == 2)
        #expect(s.render().textDump().contains("request_id=req-3"))
        // A later line of the same request joins the view.
        s = reduce(s, .external(LogsBatch(records: [LogsFixtures.app(9, .info, "refund issued", requestID: "req-3"),
                                                    LogsFixtures.app(9, .info, "other", requestID: "req-9")]))).0
        #expect(Self.logs(s).visible == [4, 5, 6, 12])
        s = reduce(s, .key(.escape)).0
        #expect(Self.logs(s).request == nil)
        #expect(Self.logs(s).visible.count == 14)
    }

    @Test func requestViewByTraceIDWhenThereIsNoRequestID() {
        let batch = LogsBatch(records: [
            LogsFixtures.access(0, status: 200, path: "/a", traceID: "4bf92f3577b34da6a3ce929d0e0e4736"),
            LogsFixtures.access(1, status: 200, path: "/b", traceID: "00f067aa0ba902b7"),
            LogsFixtures.access(2, status: 500, path: "/c", traceID: "4bf92f3577b34da6a3ce929d0e0e4736", source: "other.log"),
        ])
        var s = reduce(Self.app(), .external(batch)).0
        s = Self.send(s, [.key(.char("g")), .key(.char("r"))])
        #expect(Self.logs(s).request?.field == "trace_id")
        #expect(Self.logs(s).visible == [0, 2])
        // A line without ids says so.
        var t = reduce(Self.app(), .external(LogsBatch(records: [LogsFixtures.text(0, "no ids here")]))).0
        t = reduce(t, .key(.char("r"))).0
        #expect(Self.logs(t).request == nil)
        #expect(t.status?.text.contains("no request_id") == true)
    }

    @Test func perSecondCountsByLevelFromEventTimes() {
        let s = reduce(Self.app(), .external(LogsFixtures.mixed)).0
        let st = Self.logs(s)
        // The text line has no time: it counts at its arrival second (4).
        #expect(st.rates(.error, seconds: 6) == [0, 0, 1, 1, 1, 0])
        #expect(st.rates(.warn, seconds: 6) == [0, 0, 1, 0, 1, 0])
        #expect(st.rates(.info, seconds: 6) == [1, 2, 0, 1, 0, 1])
        #expect(st.rates(.debug, seconds: 3) == [0, 1, 0])
        #expect(st.rates(.info, seconds: 2) == [0, 1])
    }

    @Test func detailPaneTogglesAndShrinksTheList() {
        var s = reduce(Self.app(TerminalSize(width: 120, height: 40)), .external(LogsFixtures.mixed)).0
        s = Self.send(s, [.key(.char("g")), .key(.char("e")), .key(.enter)])
        #expect(Self.logs(s).detailOpen)
        let dump = s.render().textDump()
        #expect(dump.contains("\"status\": 500"))
        #expect(dump.contains("\"request\": {"))
        #expect(dump.contains("    \"headers\": {"), "nested objects are indented")
        s = reduce(s, .key(.escape)).0
        #expect(!Self.logs(s).detailOpen)
    }

    @Test func clickSelectsARow() {
        var s = Self.app()
        s.mouseEnabled = true
        s = reduce(s, .external(LogsFixtures.mixed)).0
        // Body starts at row 1; the list starts at body row 2.
        s = reduce(s, .mouse(MouseEvent(button: .left, x: 10, y: 1 + 2 + 3))).0
        #expect(Self.logs(s).selected == 3)
        #expect(!Self.logs(s).following)
    }

    @Test func healthRowsShowEachSource() {
        let s = reduce(Self.app(TerminalSize(width: 120, height: 40)), .external(LogsFixtures.mixed)).0
        let dump = s.render().textDump()
        #expect(dump.contains("/srv/app/app.log following 1.0 lines/s, 5 lines (slog), 1 unparsed, 1 truncated"))
        #expect(dump.contains("kubectl logs -f deploy/pay exited"))
        #expect(dump.contains("command exited with status 1"))
    }

    @Test func healthRowsGrowOnATallScreenAndShowRotations() {
        var health = (1...7).map { LogsSourceHealth(name: "/srv/app/\($0).log", lines: $0) }
        health.append(LogsSourceHealth(name: "/srv/app/last.log", state: .waiting, lastError: "cannot open: is a directory, not a log file"))
        health[0].lastNotice = "file rotated; following the new file"
        let tall = reduce(Self.app(TerminalSize(width: 120, height: 50)), .external(LogsBatch(records: [], health: health))).0.render().textDump()
        #expect(tall.contains("last.log waiting") && tall.contains("is a directory"), "the eighth source is hidden:\n\(tall)")
        #expect(tall.contains("/srv/app/1.log following 0.0 lines/s, 1 lines  file rotated; following the new file"))
        #expect(!tall.contains("more sources"))
        let short = reduce(Self.app(), .external(LogsBatch(records: [], health: health))).0.render().textDump()
        #expect(short.contains("+5 more sources"), "a 24-row screen keeps four rows:\n\(short)")
    }

    @Test func healthRowsShowDroppedAndLateLines() {
        let health = [LogsSourceHealth(name: "/srv/app/app.log", lines: 9, dropped: 2, late: 3)]
        let s = reduce(Self.app(TerminalSize(width: 120, height: 40)), .external(LogsBatch(records: [], health: health))).0
        #expect(s.render().textDump().contains("9 lines, 2 dropped, 3 late"))
    }
}
