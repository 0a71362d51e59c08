import BurnwatchCore

/// PromQL: parse any text (errors carry in-range positions), print what parses and parse the print
/// again to the same print, then evaluate it (instant and a short range) on a small store.
enum PromQLFuzz {
    static let store: SeriesStore = {
        var store = SeriesStore()
        for (i, code) in ["200", "500", "503"].enumerated() {
            let labels = Labels(["__name__": "http_requests_total", "code": code, "job": "api", "instance": "a:\(i)"])
            for t in 0..<20 { store.append(labels, Timestamp(milliseconds: Int64(t) * 15_000), Double(t * (i + 1)) + (t == 12 ? -30 : 0)) }
        }
        for le in ["0.1", "0.5", "1", "+Inf"] {
            let labels = Labels(["__name__": "latency_seconds_bucket", "le": le, "job": "api"])
            for t in 0..<20 { store.append(labels, Timestamp(milliseconds: Int64(t) * 15_000), Double(t) * (Double(le) ?? 9)) }
        }
        store.append(Labels(["__name__": "up", "job": "api"]), Timestamp(milliseconds: 60_000), 1)
        return store
    }()
    static let engine = PromQLEngine(store: store, options: PromQLOptions(maxPointsPerSeries: 200))

    static func run(_ data: UnsafeRawBufferPointer) {
        let text = fuzzText(data)
        let expr: Expr
        do {
            expr = try PromQLParser.parse(text)
        } catch let error as BurnwatchError {
            checkPosition(error, text)
            return
        } catch {
            fatalError("PromQL parse threw a non-BurnwatchError: \(error)")
        }
        let printed = expr.description
        do {
            let again = try PromQLParser.parse(printed)
            // The print parenthesises every binary operation, so reading it back may add parentheses only.
            let bare = { (s: String) in s.filter { $0 != "(" && $0 != ")" } }
            fuzzCheck(bare(again.description) == bare(printed), "printed \(printed) reads back as \(again.description)")
        } catch {
            fuzzCheck(false, "printed form \(printed) of \(text) does not parse: \(error)")
        }
        _ = try? engine.instantQuery(text, at: Timestamp(milliseconds: 200_000))
        _ = try? engine.rangeQuery(text, start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 300_000),
                                   step: Interval(milliseconds: 30_000))
    }

    /// A parse error points at a line and column (in scalars) of the text (one past the end at most).
    static func checkPosition(_ error: BurnwatchError, _ text: String) {
        guard let line = error.position?.line, let column = error.position?.column else { return }
        // The lexer reads scalars: a `\r\n` is two of them, and its `\n` ends a line.
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        fuzzCheck(line >= 1 && line <= lines.count, "error line \(line) outside 1...\(lines.count)")
        let width = lines[line - 1].count
        fuzzCheck(column >= 1 && column <= width + 1, "error column \(column) outside 1...\(width + 1) on line \(line)")
    }
}
