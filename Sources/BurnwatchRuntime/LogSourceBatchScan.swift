import BurnwatchCore
import BurnwatchParsing
import Dispatch

/// What `burnwatch logs` prints for matching lines.
public enum LogOutputMode: Sendable, Equatable {
    /// The lines byte for byte, in input order.
    case raw
    /// One escaped human line per event.
    case pretty
    /// Counts per value of a field.
    case countBy(String)
    /// Totals, rates, status classes, latency quantiles.
    case stats

    /// Whether this is `.countBy` (any field).
    public var isCountBy: Bool { if case .countBy = self { return true }; return false }
}

/// Options of a batch scan.
public struct LogBatchScanOptions: Sendable {
    public var filter: LogFilter = .all
    /// `nil` detects the preset from each input's first lines.
    public var preset: LogPreset?
    public var mapping: [String: String] = [:]
    public var mode: LogOutputMode = .raw
    public var maxLineLength = LineSplitter.defaultMaxLineLength
    /// Worker threads (default: the processors online).
    public var workers = PlatformFiles.processorCount
    /// Bytes each worker takes per round.
    public var blockSize = 8 << 20
    /// Escape controls, escape sequences, bidi overrides and invalid UTF-8 in the output (set when
    /// it goes to a terminal); `false` writes matching lines byte for byte.
    public var escapeForTerminal = false
    public init() {}
}

/// Writes matching log lines: byte for byte, or escaped for a terminal (the one place `logs`
/// output is written, for whole files and for `--follow`).
public enum LogOutputWriter {
    /// Writes `output` to `fd`, escaping controls, sequences, bidi and invalid UTF-8 first when asked.
    ///
    /// - Returns: whether every byte was written.
    /// - Complexity: O(n) in the bytes.
    public static func write(_ output: [UInt8], to fd: Int32, escapingForTerminal: Bool) -> Bool {
        guard escapingForTerminal else { return output.withUnsafeBytes { PlatformFiles.writeAll(fd, $0) } }
        var escaped: [UInt8] = []
        output.withUnsafeBytes { TerminalEscaping.appendEscaped($0, to: &escaped) }
        return escaped.withUnsafeBytes { PlatformFiles.writeAll(fd, $0) }
    }
}

/// Reads whole inputs fast: large block reads, lines split with a word-at-a-time newline search,
/// blocks cut at line boundaries and filtered on all cores, output written in input order.
///
/// Memory stays flat: one buffer of `workers × blockSize` bytes plus the output of one round.
public final class LogBatchScan: @unchecked Sendable {
    public let options: LogBatchScanOptions
    /// Totals over every input scanned.
    public private(set) var stats = LogStats()
    /// Counts per value for `.countBy`.
    public private(set) var counts: [String: Int] = [:]
    /// Presets chosen per input, in order.
    public private(set) var presets: [LogPreset] = []

    public init(options: LogBatchScanOptions) { self.options = options }

    /// One worker's state for a round: its matcher and what it produced.
    final class Worker: @unchecked Sendable {
        var matcher: LogLineMatcher
        var parser: LogLineParser
        var output: [UInt8] = []
        var counts: [String: Int] = [:]
        var byteCounts = ByteValueCounter()
        var stats = LogStats()
        var start = 0, end = 0
        init(matcher: LogLineMatcher, parser: LogLineParser) { self.matcher = matcher; self.parser = parser }
    }

