import BurnwatchTerminal
import BurnwatchUI
import Testing

@Suite("Key translation")
struct KeyTranslationTests {
    @Test("the table's key codes are the header's")
    func tableMatchesHeader() {
        for (name, values) in NCursesKeyCode.headerValues {
            #expect(Int64(values.table) == Int64(values.header), "\(name)")
        }
    }

    @Test("function keys become UI keys", arguments: [
        (NCursesKeyCode.up, Key.up), (NCursesKeyCode.down, .down), (NCursesKeyCode.left, .left),
        (NCursesKeyCode.right, .right), (NCursesKeyCode.home, .home), (NCursesKeyCode.end, .end),
        (NCursesKeyCode.pageUp, .pageUp), (NCursesKeyCode.pageDown, .pageDown),
        (NCursesKeyCode.backspace, .backspace), (NCursesKeyCode.deleteCharacter, .delete),
        (NCursesKeyCode.insertCharacter, .insert), (NCursesKeyCode.enter, .enter), (NCursesKeyCode.backTab, .backTab),
        (NCursesKeyCode.f0 + 1, .function(1)), (NCursesKeyCode.f0 + 12, .function(12)),
    ])
    func functionKeys(code: UInt32, key: Key) {
        #expect(KeyTranslation.translate(isFunctionKey: true, code: code) == .key(key))
    }

    @Test("resize and mouse codes are not keys")
    func resizeAndMouse() {
        #expect(KeyTranslation.translate(isFunctionKey: true, code: NCursesKeyCode.resize) == .resize)
        #expect(KeyTranslation.translate(isFunctionKey: true, code: NCursesKeyCode.mouse) == .mouse)
        #expect(KeyTranslation.translate(isFunctionKey: true, code: NCursesKeyCode.f0 + 40) == nil)
        #expect(KeyTranslation.translate(isFunctionKey: true, code: 0o777) == nil)
    }

    @Test("characters: printable, control, enter, tab, escape, backspace", arguments: [
        (UInt32(0x61), Key.char("a")), (0x47, .char("G")), (0x20, .char(" ")), (0x2F, .char("/")),
        (0xE9, .char("é")), (0x4E2D, .char("中")), (0x1F525, .char("🔥")),
        (0x0A, .enter), (0x0D, .enter), (0x09, .tab), (0x1B, .escape), (0x7F, .backspace), (0x08, .backspace),
        (0x04, .ctrl("d")), (0x15, .ctrl("u")), (0x0F, .ctrl("o")), (0x01, .ctrl("a")), (0x1A, .ctrl("z")),
    ])
    func characters(code: UInt32, key: Key) {
        #expect(KeyTranslation.translate(isFunctionKey: false, code: code) == .key(key))
    }

    @Test("C0 and C1 controls without a meaning are dropped, never turned into text")
    func controlsDropped() {
        for code: UInt32 in [0x00, 0x1C, 0x1D, 0x1E, 0x1F, 0x80, 0x9B, 0x9F, 0xD800, 0x110000] {
            #expect(KeyTranslation.translate(isFunctionKey: false, code: code) == nil, "code \(code)")
        }
    }
}

@Suite("Terminal capabilities")
struct TerminalCapabilitiesTests {
    @Test("NO_COLOR: any non-empty value turns colours off")
    func noColor() {
        #expect(TerminalCapabilities.noColorRequested(["NO_COLOR": "1"]))
        #expect(TerminalCapabilities.noColorRequested(["NO_COLOR": "no"]))
        #expect(!TerminalCapabilities.noColorRequested(["NO_COLOR": ""]))
        #expect(!TerminalCapabilities.noColorRequested([:]))
    }

    @Test("palette: 256, 16, 8, none")
    func palette() {
        #expect(TerminalCapabilities.palette(hasColors: true, colors: 256, noColor: false) == .indexed256)
        #expect(TerminalCapabilities.palette(hasColors: true, colors: 88, noColor: false) == .ansi16)
        #expect(TerminalCapabilities.palette(hasColors: true, colors: 16, noColor: false) == .ansi16)
        #expect(TerminalCapabilities.palette(hasColors: true, colors: 8, noColor: false) == .ansi8)
        #expect(TerminalCapabilities.palette(hasColors: true, colors: 256, noColor: true) == TerminalPalette.none)
        #expect(TerminalCapabilities.palette(hasColors: false, colors: 256, noColor: false) == TerminalPalette.none)
        #expect(TerminalCapabilities.palette(hasColors: true, colors: 2, noColor: false) == TerminalPalette.none)
    }

    @Test("TERM: unset, dumb and unknown are refused with a reason")
    func term() {
        #expect(TerminalCapabilities.unusableTermReason(nil) != nil)
        #expect(TerminalCapabilities.unusableTermReason("") != nil)
        #expect(TerminalCapabilities.unusableTermReason("dumb")?.contains("dumb") == true)
        #expect(TerminalCapabilities.unusableTermReason("xterm") == nil)
        #expect(TerminalCapabilities.unusableTermReason("screen-256color") == nil)
    }

    @Test("codeset: UTF-8 in its spellings, anything else is ASCII")
    func codeset() {
        #expect(TerminalCapabilities.isUTF8(codeset: "UTF-8"))
        #expect(TerminalCapabilities.isUTF8(codeset: "utf8"))
        #expect(!TerminalCapabilities.isUTF8(codeset: "ANSI_X3.4-1968"))
        #expect(!TerminalCapabilities.isUTF8(codeset: "ISO-8859-1"))
    }

    @Test("256-colour indexes reduce to the nearest ANSI colour")
    func reduce() {
        #expect(TerminalCapabilities.reduce(196, to: .ansi16) == 9)   // bright red
        #expect(TerminalCapabilities.reduce(21, to: .ansi16) == 12)   // bright blue
        #expect(TerminalCapabilities.reduce(22, to: .ansi16) == 2)    // dark green
        #expect(TerminalCapabilities.reduce(232, to: .ansi16) == 0)   // near black
        #expect(TerminalCapabilities.reduce(255, to: .ansi16) == 15)  // near white
        #expect(TerminalCapabilities.reduce(244, to: .ansi16) == 8)   // mid grey
        #expect(TerminalCapabilities.reduce(9, to: .ansi8) == 1)
        #expect(TerminalCapabilities.reduce(75, to: .indexed256) == 75)
        #expect(TerminalCapabilities.reduce(75, to: .none) == nil)
    }
}
