import BurnwatchCore
import BurnwatchParsing
import BurnwatchTestSupport
import Foundation
import Testing

/// A comparable rendering of one entry.
func render(_ entry: ExpositionEntry) -> String {
    switch entry {
    case .sample(let s):
        var text = "S L\(s.line) \(s.makeLabels()) \(s.value) \(s.timestampMilliseconds.map(String.init) ?? "-")"
        if let ex = s.exemplar {
            text += " # " + (0..<ex.labels.count).map { "\(ex.labels.name($0))=\(ex.labels.value($0))" }.joined(separator: ",")
            text += " \(ex.value) \(ex.timestampMilliseconds.map(String.init) ?? "-")"
        }
        return text
    case .metadata(let m): return "M \(m.kind) \(m.name) \(m.text) L\(m.line)"
    case .error(let e): return "E \(e)"
    case .endOfFile: return "EOF"
    }
}

/// Parses `bytes` fed in chunks whose sizes come from `sizes` (cycled); returns rendered entries.
func parseInChunks(_ bytes: [UInt8], _ format: ExpositionFormat, sizes: () -> Int) -> [String] {
    var parser = ExpositionStreamParser(format: format)
    var out: [String] = []
    var offset = 0
    while true {
        switch parser.next() {
        case .entry(let e): out.append(render(e))
        case .needMoreInput:
            if offset >= bytes.count { parser.finish(); continue }
            let n = min(max(1, sizes()), bytes.count - offset)
            parser.feed(bytes[offset..<offset + n])
            offset += n
        case .end: return out
        }
    }
}

func parseWhole(_ bytes: [UInt8], _ format: ExpositionFormat) -> [String] {
    var parser = ExpositionParser(bytes: bytes, format: format)
    var out: [String] = []
    while let e = parser.next() { out.append(render(e)) }
    return out
}

/// The same rendering through a parser that defers labels and parses every sample's afterwards.
func parseDeferringLabels(_ bytes: [UInt8], _ format: ExpositionFormat) -> [String] {
    var parser = ExpositionParser(bytes: bytes, format: format, deferringLabels: true)
    var out: [String] = []
    while let e = parser.next() {
        guard case .sample(var sample) = e else { out.append(render(e)); continue }
        if let error = parser.parseDeferredLabels(of: &sample) { out.append(render(.error(error))) } else { out.append(render(.sample(sample))) }
    }
    return out
}

let openMetricsSample = """
# TYPE foo counter
# UNIT foo seconds
# HELP foo Some \\"help\\" text.
foo_total{a="x\\ny"} 17.0 1520879607.789 # {id="counter-test"} 5 1520879607.123
foo_created 1520430000.123
# TYPE s stateset
s{s="a"} 1
bad line here
s{s="b"} 0
# EOF

"""

@Suite struct ExpositionStreamingTests {
    static func fixtureBodies() throws -> [(String, [UInt8], ExpositionFormat)] {
        let dir = expositionFixtureDirectory()
        var out: [(String, [UInt8], ExpositionFormat)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".txt") {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            out.append((name, Array(data), .prometheusText))
        }
        out.append(("openmetrics-inline", Array(openMetricsSample.utf8), .openMetrics))
        return out
    }

