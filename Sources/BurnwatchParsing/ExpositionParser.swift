/// What the streaming parser has for its caller.
public enum ExpositionStep: Sendable {
    /// An entry (metadata, sample, error or `# EOF`).
    case entry(ExpositionEntry)
    /// Every complete line has been consumed: feed more bytes (or call `finish()`).
    case needMoreInput
    /// The body is over: `finish()` was called and everything has been returned.
    case end
}

/// An incremental exposition parser: feed it chunks, pull entries until it needs more input.
///
/// Lines are parsed only once complete, so a chunk boundary may fall anywhere (style of
/// swift-nio's `ByteToMessageDecoder`). A bad line yields `.error` and parsing resumes at the next
/// line. Samples are views into the internal buffer: reading a sample allocates nothing; its
/// strings are decoded (and unescaped) only when asked.
public struct ExpositionStreamParser: Sendable {
    public let format: ExpositionFormat
    public let limits: ExpositionLimits
    var storage: [UInt8] = []
    var cursor = 0
    var scanFrom = 0
    var finished = false
    var endReported = false
    var line = 0
    var skippingLongLine = false
    var sawEOF = false
    /// Whether "content after '# EOF'" was reported: later lines, even in later chunks, are dropped silently.
    var reportedContentAfterEOF = false
    var core: ExpositionLineParser
    /// Bad lines and body-level problems seen so far.
    public private(set) var errorCount = 0
    /// Samples returned so far.
    public private(set) var sampleCount = 0

    /// Creates a parser for one body in `format`.
    public init(format: ExpositionFormat, limits: ExpositionLimits = .default) {
        self.format = format
        self.limits = limits
        self.core = ExpositionLineParser(format: format, limits: limits)
    }

    /// Creates a parser over a whole body (already finished).
    init(wholeBody: [UInt8], format: ExpositionFormat, limits: ExpositionLimits) {
        self.init(format: format, limits: limits)
        storage = wholeBody
        finished = true
    }

    /// Appends a chunk of the body.
    ///
    /// - Complexity: amortised O(chunk); consumed bytes are dropped from the buffer from time to time.
    public mutating func feed<Bytes: Collection<UInt8>>(_ chunk: Bytes) {
        precondition(!finished, "feed after finish")
        compactIfWorthIt()
        storage.append(contentsOf: chunk)
    }

    /// Appends a chunk of the body from raw memory.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        precondition(!finished, "feed after finish")
        compactIfWorthIt()
        storage.append(contentsOf: chunk)
    }

    /// Marks the end of the body: the last line need not end with a newline (but see `next()`).
    public mutating func finish() { finished = true }

    mutating func compactIfWorthIt() {
        guard cursor >= 4096, cursor * 2 >= storage.count else { return }
        storage.removeSubrange(0..<cursor)
        scanFrom -= cursor
        cursor = 0
    }

    /// Returns the next entry, `.needMoreInput`, or `.end`.
    ///
    /// At the end of an OpenMetrics body without `# EOF` it yields an error; a last line without a
    /// newline (other than `# EOF`) is reported as a truncated body and dropped, since its value may be cut.
    public mutating func next() -> ExpositionStep {
        while true {
            let count = storage.count
            if cursor >= count {
                if !finished { return .needMoreInput }
                return endOfBody()
            }
            // Find the end of the current line.
            let newline: Int? = storage.withUnsafeBufferPointer { p in Self.findNewline(p, from: scanFrom, to: count) }
            var lineEnd: Int
            var unterminated = false
            if let newline {
                lineEnd = newline
            } else if finished {
                lineEnd = count
                unterminated = true
            } else {
                scanFrom = count
                if count - cursor > limits.maxLineBytes, !skippingLongLine {
                    line += 1
                    skippingLongLine = true
                    let error = ExpositionError(line: line, column: 1, reason: "line longer than \(limits.maxLineBytes) bytes; skipped")
                    cursor = count
                    scanFrom = count
                    errorCount += 1
                    return .entry(.error(error))
                }
                if skippingLongLine { cursor = count; scanFrom = count }
                return .needMoreInput
            }
            let start = cursor
            cursor = min(lineEnd + 1, count)
            scanFrom = cursor
            if skippingLongLine { skippingLongLine = false; continue }
            line += 1
            if sawEOF {
                // Anything after `# EOF` (even a blank line) is an error; report it once and stop.
                cursor = count
                scanFrom = count
                if reportedContentAfterEOF { continue }
                reportedContentAfterEOF = true
                errorCount += 1
                return .entry(.error(ExpositionError(line: line, column: 1, reason: "content after '# EOF'")))
            }
            if lineEnd - start > limits.maxLineBytes {
                errorCount += 1
                return .entry(.error(ExpositionError(line: line, column: 1, reason: "line longer than \(limits.maxLineBytes) bytes; skipped")))
            }
            let lineNumber = line
            // A truncated last line is parsed in full: its label errors come before the truncation.
            let deferring = core.deferLabels
            if unterminated { core.deferLabels = false }
            defer { core.deferLabels = deferring }
            let result: Result<ExpositionEntry?, ExpositionLineFailure> = storage.withUnsafeBufferPointer { p in
                do throws(ExpositionLineFailure) {
                    return .success(try core.parseLine(p, storage, start: start, end: lineEnd, line: lineNumber))
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .success(let entry?):
                if case .endOfFile = entry { sawEOF = true; return .entry(entry) }
                if unterminated {
                    errorCount += 1
                    return .entry(.error(ExpositionError(line: lineNumber, column: column(of: lineEnd, lineStart: start) ,
                                                         reason: "body ends without a newline (truncated?); last line dropped")))
                }
                if case .sample = entry { sampleCount += 1 }
                return .entry(entry)
            case .success(nil):
                continue
            case .failure(let failure):
                errorCount += 1
                let reason = unterminated ? failure.reason + " (body truncated?)" : failure.reason
                return .entry(.error(ExpositionError(line: lineNumber, column: column(of: failure.offset, lineStart: start), reason: reason)))
            }
        }
    }

    /// Parses the skipped label set of `sample` (see `ExpositionParser.parseDeferredLabels(of:)`).
    mutating func parseDeferredLabels(of sample: inout ExpositionSample) -> ExpositionError? {
        guard sample.labelsDeferred else { return nil }
        var name: ByteSpan? = sample.nameSpan
        var nameEscaped = sample.nameEscaped
        let first = core.spans.count
        let brace = sample.labelSetStart
        let end = sample.seriesSpan.end
        let failure: ExpositionLineFailure? = storage.withUnsafeBufferPointer { p in
            do throws(ExpositionLineFailure) {
                let after = try core.parseLabels(p, brace + 1, end, metricName: &name, metricNameEscaped: &nameEscaped)
                return after == end ? nil : ExpositionLineFailure(offset: after, reason: "invalid character in metric name or labels")
            } catch {
                return error
            }
        }
        if let failure {
            errorCount += 1
            sampleCount -= 1
            // The line starts at or before the series (0.0.4 allows leading blanks).
            var lineStart = sample.seriesSpan.start
            while lineStart > 0, storage[lineStart - 1] != 10 { lineStart -= 1 }
            return ExpositionError(line: sample.line, column: column(of: failure.offset, lineStart: lineStart), reason: failure.reason)
        }
        sample.labels = ExpositionLabelView(buffer: storage, spans: core.spans, range: first..<core.spans.count)
        sample.labelSetStart = -1
        return nil
    }

    /// The offset of the first `\n` in `p[from..<to]`, eight bytes at a time.
    @inline(__always)
    static func findNewline(_ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var k = from
        guard let base = p.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        while k + 8 <= to {
            let word = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self) ^ newlines
            let found = (word &- ones) & ~word & highs
            if found != 0 { return k + (UInt64(littleEndian: found).trailingZeroBitCount >> 3) }
            k += 8
        }
        while k < to {
            if p[k] == 10 { return k }
            k += 1
        }
        return nil
    }

    mutating func endOfBody() -> ExpositionStep {
        if !endReported {
            endReported = true
            if format == .openMetrics, !sawEOF {
                errorCount += 1
                return .entry(.error(ExpositionError(line: max(line, 1), column: 1, reason: "missing '# EOF' at the end of an OpenMetrics body (truncated?)")))
            }
        }
        return .end
    }

    /// The 1-based character column of byte `offset` in the line starting at `lineStart`.
    func column(of offset: Int, lineStart: Int) -> Int {
        storage.withUnsafeBufferPointer { p in
            var n = 1
            var k = lineStart
            let end = min(offset, p.count)
            while k < end {
                if p[k] & 0xC0 != 0x80 { n += 1 }
                k += 1
            }
            return n
        }
    }
}

