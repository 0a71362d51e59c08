import Testing
@testable import BurnwatchUI

@Suite struct TableTests {
    /// Property: after scrolling, the selection is visible and the offset is in range.
    @Test func scrollingKeepsTheSelectionVisible() {
        var rng = SeededRandom(seed: 17)
        for _ in 0..<1000 {
            let count = Int.random(in: 0..<60, using: &rng)
            let visible = Int.random(in: 1..<20, using: &rng)
            let selected: Int? = count == 0 ? nil : Int.random(in: 0..<count, using: &rng)
            let offset = Int.random(in: -5..<70, using: &rng)
            let o = Table.scrollOffset(selected: selected, offset: offset, visibleRows: visible, rowCount: count)
            #expect(o >= 0 && o <= max(0, count - visible))
            if let selected { #expect(selected >= o && selected < o + visible) }
        }
    }

    @Test func scrollingMovesAsLittleAsPossible() {
        #expect(Table.scrollOffset(selected: 5, offset: 3, visibleRows: 4, rowCount: 20) == 3)
        #expect(Table.scrollOffset(selected: 7, offset: 3, visibleRows: 4, rowCount: 20) == 4)
        #expect(Table.scrollOffset(selected: 1, offset: 3, visibleRows: 4, rowCount: 20) == 1)
        #expect(Table.scrollOffset(selected: nil, offset: 30, visibleRows: 4, rowCount: 20) == 16)
    }

    @Test func selectionIsHighlightedAndTextTruncated() {
        let table = Table(columns: [TableColumn("name"), TableColumn("n", width: .length(3), alignment: .right)],
                          rows: [[Span("short"), Span("1")], [Span("a much longer name"), Span("22", .warning)]],
                          selected: 1)
        var b = ScreenBuffer(width: 16, height: 3)
        table.render(into: &b, area: b.bounds)
        #expect(b.textDump() == "name          n\nshort         1\na much lon…  22\n")
        #expect(b.styleDump() == "HHHHHHHHHHHHHHHH\n\nSSSSSSSSSSSSSSSS\n")
        #expect(table.row(atLine: 2, in: b.bounds) == 1)
        #expect(table.row(atLine: 0, in: b.bounds) == nil, "the header is not a row")
    }
}

@Suite struct SparklineAndGaugeTests {
    @Test func gapsAreNotZero() {
        var b = ScreenBuffer(width: 4, height: 1)
        Sparkline(values: [0, nil, 4, 2], mode: .blocks).render(into: &b, area: b.bounds)
        #expect(b.textDump() == "▁ █▄\n")
        var a = ScreenBuffer(width: 4, height: 1)
        Sparkline(values: [0, nil, 4, 2], mode: .ascii).render(into: &a, area: a.bounds)
        #expect(a.textDump() == ". #:\n")
    }

    @Test func brailleDrawsTwoValuesPerCell() {
        var b = ScreenBuffer(width: 2, height: 1)
        Sparkline(values: [4, 0, nil, 2], mode: .braille, range: 0...4).render(into: &b, area: b.bounds)
        // 4 → all four left dots (0x47), 0 → lowest right dot (0x80); nil → none, 2 → two right dots (0xA0).
        #expect(b[0, 0].content == "\u{28C7}")
        #expect(b[1, 0].content == "\u{28A0}")
    }

    @Test func newestValuesAreKept() {
        var b = ScreenBuffer(width: 3, height: 1)
        Sparkline(values: [8, 8, 8, 0, 4, 8], mode: .blocks, range: 0...8).render(into: &b, area: b.bounds)
        #expect(b.textDump() == "▁▄█\n")
    }

    @Test func gaugeShowsRatioOrNoData() {
        var b = ScreenBuffer(width: 12, height: 3)
        Gauge(ratio: 0.5, glyphs: .ascii).render(into: &b, area: b.bounds.row(0))
        Gauge(ratio: nil).render(into: &b, area: b.bounds.row(1))
        Gauge(ratio: 0.25, label: "1/4").render(into: &b, area: b.bounds.row(2))
        #expect(b.rowText(0) == "###... 50.0%")
        #expect(b.rowText(1) == "no data     ")
        #expect(b[0, 1].style.role == .muted)
        #expect(b.rowText(2) == "██       1/4")
        #expect(b.styleDump() == "aaammm\nmmmmmmm\naammmmmm\n")
    }
}

@Suite struct RichTextTests {
    /// Property: wrapped lines fit the width and keep every non-space character in order.
    @Test func wrappingFitsAndKeepsText() {
        var rng = SeededRandom(seed: 23)
        for _ in 0..<300 {
            let words = (0..<Int.random(in: 0..<15, using: &rng)).map { _ in
                SampleScalars.text(&rng, length: Int.random(in: 1..<9, using: &rng), controls: false)
                    .replacingOccurrences(of: " ", with: "")
            }
            let text = words.joined(separator: " ")
            let width = Int.random(in: 2..<30, using: &rng)
            let lines = TextWrap.wrap(text, width: width)
            for line in lines {
                #expect(DisplayWidth.of(line) <= width, "\(line.debugDescription) wider than \(width)")
            }
            let kept = lines.joined().filter { $0 != " " }
            #expect(kept == text.filter { $0 != " " })
        }
    }

    @Test func hangingIndentAndStyles() {
        let lines = TextWrap.wrap([Span("- "), Span("alpha beta", .link), Span(" gamma delta")], width: 10, hangingIndent: 2)
        #expect(lines.map { $0.map(\.text).joined() } == ["- alpha", "  beta", "  gamma", "  delta"])
        #expect(lines[1].last?.style.role == .link)
    }

