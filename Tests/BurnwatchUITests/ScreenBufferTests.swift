import Testing
@testable import BurnwatchUI

@Suite struct ScreenBufferTests {
    @Test func wideCharacterTakesTwoCells() {
        var b = ScreenBuffer(width: 6, height: 1)
        let end = b.write("a中b", x: 0, y: 0)
        #expect(end == 4)
        #expect(b[1, 0].content == "中")
        #expect(b[1, 0].width == 2)
        #expect(b[2, 0].isContinuation)
        #expect(b[3, 0].content == "b")
        #expect(b.textDump() == "a中b\n")
    }

    @Test func halfAWideCharacterAtTheEdgeBecomesASpace() {
        var b = ScreenBuffer(width: 4, height: 1)
        b.write("abc中", x: 0, y: 0)
        #expect(b[3, 0].content == " ")
        #expect(!b[3, 0].isContinuation)
        #expect(b.textDump() == "abc\n")
        var limited = ScreenBuffer(width: 10, height: 1)
        limited.write("x😀😀", x: 0, y: 0, limit: 4)
        #expect(limited.textDump() == "x😀\n")
        #expect(limited[3, 0].content == " ")
        #expect(!limited[4, 0].isContinuation)
    }

    @Test func combiningMarksJoinThePreviousCell() {
        var b = ScreenBuffer(width: 5, height: 1)
        let end = b.write("e\u{0301}x", x: 0, y: 0)
        #expect(end == 2)
        #expect(b[0, 0].content == "e\u{0301}")
        #expect(b[1, 0].content == "x")
        // A zero-width joiner attaches too; the emoji after it takes its own two cells.
        var z = ScreenBuffer(width: 6, height: 1)
        z.write("😀\u{200D}😀", x: 0, y: 0)
        #expect(z[0, 0].content == "😀\u{200D}")
        #expect(z[2, 0].content == "😀")
    }

    @Test func markWithNothingBeforeItSitsOnADottedCircle() {
        var b = ScreenBuffer(width: 3, height: 1)
        b.write("\u{0301}", x: 0, y: 0)
        #expect(b[0, 0].content == "\u{25CC}\u{0301}")
    }

    @Test func attachedScalarsAreBounded() {
        var b = ScreenBuffer(width: 3, height: 1)
        b.write("a" + String(repeating: "\u{0301}", count: 50), x: 0, y: 0)
        #expect(b[0, 0].content.unicodeScalars.count == 1 + Cell.maxAttached)
    }

    @Test func controlsNeverEnterACell() {
        var b = ScreenBuffer(width: 40, height: 1)
        b.write("ok \u{1B}[2J\u{202E}x\u{07}", x: 0, y: 0)
        #expect(b.textDump() == "ok \\x1b[2J\\u202ex\\x07\n")
        for cell in b.cells {
            #expect(!cell.content.unicodeScalars.contains(where: TerminalSafeText.needsEscape))
        }
        b.fill(b.bounds, with: "\u{1B}")
        #expect(b.rowText(0).hasPrefix("\\x1b\\x1b"))
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = ScreenBuffer(width: 4, height: 1)
        b.write("中文", x: 0, y: 0)
        b.write("x", x: 1, y: 0)  // lands on the continuation of 中
        #expect(b[0, 0].content == " ")
        #expect(b[1, 0].content == "x")
        #expect(b[2, 0].content == "文")
        b.write("y", x: 2, y: 0)  // lands on the head of 文
        #expect(b[3, 0].content == " ")
        #expect(!b[3, 0].isContinuation)
        #expect(b.textDump() == " xy\n")
    }

    @Test func writingLeftOfTheBufferClips() {
        var b = ScreenBuffer(width: 4, height: 1)
        b.write("中abc", x: -1, y: 0)
        #expect(b.textDump() == " abc\n")
        b.write("zz", x: 0, y: 5)  // outside: nothing happens
        #expect(b.textDump() == " abc\n")
    }

    @Test func styleDumpParallelsTheText() {
        var b = ScreenBuffer(width: 8, height: 2)
        b.write("ok", x: 0, y: 0, style: Style(.ok))
        b.write("中", x: 3, y: 0, style: Style(.page))
        b.write("w", x: 1, y: 1, style: Style(.warning))
        #expect(b.styleDump() == "oo.pp\n.w\n")
    }

    @Test func changedRowsFindsDifferences() {
        var a = ScreenBuffer(width: 5, height: 3)
        a.write("hello", x: 0, y: 0)
        var b = a
        #expect(b.changedRows(since: a).isEmpty)
        #expect(a == b)
        b.write("x", x: 2, y: 2)
        #expect(b.changedRows(since: a) == [2])
        b.setStyle(Style(.accent), in: Rect(x: 0, y: 1, width: 1, height: 1))
        #expect(b.changedRows(since: a) == [1, 2])
        #expect(b.changedRows(since: nil) == [0, 1, 2])
        #expect(ScreenBuffer(width: 4, height: 3).changedRows(since: a) == [0, 1, 2])
    }

    @Test func writeInAreaAlignsAndTruncates() {
        var b = ScreenBuffer(width: 10, height: 3)
        b.write("right", in: Rect(x: 0, y: 0, width: 10, height: 1), alignment: .right)
        b.write("mid", in: Rect(x: 0, y: 1, width: 9, height: 1), alignment: .center)
        b.write("much too long", in: Rect(x: 0, y: 2, width: 6, height: 1))
        #expect(b.textDump() == "     right\n   mid\nmuch …\n")
    }

    /// Property: writing any text takes exactly its escaped width in columns (when it fits), and
    /// every row's cells add up to the buffer width.
    @Test func writtenWidthMatchesDisplayWidth() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<300 {
            let text = SampleScalars.text(&rng, length: Int.random(in: 0..<25, using: &rng))
            var b = ScreenBuffer(width: 120, height: 1)
            let x = Int.random(in: 0..<5, using: &rng)
            let end = b.write(text, x: x, y: 0)
            let startsWithMark = text.unicodeScalars.first.map(DisplayWidth.isZeroWidth) ?? false
            #expect(end - x == DisplayWidth.ofSafe(text) + (startsWithMark ? 1 : 0))
            var columns = 0
            var i = 0
            while i < b.width {
                let cell = b[i, 0]
                #expect(!cell.isContinuation, "orphaned continuation at \(i) for \(text.debugDescription)")
                if cell.width == 2 { #expect(b[i + 1, 0].isContinuation) }
                columns += Int(cell.width)
                i += max(1, Int(cell.width))
            }
            #expect(columns == b.width)
        }
    }

    /// Property: random overlapping writes never leave a half of a wide character behind.
    @Test func overlappingWritesKeepWideCharactersWhole() {
        var rng = SeededRandom(seed: 99)
        var b = ScreenBuffer(width: 30, height: 4)
        for _ in 0..<500 {
            let text = SampleScalars.text(&rng, length: Int.random(in: 1..<8, using: &rng))
            b.write(text, x: Int.random(in: -3..<32, using: &rng), y: Int.random(in: 0..<4, using: &rng),
                    limit: Int.random(in: 10..<31, using: &rng))
            for y in 0..<4 {
                for x in 0..<30 {
                    let cell = b[x, y]
                    if cell.isContinuation { #expect(x > 0 && b[x - 1, y].width == 2) }
                    if cell.width == 2 { #expect(x + 1 < 30 && b[x + 1, y].isContinuation) }
                }
            }
        }
    }
}