    /// A buffer shared by the workers of one round (each reads only its own range).
    final class SharedBuffer: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let capacity: Int
        init(capacity: Int) { self.capacity = capacity; base = .allocate(byteCount: capacity + 8, alignment: 64) }
        deinit { base.deallocate() }
    }

    /// Scans one input read from `fd` (a file or stdin) and writes output to `outputFD`.
    ///
    /// - Throws: `BurnwatchError` `.io` when reading fails.
    public func scan(fd: Int32, name: String, outputFD: Int32) throws {
        let workerCount = max(1, options.workers)
        let buffer = SharedBuffer(capacity: workerCount * max(options.blockSize, options.maxLineLength * 2))
        var filled = 0
        var eof = false
        var workers: [Worker] = []
        var discardingLongLine = false

        while !eof || filled > 0 {
            // Fill the buffer.
            while !eof && filled < buffer.capacity {
                let n = PlatformFiles.read(fd, into: buffer.base + filled, count: buffer.capacity - filled)
                if n < 0 { throw BurnwatchError(.io, "read: \(PlatformFiles.errorText())", at: SourcePosition(source: name)) }
                if n == 0 { eof = true } else { filled += n }
            }
            if workers.isEmpty {
                let preset = options.preset ?? detect(buffer.base, filled)
                presets.append(preset)
                workers = try (0..<workerCount).map { _ in try makeWorker(preset) }
            }
            var start = 0
            if discardingLongLine {
                let nl = ByteSearch.first(0x0A, in: buffer.base, from: 0, end: filled)
                if nl == filled { filled = 0; continue }
                start = nl + 1
                discardingLongLine = false
            }
            // Complete lines end at the last newline (or at the end of input).
            var processable = filled
            if !eof {
                var k = filled - 1
                while k >= start, buffer.base.load(fromByteOffset: k, as: UInt8.self) != 0x0A { k -= 1 }
                processable = k + 1
                if processable <= start {
                    // One line fills the whole buffer: take its first `maxLineLength` bytes, drop the rest.
                    processGiantLine(buffer, start, workers[0], outputFD)
                    discardingLongLine = true
                    filled = 0
                    continue
                }
            }
            runRound(buffer, start, processable, workers)
            for w in workers {
                if !w.output.isEmpty {
                    let ok = write(w.output, to: outputFD)
                    if !ok { throw BurnwatchError(.io, "write: \(PlatformFiles.errorText())") }
                    w.output.removeAll(keepingCapacity: true)
                }
            }
            let rest = filled - processable
            if rest > 0 { buffer.base.copyMemory(from: buffer.base + processable, byteCount: rest) }
            filled = rest
            if eof && filled == 0 { break }
        }
        for w in workers {
            stats.merge(w.stats)
            for (k, v) in w.counts { counts[k, default: 0] += v }
            for (k, v) in w.byteCounts.counts { counts[k, default: 0] += v }
            if options.mode == .raw || options.mode.isCountBy {
                stats.unstructured += w.matcher.unstructuredLines
                stats.invalidJSON += w.matcher.invalidJSONLines
            }
        }
    }

    private func write(_ output: [UInt8], to fd: Int32) -> Bool {
        LogOutputWriter.write(output, to: fd, escapingForTerminal: options.escapeForTerminal)
    }

    private func detect(_ base: UnsafeMutableRawPointer, _ count: Int) -> LogPreset {
        var lines: [[UInt8]] = []
        var i = 0
        while i < count && lines.count < LogPresetDetector.sampleSize {
            let nl = ByteSearch.first(0x0A, in: base, from: i, end: min(count, i + options.maxLineLength))
            lines.append(Array(UnsafeRawBufferPointer(start: base + i, count: nl - i)))
            i = nl + 1
        }
        return LogPresetDetector.detect(lines)
    }

    private func makeWorker(_ preset: LogPreset) throws -> Worker {
        let mapping = options.mapping.isEmpty ? nil : try preset.mapping.overriding(options.mapping)
        var extra: [String] = []
        if case .countBy(let field) = options.mode { extra = [field] }
        return Worker(matcher: LogLineMatcher(filter: options.filter, preset: preset, mapping: mapping, extraFields: extra),
                      parser: LogLineParser(preset: preset, mapping: mapping, collectOtherFields: false))
    }

    private func runRound(_ buffer: SharedBuffer, _ start: Int, _ end: Int, _ workers: [Worker]) {
        let total = end - start
        let useAll = total >= min(1 << 20, options.blockSize) && workers.count > 1
        let n = useAll ? workers.count : 1
        var cut = start
        for k in 0..<n {
            workers[k].start = cut
            if k == n - 1 {
                cut = end
            } else {
                let target = max(cut, start + total * (k + 1) / n)
                let nl = ByteSearch.first(0x0A, in: buffer.base, from: target, end: end)
                cut = nl == end ? end : nl + 1
            }
            workers[k].end = cut
        }
        if n == 1 {
            process(buffer, workers[0])
        } else {
            DispatchQueue.concurrentPerform(iterations: n) { k in self.process(buffer, workers[k]) }
        }
    }

    private func processGiantLine(_ buffer: SharedBuffer, _ start: Int, _ w: Worker, _ outputFD: Int32) {
        let line = UnsafeBufferPointer(start: (buffer.base + start).assumingMemoryBound(to: UInt8.self), count: min(options.maxLineLength, buffer.capacity - start))
        w.stats.lines += 1
        w.stats.truncated += 1
        handle(line, line.count, w)
        if !w.output.isEmpty {
            _ = write(w.output, to: outputFD)
            w.output.removeAll(keepingCapacity: true)
        }
    }

    /// Filters the lines of `w.start..<w.end` (complete lines; the last may lack its newline).
    private func process(_ buffer: SharedBuffer, _ w: Worker) {
        let base = buffer.base
        let cap = options.maxLineLength
        var i = w.start
        let end = w.end
        var lines = 0, truncated = 0
        while i < end {
            let nl = ByteSearch.first(0x0A, in: base, from: i, end: end)
            var length = nl - i
            if length > 0, base.load(fromByteOffset: nl - 1, as: UInt8.self) == 0x0D { length -= 1 }
            if length > cap { length = cap; truncated += 1 }
            lines += 1
            let line = UnsafeBufferPointer(start: (base + i).assumingMemoryBound(to: UInt8.self), count: length)
            // Raw output keeps the line's own bytes, including a `\r`, up to the cap.
            let rawLength = min(nl - i, cap)
            handle(line, rawLength, w)
            i = nl + 1
        }
        w.stats.lines += lines
        w.stats.truncated += truncated
    }

    @inline(__always)
    private func handle(_ line: UnsafeBufferPointer<UInt8>, _ rawLength: Int, _ w: Worker) {
        guard w.matcher.matches(line) else { return }
        switch options.mode {
        case .raw:
            w.stats.matched += 1
            w.output.append(contentsOf: UnsafeBufferPointer(start: line.baseAddress, count: rawLength))
            w.output.append(0x0A)
        case .countBy:
            w.stats.matched += 1
            if let raw = w.matcher.rawValue(extra: 0) {
                w.byteCounts.add(raw)
            } else {
                w.counts[w.matcher.value(extra: 0) ?? LogBatchScan.missingValue, default: 0] += 1
            }
        case .pretty:
            let result = w.parser.parse(line)
            w.stats.add(result.event)
            count(result, w)
            w.output.append(contentsOf: LogPrettyFormatter.format(result.event).utf8)
            w.output.append(0x0A)
        case .stats:
            let result = w.parser.parse(line)
            w.stats.add(result.event)
            count(result, w)
        }
    }

    private func count(_ r: LogLineResult, _ w: Worker) {
        if r.invalidUTF8 { w.stats.invalidUTF8 += 1 }
        if r.timeUnparsed { w.stats.timeUnparsed += 1 }
        if r.otherFormat { w.stats.otherFormat += 1 }
        if !r.structured { w.stats.unstructured += 1 }
        if r.problem != nil { w.stats.invalidJSON += 1 }
    }

    /// The value `--count-by` shows for lines without the field.
    public static let missingValue = "(missing)"

    /// The `--count-by` report: `count  value` lines, most frequent first, values escaped.
    public func countReport() -> String {
        let rows = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let width = String(rows.first?.value ?? 0).count
        return rows.map { row in
            let n = String(row.value)
            return String(repeating: " ", count: width - n.count) + n + "  " + TerminalEscaping.escape(row.key)
        }.joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
    }
}

/// Counts values given as bytes without making a `String` per line: a short list of recent
/// distinct values is searched first (status codes, levels and methods have few), then a dictionary.
struct ByteValueCounter {
    private var keys: [[UInt8]] = []
    private var values: [Int] = []
    private var overflow: [String: Int] = [:]

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        for i in keys.indices where keys[i].count == bytes.count && keys[i].elementsEqual(bytes) {
            values[i] += 1
            return
        }
        if keys.count < 32 {
            keys.append(Array(bytes)); values.append(1)
        } else {
            overflow[String(decoding: bytes, as: UTF8.self), default: 0] += 1
        }
    }

    /// Every value and its count.
    var counts: [String: Int] {
        var out = overflow
        for (k, v) in zip(keys, values) { out[String(decoding: k, as: UTF8.self), default: 0] += v }
        return out
    }
}
