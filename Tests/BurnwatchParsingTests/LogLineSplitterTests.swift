import Testing
@testable import BurnwatchParsing

@Suite struct LogLineSplitterTests {
    func split(_ input: [UInt8], chunks: [Int], cap: Int = 1 << 20) -> ([String], [Bool]) {
        var s = LineSplitter(maxLineLength: cap)
        var lines: [String] = [], cuts: [Bool] = []
        var i = 0, k = 0
        while i < input.count {
            let n = max(1, chunks[k % chunks.count]); k += 1
            let end = min(input.count, i + n)
            s.feed(Array(input[i..<end])) { lines.append(String(decoding: $0, as: UTF8.self)); cuts.append($1) }
            i = end
        }
        s.finish { lines.append(String(decoding: $0, as: UTF8.self)); cuts.append($1) }
        return (lines, cuts)
    }

    @Test func wholeByteByByteAndRandomChunksAgree() {
        var rng = SystemRandomNumberGenerator()
        var text = ""
        for i in 0..<300 { text += "{\"i\":\(i),\"s\":\"\(String(repeating: "x", count: Int.random(in: 0..<40, using: &rng)))é\"}" + (i % 7 == 0 ? "\r\n" : "\n") }
        text += "last line without newline"
        let bytes = Array(text.utf8)
        let whole = split(bytes, chunks: [bytes.count])
        let byte = split(bytes, chunks: [1])
        #expect(whole.0.count == 301)
        #expect(whole.0 == byte.0)
        #expect(!whole.0.contains { $0.hasSuffix("\r") })
        for _ in 0..<20 {
            let sizes = (0..<10).map { _ in Int.random(in: 1...97, using: &rng) }
            #expect(split(bytes, chunks: sizes).0 == whole.0)
        }
        #expect(whole.0.last == "last line without newline")
    }

    @Test func longLinesAreCutAndCountedWithoutUnboundedBuffering() {
        let long = [UInt8](repeating: 0x61, count: 10_000)
        let input = Array("short\n".utf8) + long + Array("\nafter\n".utf8)
        var s = LineSplitter(maxLineLength: 100)
        var lines: [(Int, Bool)] = []
        var maxPending = 0
        var i = 0
        while i < input.count {
            let end = min(input.count, i + 333)
            s.feed(Array(input[i..<end])) { lines.append(($0.count, $1)) }
            maxPending = max(maxPending, s.pendingByteCount)
            i = end
        }
        #expect(lines.map(\.0) == [5, 100, 5])
        #expect(lines.map(\.1) == [false, true, false])
        #expect(s.truncatedCount == 1)
        #expect(maxPending <= 101)
    }

    @Test func byteSearchFindsEveryPosition() {
        for n in 0..<40 {
            for pos in 0...n {
                var b = [UInt8](repeating: 0x20, count: n)
                if pos < n { b[pos] = 0x0A }
                let found = b.withUnsafeBytes { ByteSearch.first(0x0A, in: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, from: 0, end: n) }
                #expect(found == pos)
            }
        }
        // High bytes next to the target must not produce false hits.
        let tricky: [UInt8] = [0x80, 0x8A, 0x0B, 0x09, 0xFF, 0x8A, 0x0A, 0x00, 0x00]
        #expect(tricky.withUnsafeBytes { ByteSearch.first(0x0A, in: $0.baseAddress!, from: 0, end: $0.count) } == 6)
        let q: [UInt8] = Array("abcdefghij\\klm\"".utf8)
        #expect(q.withUnsafeBytes { ByteSearch.firstQuoteOrBackslash(in: $0.baseAddress!, from: 0, end: $0.count) } == 10)
    }

    @Test func utf8Validation() {
        func valid(_ b: [UInt8]) -> Bool { b.withUnsafeBufferPointer { LogUTF8Validator.isValid($0) } }
        #expect(valid(Array("plain ascii text that is long enough".utf8)))
        #expect(valid(Array("Zoë 李小龍 😀 ☕".utf8)))
        #expect(!valid([0x61, 0xFF, 0x62]))
        #expect(!valid([0xC0, 0xAF]))               // overlong
        #expect(!valid([0xED, 0xA0, 0x80]))         // surrogate
        #expect(!valid([0xE2, 0x82]))               // cut short
        #expect(!valid([0xF4, 0x90, 0x80, 0x80]))   // above U+10FFFF
    }
}
