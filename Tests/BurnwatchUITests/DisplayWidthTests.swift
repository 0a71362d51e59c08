import Testing
@testable import BurnwatchUI

@Suite struct DisplayWidthTests {
    @Test func asciiIsOneColumn() {
        #expect(DisplayWidth.of("hello") == 5)
        #expect(DisplayWidth.of(" ") == 1)
    }

    @Test func cjkAndEmojiAreTwoColumns() {
        #expect(DisplayWidth.of("中文") == 4)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("\u{FF21}\u{FF22}") == 4, "fullwidth forms")
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.of("🚀x") == 3)
        #expect(DisplayWidth.of("\u{FF76}") == 1, "halfwidth katakana stays narrow")
    }

    @Test func combiningMarksAndJoinersTakeNoColumns() {
        #expect(DisplayWidth.of("e\u{0301}") == 1)
        #expect(DisplayWidth.of("a\u{0308}\u{0323}") == 1)
        #expect(DisplayWidth.of("\u{200D}") == 0)
        #expect(DisplayWidth.of("\u{FE0F}") == 0)
        #expect(DisplayWidth.of("क\u{094D}") == 1, "virama")
    }

    @Test func tablesAreSortedAndDisjoint() {
        for table in [DisplayWidth.zeroWidthRanges, DisplayWidth.wideRanges] {
            for (i, range) in table.enumerated() {
                #expect(range.0 <= range.1, "range \(i) is reversed")
                if i > 0 { #expect(table[i - 1].1 < range.0, "range \(i) overlaps or is out of order") }
            }
        }
    }

    /// Every scalar that the standard library calls a nonspacing or enclosing mark in the
    /// Basic Multilingual Plane's common blocks is zero width in our table.
    @Test func combiningTableCoversCommonMarks() {
        var missing: [String] = []
        for v in UInt32(0x0300)...UInt32(0x036F) {
            guard let s = Unicode.Scalar(v) else { continue }
            if DisplayWidth.of(s) != 0 { missing.append(String(v, radix: 16)) }
        }
        for v in UInt32(0x1AB0)...UInt32(0x1AFF) {
            guard let s = Unicode.Scalar(v), s.properties.generalCategory == .nonspacingMark else { continue }
            if DisplayWidth.of(s) != 0 { missing.append(String(v, radix: 16)) }
        }
        #expect(missing.isEmpty, "marks with a width: \(missing)")
    }

    /// Property: the width of a concatenation is the sum of the widths.
    @Test func widthIsAdditive() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<300 {
            let a = SampleScalars.text(&rng, length: Int.random(in: 0..<20, using: &rng))
            let b = SampleScalars.text(&rng, length: Int.random(in: 0..<20, using: &rng))
            #expect(DisplayWidth.of(a + b) == DisplayWidth.of(a) + DisplayWidth.of(b))
            #expect(DisplayWidth.ofSafe(a + b) == DisplayWidth.ofSafe(a) + DisplayWidth.ofSafe(b))
        }
    }

    /// Property: truncation never exceeds the width and keeps text that fits unchanged.
    @Test func truncationFits() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<300 {
            let text = SampleScalars.text(&rng, length: Int.random(in: 0..<30, using: &rng))
            let width = Int.random(in: 1..<25, using: &rng)
            let cut = TextFit.truncate(text, toWidth: width)
            #expect(DisplayWidth.of(cut) <= width, "\(text.debugDescription) cut to \(width): \(cut.debugDescription)")
            if DisplayWidth.ofSafe(text) <= width {
                #expect(cut == TerminalSafeText.escape(text))
            } else {
                #expect(cut.hasSuffix("…"))
            }
            #expect(DisplayWidth.of(TextFit.pad(text, toWidth: width)) == width)
        }
    }
}

@Suite struct TerminalSafeTextTests {
    @Test func escapeSequencesAreShownAsText() {
        #expect(TerminalSafeText.escape("\u{1B}[31mred\u{1B}[0m") == "\\x1b[31mred\\x1b[0m")
        #expect(TerminalSafeText.escape("bell\u{07}") == "bell\\x07")
        #expect(TerminalSafeText.escape("a\tb\r\n") == "a\\x09b\\x0d\\x0a")
        #expect(TerminalSafeText.escape("del\u{7F}") == "del\\x7f")
        #expect(TerminalSafeText.escape("csi\u{9B}2J") == "csi\\u009b2J")
        #expect(TerminalSafeText.escape("\u{1B}]0;title\u{07}") == "\\x1b]0;title\\x07")
    }

    @Test func bidiOverridesAreShownAsText() {
        #expect(TerminalSafeText.escape("abc\u{202E}cba") == "abc\\u202ecba")
        for v in Array(0x202A...0x202E) + Array(0x2066...0x2069) {
            let s = String(Character(Unicode.Scalar(UInt32(v))!))
            #expect(TerminalSafeText.escape(s).hasPrefix("\\u"), "U+\(String(v, radix: 16))")
        }
    }

    @Test func printableTextIsUnchanged() {
        for text in ["plain", "中文 😀", "e\u{0301}", "👨\u{200D}👩", "tab-less ─│┌"] {
            #expect(TerminalSafeText.escape(text) == text)
        }
    }

    /// Property: the escaped form never holds a scalar that needs escaping.
    @Test func escapedTextIsSafe() {
        var rng = SeededRandom(seed: 3)
        for _ in 0..<300 {
            let text = SampleScalars.text(&rng, length: 40)
            let safe = TerminalSafeText.escape(text)
            #expect(!safe.unicodeScalars.contains(where: TerminalSafeText.needsEscape))
        }
    }
}
