import BurnwatchCore
import BurnwatchTestSupport
import Testing
@testable import BurnwatchUI

/// Snapshots of the logs screen at 80×24 and 120×40, hostile text, and the JSON detail printer.
/// Record with `BURNWATCH_RECORD_SNAPSHOTS=1 swift test --filter LogsScreenSnapshotTests`, then review.
@Suite struct LogsScreenSnapshotTests {
    private func check(_ buffer: ScreenBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if let problem = ScreenSnapshot.mismatch(buffer, named: name) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
    }

    static func app(_ w: Int, _ h: Int, _ batch: LogsBatch, glyphs: Glyphs = .unicode) -> AppState {
        reduce(AppState(screens: [LogsScreen()], size: TerminalSize(width: w, height: h), glyphs: glyphs), .external(batch)).0
    }

    /// Lines an attacker could write into a log: escape sequences (colour, clear screen, OSC title,
    /// OSC 8 hyperlink, cursor moves), a C1 CSI, BEL, bidi overrides, and wide characters.
    static var hostile: LogsBatch {
        var jsonMessage = LogsFixtures.app(1, .error, "boom \u{1B}[31mRED\u{1B}[0m \u{1B}]0;pwned\u{07} done", requestID: "r\u{1B}[2J")
        jsonMessage.raw = "{\"level\":\"ERROR\",\"msg\":\"boom \\u001b[31mRED\\u001b[0m \\u001b]0;pwned\\u0007 done\",\"request_id\":\"r\\u001b[2J\"}"
        var fields = LogsFixtures.app(2, .warn, "fields", requestID: nil)
        fields.event.fields = [("user\u{1B}[H", "\u{202E}gnp.exe"), ("note", "日本語のログ 🚀")]
        return LogsBatch(records: [
            LogsFixtures.text(0, "plain \u{1B}[31mred\u{1B}[0m and \u{9B}31m C1 and bell\u{07} and \u{1B}[1;1H home"),
            jsonMessage,
            fields,
            LogsFixtures.text(3, "bidi \u{202E}txt.exe\u{202C} \u{2066}iso\u{2069} mark\u{200F} sep\u{2028}end"),
            LogsFixtures.text(4, "wide 日本語のログ 🚀 and e\u{301} combining and tab\there"),
            LogsFixtures.text(5, "\u{1B}]8;;http://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\ hyperlink", source: "evil\u{1B}[2J.log"),
        ], health: [
            LogsSourceHealth(name: "/srv/app/app.log", lines: 6, linesPerSecond: 1.2),
            LogsSourceHealth(name: "evil\u{1B}[2J.log", state: .failed, lastError: "stderr: \u{1B}[31mfatal\u{1B}[0m"),
        ])
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func followingMixedSources(width: Int, height: Int) {
        let s = Self.app(width, height, LogsFixtures.mixed)
        check(s.render(), "logs-mixed-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func pausedOnAnErrorWithDetail(width: Int, height: Int) {
        var s = Self.app(width, height, LogsFixtures.mixed)
        for key: Key in [.char("g"), .char("e"), .enter] { s = reduce(s, .key(key)).0 }
        check(s.render(), "logs-detail-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func filterBeingTypedWithAnError(width: Int, height: Int) {
        var s = Self.app(width, height, LogsFixtures.mixed)
        for c in "/status>=5 and" { s = reduce(s, .key(.char(c))).0 }
        check(s.render(), "logs-filter-error-\(width)x\(height)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func hostileLinesAreShownEscaped(width: Int, height: Int) {
        for glyphs in [Glyphs.unicode, .ascii] {
            var s = Self.app(width, height, Self.hostile, glyphs: glyphs)
            let list = s.render()
            check(list, "logs-hostile-\(glyphs.isUnicode ? "unicode" : "ascii")-\(width)x\(height)")
            Self.expectNothingRaw(list)
            // The detail pane of each line, too.
            s = reduce(s, .key(.char("g"))).0
            s = reduce(s, .key(.enter)).0
            for _ in 0..<6 {
                Self.expectNothingRaw(s.render())
                s = reduce(s, .key(.down)).0
            }
        }
        let dump = Self.app(width, height, Self.hostile).render().textDump()
        #expect(dump.contains("\\x1b[31mred\\x1b[0m"))
        #expect(dump.contains("\\u009b31m"))
        #expect(dump.contains("\\u202etxt.exe"))
        #expect(dump.contains("\\x1b[31mRED"))
    }

    @Test func hostileDetailShowsDecodedJSONEscaped() {
        var s = Self.app(120, 40, Self.hostile)
        for key: Key in [.char("g"), .down, .enter] { s = reduce(s, .key(key)).0 }
        let dump = s.render().textDump()
        #expect(dump.contains("\"msg\": \"boom \\x1b[31mRED\\x1b[0m \\x1b]0;pwned\\x07 done\""))
        #expect(dump.contains("\"request_id\": \"r\\x1b[2J\""))
    }

    /// No cell holds a control character, an escape or a bidi control: the terminal only ever gets text.
    static func expectNothingRaw(_ buffer: ScreenBuffer, sourceLocation: SourceLocation = #_sourceLocation) {
        for cell in buffer.cells {
            for scalar in cell.content.unicodeScalars where TerminalSafeText.needsEscape(scalar) {
                Issue.record("raw U+\(String(scalar.value, radix: 16)) reached a cell", sourceLocation: sourceLocation)
                return
            }
        }
    }

    // MARK: JSON detail printer

    @Test func prettyPrinterSortsFieldsAndIndentsNestedObjects() {
        let value = LogsJSONPretty.parse(#"{"z":1,"a":{"y":[1,{"b":true,"a":null}],"x":"s\"q"},"m":[],"e":{}}"#)
        #expect(value != nil)
        let text = LogsJSONPretty.lines(value!).map { $0.map(\.text).joined() }
        #expect(text == [
            "{",
            "  \"a\": {",
            "    \"x\": \"s\"q\",",
            "    \"y\": [",
            "      1,",
            "      {",
            "        \"a\": null,",
            "        \"b\": true",
            "      }",
            "    ]",
            "  },",
            "  \"e\": {},",
            "  \"m\": [],",
            "  \"z\": 1",
            "}",
        ])
    }

    @Test func prettyPrinterDecodesEscapesAndSurrogatePairs() {
        let value = LogsJSONPretty.parse(#"{"s":"\ud83d\ude80 \u00e9 \n \u001b[31m \/"}"#)
        #expect(value == .object([("s", .string("🚀 é \n \u{1B}[31m /"))]))
        #expect(LogsJSONPretty.parse(#"{"lone":"\ud83d x"}"#) == .object([("lone", .string("\u{FFFD} x"))]))
    }

    @Test func prettyPrinterRefusesBadOrTooDeepJSON() {
        for bad in ["{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "{\"a\":tru}", "{} x", "\"open", "{\"a\":-}"] {
            #expect(LogsJSONPretty.parse(bad) == nil, "\(bad)")
        }
        let deep = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(LogsJSONPretty.parse(deep) == nil)
        let ok = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(LogsJSONPretty.parse(ok) != nil)
    }

    @Test func prettyPrinterStopsAtTheLineLimit() {
        let many = "{" + (0..<500).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        #expect(LogsJSONPretty.lines(LogsJSONPretty.parse(many)!, limit: 10).count == 10)
    }
}