    @Test func leadingSpacesOfTheFirstLineAreKept() {
        #expect(TextWrap.wrap("    indented code", width: 40) == ["    indented code"])
        #expect(TextWrap.wrap("", width: 5) == [""])
    }

    @Test func scrollingAndMarks() {
        let text = RichText(lines: (1...10).map { .plain("line \($0)") }, scroll: 3)
        var b = ScreenBuffer(width: 10, height: 4)
        text.render(into: &b, area: b.bounds)
        #expect(b.textDump() == "line 4   ▲\nline 5\nline 6\nline 7   ▼\n")
        #expect(text.maxScroll(width: 10, height: 4) == 6)
    }
}

@Suite struct KeymapAndThemeTests {
    @Test func defaultKeymapBindsEachKeyOnce() {
        var seen: [Key: Action] = [:]
        for b in Keymap.default.bindings {
            for k in b.keys {
                #expect(seen[k] == nil, "\(k) bound twice")
                seen[k] = b.action
            }
        }
        let expected: [(Key, Action)] = [(.char("k"), .up), (.down, .down), (.char("h"), .left), (.char("l"), .right),
                                         (.char("?"), .help), (.char("q"), .quit), (.escape, .back),
                                         (.char(":"), .commandPrompt), (.char("/"), .searchPrompt),
                                         (.char("n"), .nextMatch), (.char("N"), .previousMatch),
                                         (.tab, .nextScreen), (.backTab, .previousScreen),
                                         (.char("g"), .top), (.char("G"), .bottom), (.ctrl("d"), .halfPageDown),
                                         (.ctrl("u"), .halfPageUp), (.char(" "), .toggle), (.enter, .open)]
        for (key, action) in expected { #expect(Keymap.default.action(for: key) == action, "\(key)") }
        for n in 1...9 { #expect(Keymap.default.resolvedAction(for: .char(Character(String(n)))) == .screen(n)) }
    }

    @Test func helpListsEveryBinding() {
        let help = HelpOverlay(keymap: .default).entries
        for b in Keymap.default.bindings { #expect(help.contains { $0.help == b.help }, "\(b.help)") }
        #expect(help.filter(\.heading).map(\.keys) == Keymap.default.groups)
    }

    @Test func keysParseFromTheirSpelling() {
        for key: Key in [.char("x"), .char(" "), .ctrl("d"), .up, .pageDown, .home, .escape, .enter, .tab,
                         .backTab, .backspace, .function(5), .mouse(.wheelUp)] {
            #expect(Key.parse(key.description) == key, "\(key)")
        }
        #expect(Key.parse("ctrl-u") == .ctrl("u"))
        #expect(Key.parse("shift-tab") == .backTab)
        #expect(Key.parse("nonsense") == nil)
    }

    /// Every theme keeps the roles that carry meaning apart from normal text.
    @Test func themesDistinguishMeaningfulRoles() {
        for theme in [Theme.xterm256, .ansi16, .monochrome] {
            let normal = theme.resolve(.normal)
            for role in [StyleRole.selection, .page, .warning, .header, .statusBar, .tabActive, .link, .searchMatch] {
                #expect(theme.resolve(Style(role)) != normal, "\(role) looks like normal text at \(theme.depth)")
            }
            #expect(theme.resolve(Style(.selection)) != theme.resolve(Style(.page)))
        }
        for role in StyleRole.allCases {
            let r = Theme.monochrome.resolve(Style(role))
            #expect(r.foreground == .default && r.background == .default, "monochrome uses no colour")
        }
        #expect(Theme.standard(for: ColorDepth(colors: 256)) == .xterm256)
        #expect(Theme.standard(for: ColorDepth(colors: 8)) == .ansi16)
        #expect(Theme.standard(for: ColorDepth(colors: 0)) == .monochrome)
        #expect(Theme.ansi16.resolve(Style(.ok, [.bold])).attributes.contains(.bold))
    }

    @Test func styleLettersAreDistinct() {
        #expect(Set(StyleRole.allCases.map(\.letter)).count == StyleRole.allCases.count)
    }
}

@Suite struct TabsTests {
    /// The hit ranges cover exactly the cells each tab is drawn in.
    @Test func tabRangesMatchTheDrawing() {
        for glyphs in [Glyphs.unicode, .ascii] {
            let tabs = Tabs(titles: ["Runbooks", "日本", "Logs"], selected: 1, glyphs: glyphs)
            var b = ScreenBuffer(width: 60, height: 1)
            tabs.render(into: &b, area: b.bounds)
            let ranges = tabs.tabRanges(in: b.bounds)
            for (i, range) in ranges.enumerated() {
                #expect(b[range.lowerBound - 1, 0].content == String(glyphs.separator))
                let role: StyleRole = i == 1 ? .tabActive : .tabInactive
                for x in range { #expect(b[x, 0].style.role == role, "tab \(i) column \(x)") }
                #expect(b[range.upperBound, 0].style.role == .header)
            }
        }
    }
}

@Suite struct WrapAcrossStylesTests {
    @Test func aWordInSeveralStylesMovesAsOne() {
        let lines = TextWrap.wrap([Span("see the "), Span("runbook", .link), Span(", now")], width: 14)
        #expect(lines.map { $0.map(\.text).joined() } == ["see the", "runbook, now"])
        #expect(lines[1].map(\.style.role) == [.link, .normal])
    }
}