    @Test func deferredLabelsGiveTheFullParsesSamplesAndErrors() {
        let lines = [
            #"a{x="1"} 1"#, #"a {x="1"} 2"#, #"  a{x="}"} 3"#, #"a{x="\"}\\"} 4"#, #"a{x="1",x="2"} 5"#, #"a{x="\q"} 6"#,
            #"a{x=1} 7"#, #"a{x="1" 8"#, #"a{x="1"}9"#, #"a{"x"="1"} 10"#, #"{"a.b",x="1"} 11"#, #"a{x="1",} 12"#,
            #"a{=""} 13"#, #"a{x="1"}} 14"#, #"a{x="\#u{E9}"} 15"#, "a{x=\"\u{1}\"} 16", #"a{x="1"} 17 # {t="2"} 1"#,
        ]
        var body = Array((lines.joined(separator: "\n") + "\n").utf8)
        body += Array(#"a{x=""#.utf8) + [0xFF] + Array(#""} 18"#.utf8) + [10]
        #expect(parseDeferringLabels(body, .prometheusText) == parseWhole(body, .prometheusText))
        let om = Array((lines.joined(separator: "\n") + "\n# EOF\n").utf8)
        #expect(parseDeferringLabels(om, .openMetrics) == parseWhole(om, .openMetrics))
    }

    @Test func wholeByteByByteAndRandomChunksAgree() throws {
        let bodies = try Self.fixtureBodies()
        #expect(bodies.count >= 9)
        var rng = SeededRandom(seed: 42)
        for (name, bytes, format) in bodies {
            let whole = parseWhole(bytes, format)
            #expect(!whole.isEmpty)
            let byteByByte = parseInChunks(bytes, format) { 1 }
            #expect(byteByByte == whole, "\(name): byte by byte differs")
            #expect(parseDeferringLabels(bytes, format) == whole, "\(name): deferred labels differ")
            for _ in 0..<3 {
                let random = parseInChunks(bytes, format) { Int.random(in: 1...4096, using: &rng) }
                #expect(random == whole, "\(name): random chunks differ")
            }
        }
    }

    @Test func fixturesParseWithoutErrors() throws {
        for (name, bytes, format) in try Self.fixtureBodies() where name.hasSuffix(".txt") {
            let parsed = Exposition.parse(bytes, format: format)
            #expect(parsed.errors.isEmpty, "\(name): \(parsed.errors.prefix(3))")
            let sampleLines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
                .filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
            #expect(parsed.samples.count == sampleLines, "\(name)")
            #expect(!parsed.families.isEmpty)
        }
    }

    @Test func openMetricsInlineKeepsGoingAfterABadLine() {
        let entries = parseWhole(Array(openMetricsSample.utf8), .openMetrics)
        #expect(entries.contains("E 8:1: expected a value after the metric") || entries.contains { $0.hasPrefix("E 8:") })
        #expect(entries.contains { $0.hasPrefix("S L9 s{s=\"b\"} 0.0") })
        #expect(entries.contains("EOF"))
        #expect(entries.last == "EOF", "\(entries)")
        let after = parseWhole(Array((openMetricsSample + "\nx 1\n").utf8), .openMetrics)
        #expect(after.last == "E 11:1: content after '# EOF'", "\(after)")
    }

    @Test func streamNeedsMoreInputAtLineBoundary() {
        var parser = ExpositionStreamParser(format: .prometheusText)
        parser.feed(Array("a 1\nb 2".utf8))
        guard case .entry(.sample(let a)) = parser.next() else { Issue.record("expected a"); return }
        #expect(a.name == "a" && a.value == 1)
        guard case .needMoreInput = parser.next() else { Issue.record("expected needMoreInput"); return }
        parser.feed(Array("5\n".utf8))
        guard case .entry(.sample(let b)) = parser.next() else { Issue.record("expected b"); return }
        #expect(b.name == "b" && b.value == 25)
        guard case .needMoreInput = parser.next() else { Issue.record("expected needMoreInput"); return }
        parser.finish()
        guard case .end = parser.next() else { Issue.record("expected end"); return }
    }

    @Test func longLineInStreamIsSkippedWithoutBufferingIt() {
        var parser = ExpositionStreamParser(format: .prometheusText, limits: ExpositionLimits(maxLineBytes: 1000))
        parser.feed(Array("ok 1\n".utf8))
        var rendered: [String] = []
        func drain() { while case .entry(let e) = parser.next() { rendered.append(render(e)) } }
        drain()
        for _ in 0..<100 { parser.feed([UInt8](repeating: UInt8(ascii: "x"), count: 100)); drain() }
        parser.feed(Array(" 1\nafter 2\n".utf8))
        parser.finish()
        drain()
        #expect(rendered.count == 3, "\(rendered)")
        #expect(rendered[1] == "E 2:1: line longer than 1000 bytes; skipped")
        #expect(rendered[2].hasPrefix("S L3 after 2.0 -"))
    }
}

/// The exposition fixtures: `../shared/fixtures/exposition` beside the checkout, or (in a worktree
/// nested one level deeper) `/work/shared/fixtures/exposition`.
func expositionFixtureDirectory() -> URL {
    let primary = TestPaths.sharedFixtures.appendingPathComponent("exposition")
    if FileManager.default.fileExists(atPath: primary.path) { return primary }
    return URL(fileURLWithPath: "/work/shared/fixtures/exposition")
}
