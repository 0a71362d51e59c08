import BurnwatchCore
import BurnwatchParsing
import Foundation
import Testing

@Suite struct ExpositionFuzzTests {
    /// Random byte edits of real bodies: the parser never traps, every line is either a sample, a
    /// comment, metadata or one error, and chunked parsing equals whole parsing.
    @Test func mutatedBodiesParseConsistently() throws {
        let dir = expositionFixtureDirectory()
        let base = Array(try Data(contentsOf: dir.appendingPathComponent("prometheus.txt")).prefix(12_000))
        let om = Array(openMetricsSample.utf8)
        let alphabet: [UInt8] = Array("{}\"\\=, #\n\t.eE+-0123456789aZ_:".utf8) + [0x00, 0x80, 0xC3, 0xFF, 0xE2]
        var rng = SeededRandom(seed: 7)
        for round in 0..<60 {
            let format: ExpositionFormat = round % 3 == 0 ? .openMetrics : .prometheusText
            var body = round % 3 == 0 ? om : base
            for _ in 0..<Int.random(in: 1...20, using: &rng) {
                let at = Int.random(in: 0..<body.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: body[at] = alphabet.randomElement(using: &rng)!
                case 1: body.insert(alphabet.randomElement(using: &rng)!, at: at)
                default: body.remove(at: at)
                }
            }
            if Bool.random(using: &rng) { body = Array(body.prefix(Int.random(in: 0...body.count, using: &rng))) }
            let whole = parseWhole(body, format)
            let chunked = parseInChunks(body, format) { Int.random(in: 1...64, using: &rng) }
            #expect(whole == chunked, "round \(round)")
            let deferred = parseDeferringLabels(body, format)
            #expect(whole == deferred, "round \(round): deferred labels")
            let lines = body.split(separator: 10, omittingEmptySubsequences: false).count
            let errorLines = Set(whole.filter { $0.hasPrefix("E ") }.compactMap { Int($0.dropFirst(2).prefix { $0 != ":" }) })
            let sampleLines = whole.filter { $0.hasPrefix("S ") }.compactMap { Int($0.split(separator: " ")[1].dropFirst()) }
            #expect(errorLines.isDisjoint(with: sampleLines), "round \(round): a line is both a sample and an error")
            #expect(errorLines.allSatisfy { $0 >= 1 && $0 <= lines }, "round \(round): error line out of range")
        }
    }
}
