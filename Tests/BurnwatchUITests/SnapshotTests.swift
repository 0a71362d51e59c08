import BurnwatchCore
import BurnwatchTestSupport
import Testing
@testable import BurnwatchUI

/// Snapshot tests: each compares a text dump with `__Snapshots__/NAME.txt`
/// (record with `BURNWATCH_RECORD_SNAPSHOTS=1 swift test --filter SnapshotTests`, then review).
@Suite struct SnapshotTests {
    private func check(_ buffer: ScreenBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let problem = ScreenSnapshot.mismatch(buffer, named: name) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    private func app(_ glyphs: Glyphs, _ size: TerminalSize) -> AppState {
        AppState(screens: [OverviewScreen(),
                           MessageScreen(id: .runbooks, title: "Runbooks", lines: ["runbooks"]),
                           MessageScreen(id: .logs, title: "Logs", lines: ["logs"])],
                 size: size, glyphs: glyphs)
    }

    private static let glyphSets: [(String, Glyphs)] = [("unicode", .unicode), ("ascii", .ascii)]

    @Test(arguments: [(80, 24), (120, 40)])
    func composedScreen(width: Int, height: Int) {
        for (name, glyphs) in Self.glyphSets {
            let s = app(glyphs, TerminalSize(width: width, height: height))
            check(s.render(), "overview-\(name)-\(width)x\(height)")
        }
    }

    @Test func composedScreenStyles() {
        let s = app(.unicode, TerminalSize(width: 80, height: 24))
        if let problem = ScreenSnapshot.mismatch(text: s.render().styleDump(), named: "overview-styles-80x24") {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func helpOverlay(width: Int, height: Int) {
        for (name, glyphs) in Self.glyphSets {
            var s = app(glyphs, TerminalSize(width: width, height: height))
            s = reduce(s, .key(.char("?"))).0
            check(s.render(), "help-\(name)-\(width)x\(height)")
        }
    }

    @Test func promptLine() {
        var s = app(.unicode, TerminalSize(width: 80, height: 24))
        for event: AppEvent in [.key(.char("/"))] + "日本 \u{1B}[31m".map({ .key(.char($0)) }) + [.key(.left)] {
            s = reduce(s, event).0
        }
        let buffer = s.render()
        check(buffer, "prompt-search-80x24")
        #expect(s.cursorPosition?.y == 23)
        #expect(s.cursorPosition?.x == 1 + DisplayWidth.ofSafe("日本 \u{1B}[31"))
    }

    @Test func tooSmall() {
        for (name, glyphs) in Self.glyphSets {
            check(app(glyphs, TerminalSize(width: 30, height: 8)).render(), "too-small-\(name)-30x8")
        }
    }

    @Test func widgets() {
        for (name, g) in Self.glyphSets {
            var b = ScreenBuffer(width: 40, height: 16)
            Tabs(titles: ["Runbooks", "Métriques", "ログ"], selected: 1, glyphs: g).render(into: &b, area: b.bounds.row(0))
            let values: [Double?] = [0, 1, 2, 3, 4, 5, 6, 7, 8, nil, nil, 8, 4, 0, 2, 6, 1, 3, 5, 7]
            Sparkline(values: values, mode: .blocks, glyphs: g).render(into: &b, area: Rect(x: 0, y: 1, width: 20, height: 1))
            Sparkline(values: values, mode: .braille, glyphs: g).render(into: &b, area: Rect(x: 20, y: 1, width: 20, height: 1))
            Sparkline(values: values, mode: .ascii, glyphs: g).render(into: &b, area: Rect(x: 0, y: 2, width: 20, height: 2))
            Sparkline(values: values, mode: .blocks, glyphs: g).render(into: &b, area: Rect(x: 20, y: 2, width: 20, height: 2))
            Gauge(ratio: 0.0, glyphs: g).render(into: &b, area: Rect(x: 0, y: 4, width: 40, height: 1))
            Gauge(ratio: 0.5625, glyphs: g).render(into: &b, area: Rect(x: 0, y: 5, width: 40, height: 1))
            Gauge(ratio: 1.7, label: "over", glyphs: g).render(into: &b, area: Rect(x: 0, y: 6, width: 40, height: 1))
            Gauge(ratio: .nan, glyphs: g).render(into: &b, area: Rect(x: 0, y: 7, width: 40, height: 1))
            let rows: [[Span]] = (1...12).map { [Span("row \($0) 名前"), Span("\($0 * 7)")] }
            let table = Table(columns: [TableColumn("name"), TableColumn("n", width: .length(4), alignment: .right)],
                              rows: rows, selected: 9, offset: 0, glyphs: g)
            Block(title: "Table 表", glyphs: g).render(into: &b, area: Rect(x: 0, y: 8, width: 20, height: 7))
            table.render(into: &b, area: Rect(x: 1, y: 9, width: 18, height: 5))
            let text = RichText(lines: [RichLine.plain("Wrapped 折り返し text with e\u{0301} and 🔥 flames, long enough to wrap", .normal),
                                        RichLine([Span("code ", .code), Span("\u{1B}[1mx", .code)], wraps: false)],
                                scroll: 1, glyphs: g)
            text.render(into: &b, area: Rect(x: 21, y: 8, width: 19, height: 5))
            StatusLine(left: [StatusSegment("a long status message that will not fit")],
                       right: [StatusSegment("12:00")], glyphs: g).render(into: &b, area: b.bounds.row(15))
            check(b, "widgets-\(name)")
        }
    }
}

/// The snapshot helper itself: a missing or different snapshot must fail.
@Suite struct ScreenSnapshotHelperTests {
    @Test func missingSnapshotFails() {
        guard !ScreenSnapshot.isRecording else { return }  // only meaningful when comparing
        let problem = ScreenSnapshot.mismatch(text: "x\n", named: "no-such-snapshot-\(UInt64.random(in: 0...UInt64.max))")
        #expect(problem?.contains("missing snapshot") == true)
    }

    @Test func differentTextFails() {
        guard !ScreenSnapshot.isRecording else { return }  // only meaningful when comparing
        var b = ScreenBuffer(width: 30, height: 8)
        b.write("not the too-small screen", x: 0, y: 0)
        let problem = ScreenSnapshot.mismatch(b, named: "too-small-ascii-30x8")
        #expect(problem?.contains("differs") == true)
        #expect(problem?.contains("+ |not the too-small screen|") == true)
    }
}
