import BurnwatchParsing

/// Exposition bodies (0.0.4 or OpenMetrics): one result whether the body comes whole, a byte at
/// a time (the first KB; then cut at every line end and a few offsets inside lines), or in chunks
/// whose sizes come from the input itself.
enum ExpositionFuzz {
    /// Inputs up to this many bytes are fed a byte at a time; beyond it, at line ends and a few
    /// input-derived offsets (feeding 8 KB a byte at a time made most of the target's time).
    static let byteByByteLimit = 1024

    static func run(_ data: UnsafeRawBufferPointer, format: ExpositionFormat) {
        let bytes = Array(data)
        let whole = parseWhole(bytes, format)
        var seed = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        for b in bytes.prefix(16) { seed = (seed ^ UInt64(b)) &* 0x100_0000_01B3 }
        let fine = parseInChunks(bytes, format, cuts: fineCuts(bytes, seed: seed))
        fuzzCheck(whole == fine, "byte-by-byte (then line-end) parse differs from whole parse: " + firstDifference(whole, fine))
        var chunkCuts: [Int] = []
        var offset = 0
        while offset < bytes.count {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            offset = min(bytes.count, offset + Int(seed >> 58) + 1)
            chunkCuts.append(offset)
        }
        let chunked = parseInChunks(bytes, format, cuts: chunkCuts)
        fuzzCheck(whole == chunked, "chunked parse differs from whole parse: " + firstDifference(whole, chunked))
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false).count
        for entry in whole where entry.hasPrefix("E ") {
            let line = Int(entry.dropFirst(2).prefix { $0 != ":" }) ?? -1
            fuzzCheck(line >= 1 && line <= lines + 1, "error line \(line) outside 1...\(lines + 1)")
        }
    }

    /// Where the fine feed cuts `bytes` (increasing chunk ends, the last one `bytes.count`): after
    /// every byte of the first `byteByByteLimit`; beyond them just before and just after every
    /// newline, and at eight input-derived offsets.
    static func fineCuts(_ bytes: [UInt8], seed: UInt64) -> [Int] {
        let limit = min(bytes.count, byteByByteLimit)
        let cuts = limit == 0 ? [] : Array(1...limit)
        guard bytes.count > limit else { return cuts }
        var tail: Set<Int> = [bytes.count]
        for k in limit..<bytes.count where bytes[k] == 10 { tail.insert(k); tail.insert(k + 1) }
        var s = seed
        for _ in 0..<8 {
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            tail.insert(limit + 1 + Int(s >> 33) % (bytes.count - limit))
        }
        return cuts + tail.filter { $0 > limit && $0 <= bytes.count }.sorted()
    }

    /// The first entry where `a` and `b` differ, for the failure message.
    static func firstDifference(_ a: [String], _ b: [String]) -> String {
        let k = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        return "entry \(k): whole \(k < a.count ? a[k] : "none") / fed \(k < b.count ? b[k] : "none")"
    }

    /// A comparable rendering of one entry.
    static func render(_ entry: ExpositionEntry) -> String {
        switch entry {
        case .sample(let s):
            var text = "S L\(s.line) \(s.makeLabels()) \(s.value.bitPattern) \(s.timestampMilliseconds.map(String.init) ?? "-")"
            if let ex = s.exemplar {
                text += " # " + (0..<ex.labels.count).map { "\(ex.labels.name($0))=\(ex.labels.value($0))" }.joined(separator: ",")
                text += " \(ex.value.bitPattern) \(ex.timestampMilliseconds.map(String.init) ?? "-")"
            }
            return text
        case .metadata(let m): return "M \(m.kind) \(m.name) \(m.text) L\(m.line)"
        case .error(let e): return "E \(e)"
        case .endOfFile: return "EOF"
        }
    }

    static func parseWhole(_ bytes: [UInt8], _ format: ExpositionFormat) -> [String] {
        var parser = ExpositionParser(bytes: bytes, format: format)
        var out: [String] = []
        while let e = parser.next() { out.append(render(e)) }
        return out
    }

    /// Parses `bytes` fed in chunks that end at `cuts` (increasing; the rest goes in one chunk).
    static func parseInChunks(_ bytes: [UInt8], _ format: ExpositionFormat, cuts: [Int]) -> [String] {
        var parser = ExpositionStreamParser(format: format)
        var out: [String] = []
        var offset = 0
        var nextCut = 0
        while true {
            switch parser.next() {
            case .entry(let e): out.append(render(e))
            case .needMoreInput:
                if offset >= bytes.count { parser.finish(); continue }
                let end = nextCut < cuts.count ? min(max(cuts[nextCut], offset + 1), bytes.count) : bytes.count
                nextCut += 1
                bytes.withUnsafeBytes { parser.feed(UnsafeRawBufferPointer(rebasing: $0[offset..<end])) }  // not the generic feed
                offset = end
            case .end: return out
            }
        }
    }
}
