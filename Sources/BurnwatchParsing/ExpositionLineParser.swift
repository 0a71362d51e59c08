/// Why a line was refused, and at which byte offset of the buffer.
struct ExpositionLineFailure: Error {
    var offset: Int
    var reason: String
}

/// Parses one complete line (without its newline) of an exposition into an entry.
///
/// Holds the reusable span storage so that parsing a sample allocates nothing in the steady state.
struct ExpositionLineParser {
    let format: ExpositionFormat
    let limits: ExpositionLimits
    /// Label spans of the current sample, then of its exemplar; reused from line to line.
    var spans: [ExpositionLabelSpan] = []
    /// Whether a sample's label set is skipped rather than parsed (`ExpositionSample.labelsDeferred`).
    var deferLabels = false
    /// Text of a number the fast path left to the standard library's parser (its storage is reused).
    var numberScratch: String = { var s = ""; s.reserveCapacity(64); return s }()

    init(format: ExpositionFormat, limits: ExpositionLimits) {
        self.format = format
        self.limits = limits
        spans.reserveCapacity(16)
    }

    // MARK: Byte classes

    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == 32 || b == 9 }
    @inline(__always) static func isLabelStart(_ b: UInt8) -> Bool { (b | 0x20) &- 97 < 26 || b == 95 }
    @inline(__always) static func isLabelChar(_ b: UInt8) -> Bool { isLabelStart(b) || b &- 48 < 10 }
    @inline(__always) static func isNameStart(_ b: UInt8) -> Bool { isLabelStart(b) || b == 58 }
    @inline(__always) static func isNameChar(_ b: UInt8) -> Bool { isLabelChar(b) || b == 58 }

    @inline(__always) func skipBlanks(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ e: Int) -> Int {
        var i = i
        while i < e, Self.isBlank(p[i]) { i += 1 }
        return i
    }

    // MARK: Lines

    /// Parses the line `p[start..<end]`; returns `nil` for lines that carry nothing (comments, blank lines in 0.0.4).
    mutating func parseLine(_ p: UnsafeBufferPointer<UInt8>, _ buffer: [UInt8], start: Int, end: Int,
                            line: Int) throws(ExpositionLineFailure) -> ExpositionEntry? {
        if start == end {
            if format == .openMetrics { throw ExpositionLineFailure(offset: start, reason: "empty line (not allowed in OpenMetrics)") }
            return nil
        }
        if p[start] == UInt8(ascii: "#") { return try parseComment(p, buffer, start: start, end: end, line: line) }
        if format == .prometheusText {
            let first = skipBlanks(p, start, end)
            if first == end { return nil }
            if p[first] == UInt8(ascii: "#") { return try parseComment(p, buffer, start: first, end: end, line: line) }
            return .sample(try parseSampleOrExplain(p, buffer, start: first, end: end, line: line))
        }
        return .sample(try parseSampleOrExplain(p, buffer, start: start, end: end, line: line))
    }

    /// `parseSample`; when labels are deferred and the line is bad, parsed again in full, so that a
    /// bad line gets the error (and column) the full parse gives.
    mutating func parseSampleOrExplain(_ p: UnsafeBufferPointer<UInt8>, _ buffer: [UInt8], start: Int, end: Int,
                                       line: Int) throws(ExpositionLineFailure) -> ExpositionSample {
        guard deferLabels else { return try parseSample(p, buffer, start: start, end: end, line: line) }
        do {
            return try parseSample(p, buffer, start: start, end: end, line: line)
        } catch {
            deferLabels = false
            defer { deferLabels = true }
            return try parseSample(p, buffer, start: start, end: end, line: line)
        }
    }

    /// Parses `# HELP`, `# TYPE`, `# UNIT`, `# EOF` and (in 0.0.4) plain comments.
    mutating func parseComment(_ p: UnsafeBufferPointer<UInt8>, _ buffer: [UInt8], start: Int, end: Int,
                               line: Int) throws(ExpositionLineFailure) -> ExpositionEntry? {
        var i = start + 1
        let om = format == .openMetrics
        if om {
            guard i < end, p[i] == 32 else { throw ExpositionLineFailure(offset: i, reason: "expected a space after '#'") }
            i += 1
        } else {
            i = skipBlanks(p, i, end)
        }
        let wordStart = i
        while i < end, !Self.isBlank(p[i]) { i += 1 }
        let word = UnsafeBufferPointer(rebasing: p[wordStart..<i])
        let kind: Int  // 0 help, 1 type, 2 unit
        if Self.bytes(word, equal: "HELP") { kind = 0 }
        else if Self.bytes(word, equal: "TYPE") { kind = 1 }
        else if om && Self.bytes(word, equal: "UNIT") { kind = 2 }
        else if om && Self.bytes(word, equal: "EOF") {
            guard i == end else { throw ExpositionLineFailure(offset: i, reason: "unexpected text after '# EOF'") }
            return .endOfFile
        } else {
            if om { throw ExpositionLineFailure(offset: wordStart, reason: "unknown comment (OpenMetrics allows only HELP, TYPE, UNIT and EOF)") }
            return nil
        }
        guard i < end, Self.isBlank(p[i]) else { throw ExpositionLineFailure(offset: i, reason: "expected a metric name after '\(String(decoding: word, as: UTF8.self))'") }
        i = skipBlanks(p, i, end)
        guard i < end else { throw ExpositionLineFailure(offset: i, reason: "expected a metric name") }
        var nameSpan: ByteSpan
        var nameEscaped = false
        if p[i] == UInt8(ascii: "\"") {
            (nameSpan, nameEscaped, i) = try scanQuoted(p, i, end, what: "metric name")
        } else {
            guard Self.isNameStart(p[i]) else { throw ExpositionLineFailure(offset: i, reason: "invalid metric name") }
            let s = i
            while i < end, Self.isNameChar(p[i]) { i += 1 }
            nameSpan = ByteSpan(start: s, end: i)
        }
        var textSpan = ByteSpan(start: i, end: i)
        var textEscaped = false
        if i < end {
            guard Self.isBlank(p[i]) else { throw ExpositionLineFailure(offset: i, reason: "invalid character in metric name") }
            i = om ? i + 1 : skipBlanks(p, i, end)
            textSpan = ByteSpan(start: i, end: end)
            var k = i
            var high = false
            while k < end {
                if p[k] == UInt8(ascii: "\\") { textEscaped = true }
                if p[k] >= 0x80 { high = true }
                k += 1
            }
            if high, let bad = Self.firstInvalidUTF8(p, i, end) {
                throw ExpositionLineFailure(offset: bad, reason: "invalid UTF-8 in \(kind == 0 ? "HELP text" : "metadata")")
            }
        }
        let metaKind: ExpositionMetadata.Kind
        switch kind {
        case 0: metaKind = .help
        case 1:
            guard let type = metricType(UnsafeBufferPointer(rebasing: p[textSpan.start..<textSpan.end])) else {
                throw ExpositionLineFailure(offset: textSpan.start, reason: "unknown metric type '\(String(decoding: UnsafeBufferPointer(rebasing: p[textSpan.start..<textSpan.end]), as: UTF8.self))'")
            }
            metaKind = .type(type)
            textSpan = ByteSpan(start: end, end: end)
        default: metaKind = .unit
        }
        return .metadata(ExpositionMetadata(buffer: buffer, kind: metaKind, nameSpan: nameSpan, nameEscaped: nameEscaped,
                                            textSpan: textSpan, textEscaped: textEscaped, format: format, line: line))
    }

    /// Parses `name{labels} value [timestamp] [# {exemplar labels} value [timestamp]]`.
    mutating func parseSample(_ p: UnsafeBufferPointer<UInt8>, _ buffer: [UInt8], start: Int, end e: Int,
                              line: Int) throws(ExpositionLineFailure) -> ExpositionSample {
        spans.removeAll(keepingCapacity: true)
        var i = start
        var name: ByteSpan? = nil
        var nameEscaped = false
        if p[i] == UInt8(ascii: "\"") {
            let q = try scanQuoted(p, i, e, what: "metric name")
            name = q.0; nameEscaped = q.1; i = q.2
        } else if Self.isNameStart(p[i]) {
            let s = i
            i += 1
            while i < e, Self.isNameChar(p[i]) { i += 1 }
            name = ByteSpan(start: s, end: i)
        } else if p[i] != UInt8(ascii: "{") {
            throw ExpositionLineFailure(offset: i, reason: "expected a metric name")
        }
        if format == .prometheusText {
            let k = skipBlanks(p, i, e)
            if k < e, p[k] == UInt8(ascii: "{") { i = k }
        }
        var labelSetStart = -1
        if i < e, p[i] == UInt8(ascii: "{") {
            if deferLabels, name != nil, let after = Self.skipLabelSet(p, i, e) {
                labelSetStart = i
                i = after
            } else {
                i = try parseLabels(p, i + 1, e, metricName: &name, metricNameEscaped: &nameEscaped)
            }
        }
        guard let nameSpan = name else { throw ExpositionLineFailure(offset: start, reason: "sample has no metric name") }
        let seriesSpan = ByteSpan(start: start, end: i)
        let sampleLabelCount = spans.count
        guard i < e else { throw ExpositionLineFailure(offset: i, reason: "expected a value after the metric") }
        guard Self.isBlank(p[i]) else { throw ExpositionLineFailure(offset: i, reason: "invalid character in metric name or labels") }
        i = skipBlanks(p, i, e)
        let valueStart = i
        while i < e, !Self.isBlank(p[i]) { i += 1 }
        guard i > valueStart else { throw ExpositionLineFailure(offset: i, reason: "expected a value") }
        guard let value = ExpositionNumbers.parseDouble(p, valueStart, i, scratch: &numberScratch) else {
            throw ExpositionLineFailure(offset: valueStart, reason: "invalid value '\(Self.excerpt(p, valueStart, i))'")
        }
        i = skipBlanks(p, i, e)
        var timestamp: Int64? = nil
        if i < e, p[i] != UInt8(ascii: "#") {
            let s = i
            while i < e, !Self.isBlank(p[i]) { i += 1 }
            timestamp = try parseTimestamp(p, s, i)
            i = skipBlanks(p, i, e)
        }
        var exemplar: ExpositionExemplar? = nil
        if i < e, p[i] == UInt8(ascii: "#") {
            guard format == .openMetrics else { throw ExpositionLineFailure(offset: i, reason: "exemplars are allowed only in OpenMetrics") }
            i = skipBlanks(p, i + 1, e)
            guard i < e, p[i] == UInt8(ascii: "{") else { throw ExpositionLineFailure(offset: i, reason: "expected '{' to start the exemplar's labels") }
            var none: ByteSpan? = ByteSpan(start: 0, end: 0)
            var noneEscaped = false
            i = try parseLabels(p, i + 1, e, metricName: &none, metricNameEscaped: &noneEscaped)
            guard i < e, Self.isBlank(p[i]) else { throw ExpositionLineFailure(offset: i, reason: "expected the exemplar's value") }
            i = skipBlanks(p, i, e)
            let vs = i
            while i < e, !Self.isBlank(p[i]) { i += 1 }
            guard let ev = ExpositionNumbers.parseDouble(p, vs, i, scratch: &numberScratch) else {
                throw ExpositionLineFailure(offset: vs, reason: "invalid exemplar value '\(Self.excerpt(p, vs, i))'")
            }
            i = skipBlanks(p, i, e)
            var ets: Int64? = nil
            if i < e {
                let s = i
                while i < e, !Self.isBlank(p[i]) { i += 1 }
                ets = try parseTimestamp(p, s, i)
                i = skipBlanks(p, i, e)
            }
            exemplar = ExpositionExemplar(labels: ExpositionLabelView(buffer: buffer, spans: spans, range: sampleLabelCount..<spans.count),
                                          value: ev, timestampMilliseconds: ets)
        }
        guard i == e else { throw ExpositionLineFailure(offset: i, reason: "unexpected text after the sample") }
        return ExpositionSample(seriesSpan: seriesSpan, nameSpan: nameSpan, nameEscaped: nameEscaped,
                                labels: ExpositionLabelView(buffer: buffer, spans: spans, range: 0..<sampleLabelCount),
                                value: value, timestampMilliseconds: timestamp, exemplarBox: exemplar.map(ExemplarBox.init), line: line,
                                labelSetStart: labelSetStart)
    }

    /// The offset after the `}` that closes the label set opened at `p[i]`, found without parsing
    /// the labels (a quoted string and its backslash escapes are skipped whole), or nil when the
    /// line ends first.
    ///
    /// Where the full parse accepts a label set, it ends at the same `}`: both skip quoted text the
    /// same way, and nothing else may hold a `}`.
    @inline(__always)
    static func skipLabelSet(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ e: Int) -> Int? {
        var k = i + 1
        while k < e {
            let b = p[k]
            if b == UInt8(ascii: "}") { return k + 1 }
            if b == UInt8(ascii: "\"") {
                k += 1
                while k < e, p[k] != UInt8(ascii: "\"") { k += p[k] == UInt8(ascii: "\\") ? 2 : 1 }
            }
            k += 1
        }
        return nil
    }

    /// Parses a timestamp token: integer milliseconds (0.0.4) or float seconds (OpenMetrics, truncated to ms).
    mutating func parseTimestamp(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) throws(ExpositionLineFailure) -> Int64 {
        if format == .prometheusText {
            guard let ms = ExpositionNumbers.parseInt64(p, s, e) else {
                throw ExpositionLineFailure(offset: s, reason: "invalid timestamp '\(Self.excerpt(p, s, e))' (text 0.0.4 wants integer milliseconds)")
            }
            return ms
        }
        guard let seconds = ExpositionNumbers.parseDouble(p, s, e, scratch: &numberScratch), seconds.isFinite,
              abs(seconds) < 9.2e15 else {
            throw ExpositionLineFailure(offset: s, reason: "invalid timestamp '\(Self.excerpt(p, s, e))'")
        }
        return Int64(seconds * 1000)
    }

    /// Parses labels after `{` up to and including `}`; appends spans; returns the offset after `}`.
    ///
    /// A quoted string standing alone (no `=`) while `metricName` is nil is the metric name (Prometheus 3 UTF-8 names).
    mutating func parseLabels(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ e: Int, metricName: inout ByteSpan?,
                              metricNameEscaped: inout Bool) throws(ExpositionLineFailure) -> Int {
        var i = start
        let first = spans.count
        while true {
            i = skipBlanks(p, i, e)
            guard i < e else { throw ExpositionLineFailure(offset: i, reason: "unterminated label set (missing '}')") }
            if p[i] == UInt8(ascii: "}") { return i + 1 }
            var labelName: ByteSpan
            var labelEscaped = false
            var quoted = false
            if p[i] == UInt8(ascii: "\"") {
                (labelName, labelEscaped, i) = try scanQuoted(p, i, e, what: "label name")
                quoted = true
            } else if Self.isLabelStart(p[i]) {
                let s = i
                while i < e, Self.isLabelChar(p[i]) { i += 1 }
                labelName = ByteSpan(start: s, end: i)
            } else {
                throw ExpositionLineFailure(offset: i, reason: "expected a label name")
            }
            i = skipBlanks(p, i, e)
            if quoted, metricName == nil, i < e, p[i] == UInt8(ascii: ",") || p[i] == UInt8(ascii: "}") {
                metricName = labelName
                metricNameEscaped = labelEscaped
                if p[i] == UInt8(ascii: ",") { i += 1 }
                continue
            }
            guard i < e, p[i] == UInt8(ascii: "=") else { throw ExpositionLineFailure(offset: i, reason: "expected '=' after the label name") }
            i = skipBlanks(p, i + 1, e)
            guard i < e, p[i] == UInt8(ascii: "\"") else { throw ExpositionLineFailure(offset: i, reason: "expected '\"' to start the label value") }
            let (valueSpan, valueEscaped, after) = try scanQuoted(p, i, e, what: "label value")
            if valueSpan.count > limits.maxLabelValueBytes {
                throw ExpositionLineFailure(offset: valueSpan.start, reason: "label value longer than \(limits.maxLabelValueBytes) bytes (\(valueSpan.count))")
            }
            i = after
            for k in first..<spans.count where Self.equal(p, spans[k].name, labelName) {
                throw ExpositionLineFailure(offset: labelName.start, reason: "duplicate label name '\(Self.excerpt(p, labelName.start, labelName.end))'")
            }
            guard spans.count - first < limits.maxLabels else {
                throw ExpositionLineFailure(offset: labelName.start, reason: "more than \(limits.maxLabels) labels")
            }
            spans.append(ExpositionLabelSpan(name: labelName, value: valueSpan, nameEscaped: labelEscaped, valueEscaped: valueEscaped))
            i = skipBlanks(p, i, e)
            guard i < e else { throw ExpositionLineFailure(offset: i, reason: "unterminated label set (missing '}')") }
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            if p[i] == UInt8(ascii: "}") { return i + 1 }
            throw ExpositionLineFailure(offset: i, reason: "expected ',' or '}' after a label")
        }
    }

    /// Scans a quoted string at `p[i] == '"'`; checks escapes (`\\`, `\"`, `\n`) and UTF-8.
    ///
    /// - Returns: the span inside the quotes, whether it holds escapes, and the offset after the closing quote.
    @inline(__always)
    func scanQuoted(_ p: UnsafeBufferPointer<UInt8>, _ i0: Int, _ e: Int,
                    what: StaticString) throws(ExpositionLineFailure) -> (ByteSpan, Bool, Int) {
        var i = i0 + 1
        let s = i
        var escaped = false
        var high = false
        while i < e {
            let b = p[i]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                escaped = true
                guard i + 1 < e else { i = e; break }
                let n = p[i + 1]
                guard n == UInt8(ascii: "\\") || n == UInt8(ascii: "\"") || n == UInt8(ascii: "n") else {
                    throw ExpositionLineFailure(offset: i, reason: "invalid escape '\\\(Self.excerpt(p, i + 1, i + 2))' in \(what) (only \\\\, \\\" and \\n)")
                }
                i += 2
                continue
            }
            high = high || b >= 0x80
            i += 1
        }
        guard i < e else { throw ExpositionLineFailure(offset: i, reason: "unterminated \(what) (missing closing '\"')") }
        if high, let bad = Self.firstInvalidUTF8(p, s, i) {
            throw ExpositionLineFailure(offset: bad, reason: "invalid UTF-8 in \(what)")
        }
        return (ByteSpan(start: s, end: i), escaped, i + 1)
    }

    // MARK: Helpers

    /// The type a `# TYPE` word names in this format, without building a string.
    func metricType(_ word: UnsafeBufferPointer<UInt8>) -> MetricType? {
        if Self.bytes(word, equal: "counter") { return .counter }
        if Self.bytes(word, equal: "gauge") { return .gauge }
        if Self.bytes(word, equal: "histogram") { return .histogram }
        if Self.bytes(word, equal: "summary") { return .summary }
        return MetricType.parse(word, format: format)
    }

    /// Whether `bytes` spell `word` exactly.
    @inline(__always) static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, equal word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let p = word.utf8Start
        for k in 0..<bytes.count where bytes[k] != p[k] { return false }
        return true
    }

    @inline(__always) static func equal(_ p: UnsafeBufferPointer<UInt8>, _ a: ByteSpan, _ b: ByteSpan) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where p[a.start + k] != p[b.start + k] { return false }
        return true
    }

    /// A short printable excerpt of bytes for an error message (invalid UTF-8 shown as U+FFFD).
    static func excerpt(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: p[s..<min(e, s + 40)]), as: UTF8.self)
        return String(text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "?" : Character($0) })
    }

    /// The offset of the first byte that is not part of valid UTF-8 in `p[s..<e]`, or nil.
    static func firstInvalidUTF8(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        var i = s
        while i < e {
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            var need = 0
            var min: UInt32 = 0
            var cp: UInt32 = 0
            if b & 0xE0 == 0xC0 { need = 1; min = 0x80; cp = UInt32(b & 0x1F) }
            else if b & 0xF0 == 0xE0 { need = 2; min = 0x800; cp = UInt32(b & 0x0F) }
            else if b & 0xF8 == 0xF0 { need = 3; min = 0x10000; cp = UInt32(b & 0x07) }
            else { return i }
            guard i + need < e else { return i }
            for k in 1...need {
                let c = p[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                cp = cp << 6 | UInt32(c & 0x3F)
            }
            if cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) { return i }
            i += need + 1
        }
        return nil
    }
}
