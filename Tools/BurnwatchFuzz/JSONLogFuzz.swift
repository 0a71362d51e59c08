import BurnwatchParsing

/// JSON log lines: the input's first line is a comma-separated field selector, the rest the log
/// line. Every span the scanner returns lies inside the line; nested objects and arrays are walked;
/// every preset's line parser takes the line.
enum JSONLogFuzz {
    static let scanner = JSONObjectScanner(maxDepth: 64)
    /// One line parser per preset, made once: they do not depend on the input, and a parser is
    /// meant to be reused line after line (`parse` resets its slots).
    nonisolated(unsafe) static var presetParsers = LogPreset.allCases.map { LogLineParser(preset: $0, maxDepth: 64) }

    static func run(_ data: UnsafeRawBufferPointer) {
        let bytes = Array(data)
        let split = bytes.firstIndex(of: 10) ?? bytes.count
        let paths = String(decoding: bytes[..<split], as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            .prefix(8).map(String.init)
        let line = Array(bytes[min(split + 1, bytes.count)...])
        let selector = JSONFieldSelector(paths: paths)
        line.withUnsafeBufferPointer { p in
            var slots = [JSONSpan](repeating: .missing, count: selector.slotCount)
            var found = 0
            let outcome = scanner.scan(p, selector, into: &slots, found: &found)
            checkOutcome(outcome, p.count)
            fuzzCheck(found >= 0 && found <= selector.stopCount, "found \(found) of \(selector.stopCount)")
            for span in slots where !span.isMissing { walk(p, span, depth: 0) }
            _ = scanner.forEachMember(p) { key, value in
                checkSpan(key, p.count)
                walk(p, value, depth: 0)
                return true
            }
            for k in presetParsers.indices { _ = presetParsers[k].parse(p) }
        }
    }

    /// Checks `span` and everything nested in it (a few levels deep).
    static func walk(_ line: UnsafeBufferPointer<UInt8>, _ span: JSONSpan, depth: Int) {
        checkSpan(span, line.count)
        switch span.kind {
        case .string: _ = JSONString.decode(line, span)
        case .number: _ = JSONString.text(line, span)
        case .object where depth < 4:
            checkOutcome(scanner.forEachMember(line, of: span) { key, value in
                checkSpan(key, line.count)
                walk(line, value, depth: depth + 1)
                return true
            }, line.count)
        case .array where depth < 4:
            checkOutcome(scanner.forEachElement(line, of: span) { element in
                walk(line, element, depth: depth + 1)
                return true
            }, line.count)
        default: break
        }
    }

    static func checkSpan(_ span: JSONSpan, _ count: Int) {
        fuzzCheck(span.start >= 0 && span.start <= span.end && Int(span.end) <= count,
                  "span \(span.start)..<\(span.end) outside a line of \(count) bytes")
    }

    static func checkOutcome(_ outcome: JSONScanOutcome, _ count: Int) {
        switch outcome {
        case .invalid(let at), .tooDeep(let at): fuzzCheck(at >= 0 && at <= count, "outcome offset \(at) outside 0...\(count)")
        case .ok, .notObject: break
        }
    }
}
