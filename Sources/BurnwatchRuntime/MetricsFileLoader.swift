import BurnwatchCore
import BurnwatchParsing
import Foundation

/// Loads exposition files (`--metrics FILE`) into a `SeriesStore`.
///
/// OpenMetrics (a body ending in `# EOF`, timestamps in seconds) or Prometheus text 0.0.4
/// (timestamps in milliseconds). The file is read in blocks and parsed as it comes, so the body
/// is never held whole; a gzip file (by its `.gz` name or its magic bytes) is decompressed as it
/// is read. A sample without a timestamp takes the file's modification time. Bad lines are
/// skipped and reported.
public enum MetricsFileLoader {
    /// What loading one file did.
    public struct Report: Sendable {
        public var path: String
        public var samples = 0
        public var errors: [BurnwatchError] = []
    }

    /// Bytes read from the file at a time (256 KiB).
    static let blockSize = 1 << 18

    /// Reads `path` and appends its samples to `store`.
    ///
    /// A read or decompression error part way (a cut gzip file) keeps the samples before it and is
    /// the report's first error.
    /// - Throws: `BurnwatchError(.io)` when the file cannot be opened.
    /// - Complexity: O(file); memory O(block + longest line) beside the store.
    public static func load(_ path: String, into store: inout SeriesStore) throws -> Report {
        try load(path, blockSize: blockSize, into: &store)
    }

    /// `load(_:into:)` reading `blockSize` bytes at a time (tests use small blocks).
    static func load(_ path: String, blockSize: Int, into store: inout SeriesStore) throws -> Report {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let mtime = (attributes?[.modificationDate] as? Date).map { Timestamp(milliseconds: Int64(($0.timeIntervalSince1970 * 1000).rounded())) }
            ?? Timestamp(milliseconds: 0)
        let file = try MetricsFileBlocks.open(path, blockSize: max(1, blockSize))
        // The format is known by the body's end, so it is read first (gzip: one pass that keeps only
        // the tail). A body whose end cannot be read is no OpenMetrics body: it is read as text, up
        // to where it fails.
        let isOpenMetrics = isOpenMetricsTail((try? file.tail()) ?? [])
        var loader = BodyLoader(source: path, format: isOpenMetrics ? .openMetrics : .prometheusText, defaultTime: mtime)
        let bodySize = file.bodySize
        var reserved = false
        var failure: BurnwatchError?
        do {
            try file.forEachBlock { block in
                loader.feed(block, into: &store)
                if !reserved {
                    // At most one new series per line: room for them at once (sized by this first
                    // block, with a quarter more) costs less than growing the index and the label
                    // arena as they come, and a growth would hold the old and the new buffer at
                    // once. Room never written to is not resident.
                    reserved = true
                    let lines = block.reduce(into: 0) { n, b in if b == 10 { n += 1 } }
                    let blocks = max(1, (bodySize + block.count - 1) / max(1, block.count))
                    store.reserveSeries(lines * (blocks - 1) * 5 / 4)
                }
            }
        } catch let e as BurnwatchError {
            // What came before the failure is kept; the failure is the first thing reported.
            failure = e
        }
        loader.finish(into: &store)
        if let failure { loader.report.errors.insert(failure, at: 0) }
        return loader.report
    }

    /// Parses a whole body (format detected by a trailing `# EOF`) into `store`.
    public static func load(bytes: [UInt8], source: String, defaultTime: Timestamp, into store: inout SeriesStore) -> Report {
        let isOpenMetrics = bytes.withUnsafeBytes { isOpenMetricsTail($0) }
        var loader = BodyLoader(source: source, format: isOpenMetrics ? .openMetrics : .prometheusText, defaultTime: defaultTime)
        store.reserveSeries(bytes.reduce(into: 0) { n, b in if b == 10 { n += 1 } })
        bytes.withUnsafeBytes { loader.feed($0, into: &store) }
        loader.finish(into: &store)
        return loader.report
    }

    /// Whether a body whose last bytes are `tail` is OpenMetrics (ends in `# EOF`, newlines and spaces aside).
    static func isOpenMetricsTail(_ tail: UnsafeRawBufferPointer) -> Bool {
        var end = tail.count
        while end > 0, tail[end - 1] == 0x0a || tail[end - 1] == 0x20 || tail[end - 1] == 0x0d { end -= 1 }
        let marker = Array("# EOF".utf8)
        return end >= marker.count && tail[(end - marker.count)..<end].elementsEqual(marker)
    }

    static func isOpenMetricsTail(_ tail: [UInt8]) -> Bool { tail.withUnsafeBytes { isOpenMetricsTail($0) } }
}

/// Feeds a body's blocks through the streaming parser into a store.
private struct BodyLoader {
    var report: MetricsFileLoader.Report
    private var parser: ExpositionStreamParser
    /// Names and values are interned straight from the body's bytes; a known series allocates nothing.
    private var pairs = LabelPairs()
    private let source: String
    private let defaultTime: Int64

    init(source: String, format: ExpositionFormat, defaultTime: Timestamp) {
        report = MetricsFileLoader.Report(path: source)
        parser = ExpositionStreamParser(format: format)
        self.source = source
        self.defaultTime = defaultTime.milliseconds
    }

    mutating func feed(_ block: UnsafeRawBufferPointer, into store: inout SeriesStore) {
        parser.feed(block)
        drain(into: &store)
    }

    mutating func finish(into store: inout SeriesStore) {
        parser.finish()
        drain(into: &store)
    }

    private mutating func drain(into store: inout SeriesStore) {
        while case .entry(let entry) = parser.next() {
            switch entry {
            case .sample(let s):
                s.internLabels(into: &pairs, store: &store)
                let id = store.seriesID(for: &pairs)
                let before = store.outOfOrderDropped
                store.append(id: id, time: s.timestampMilliseconds ?? defaultTime, value: s.value)
                if store.outOfOrderDropped != before {
                    report.errors.append(BurnwatchError(.parse, "out-of-order or duplicate sample for \(store.labels(of: id)) skipped",
                                                        at: SourcePosition(source: source, line: s.line)))
                } else { report.samples += 1 }
            case .error(let e):
                report.errors.append(e.burnwatchError(source: source))
            case .metadata, .endOfFile:
                break
            }
        }
    }
}
