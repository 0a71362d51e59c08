import BurnwatchParsing

/// Exposition bodies (0.0.4 or OpenMetrics): one result whether the body comes whole, a byte at
/// a time, or in chunks whose sizes come from the input itself.
enum ExpositionFuzz {
    static func run(_ data: UnsafeRawBufferPointer, format: ExpositionFormat) {
        let bytes = Array(data)
        let whole = parseWhole(bytes, format)
        let byteByByte = parseInChunks(bytes, format) { 1 }
        fuzzCheck(whole == byteByByte, "byte-by-byte parse differs from whole parse: " + firstDifference(whole, byteByByte))
        var seed = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        for b in bytes.prefix(16) { seed = (seed ^ UInt64(b)) &* 0x100_0000_01B3 }
        let chunked = parseInChunks(bytes, format) {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 58) + 1
        }
        fuzzCheck(whole == chunked, "chunked parse differs from whole parse: " + firstDifference(whole, chunked))
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false).count
        for entry in whole where entry.hasPrefix("E ") {
            let line = Int(entry.dropFirst(2).prefix { $0 != ":" }) ?? -1
            fuzzCheck(line >= 1 && line <= lines + 1, "error line \(line) outside 1...\(lines + 1)")
        }
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

    /// Parses `bytes` fed in chunks whose sizes come from `sizes`.
    static func parseInChunks(_ bytes: [UInt8], _ format: ExpositionFormat, sizes: () -> Int) -> [String] {
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
}