/// A pull parser over a whole exposition body.
///
/// ```swift
/// var parser = ExpositionParser(bytes: body, format: .detect(contentType: header))
/// while let entry = parser.next() { ... }
/// ```
/// Allocates nothing per sample in the steady state (measured: ~0.01 mallocs per sample on
/// node_exporter bodies; the exceptions are values with more than 19 significant digits or a
/// decimal exponent beyond ±22, which go through the standard library's parser). Release each
/// entry before the next `next()`: a sample still held makes the parser copy its label storage.
/// See `ExpositionStreamParser` for chunked input.
public struct ExpositionParser: Sendable {
    var stream: ExpositionStreamParser

    /// Creates a parser over `bytes`.
    ///
    /// - Parameter deferringLabels: skip each sample's label set instead of parsing it (its bytes
    ///   are still `seriesSpan`): for a caller that knows most series by their bytes, as a scrape
    ///   cache does, and parses the labels of the others with `parseDeferredLabels(of:)`.
    public init(bytes: [UInt8], format: ExpositionFormat, limits: ExpositionLimits = .default, deferringLabels: Bool = false) {
        stream = ExpositionStreamParser(wholeBody: bytes, format: format, limits: limits)
        stream.core.deferLabels = deferringLabels
    }

    /// Creates a parser over a copy of raw memory.
    public init(bytes: UnsafeRawBufferPointer, format: ExpositionFormat, limits: ExpositionLimits = .default) {
        self.init(bytes: Array(bytes), format: format, limits: limits)
    }

    /// The next entry, or `nil` at the end of the body.
    ///
    /// - Complexity: O(length of the line).
    public mutating func next() -> ExpositionEntry? {
        switch stream.next() {
        case .entry(let entry): return entry
        case .needMoreInput, .end: return nil
        }
    }

    /// Parses the labels of a sample whose labels were deferred; call it before the next `next()`.
    ///
    /// - Returns: nil when the labels are good (the sample now has them), else the line's error:
    ///   the sample is then a bad line, counted in `errorCount` and no longer in `sampleCount`.
    public mutating func parseDeferredLabels(of sample: inout ExpositionSample) -> ExpositionError? {
        stream.parseDeferredLabels(of: &sample)
    }

    /// Bad lines and body-level problems seen so far.
    public var errorCount: Int { stream.errorCount }
    /// Samples returned so far.
    public var sampleCount: Int { stream.sampleCount }
}
