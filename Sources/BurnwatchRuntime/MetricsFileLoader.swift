import BurnwatchCore
import BurnwatchParsing
import Foundation

/// Loads exposition files (`--metrics FILE`) into a `SeriesStore`.
///
/// OpenMetrics (a body ending in `# EOF`, timestamps in seconds) or Prometheus text 0.0.4
/// (timestamps in milliseconds); a `.gz` file is read through `gzip -dc`. A sample without a
/// timestamp takes the file's modification time. Bad lines are skipped and reported.
public enum MetricsFileLoader {
    /// What loading one file did.
    public struct Report: Sendable {
        public var path: String
        public var samples = 0
        public var errors: [BurnwatchError] = []
    }

    /// Reads `path` and appends its samples to `store`.
    /// - Throws: `BurnwatchError(.io)` when the file cannot be read or decompressed.
    public static func load(_ path: String, into store: inout SeriesStore) throws -> Report {
        var reason = ""
        guard var bytes = PlatformFiles.readWholeFile(path, error: &reason) else {
            throw BurnwatchError(.io, "cannot read metrics file: \(reason)", at: SourcePosition(source: path))
        }
        if path.hasSuffix(".gz") || (bytes.count > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) {
            bytes = try gunzip(bytes, path: path)
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let mtime = (attributes?[.modificationDate] as? Date).map { Timestamp(milliseconds: Int64(($0.timeIntervalSince1970 * 1000).rounded())) }
            ?? Timestamp(milliseconds: 0)
        return load(bytes: bytes, source: path, defaultTime: mtime, into: &store)
    }

    /// Parses a body (format detected by a trailing `# EOF`) into `store`.
    public static func load(bytes: [UInt8], source: String, defaultTime: Timestamp, into store: inout SeriesStore) -> Report {
        var report = Report(path: source)
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0a || bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0d { end -= 1 }
        let tail = Array("# EOF".utf8)
        let isOpenMetrics = end >= tail.count && Array(bytes[(end - tail.count)..<end]) == tail
        var parser = ExpositionParser(bytes: bytes, format: isOpenMetrics ? .openMetrics : .prometheusText)
        // Names and values are interned straight from the body's bytes; a known series allocates nothing.
        var pairs = LabelPairs()
        // At most one new series per line: room for them at once costs less than growing the index.
        store.reserveSeries(bytes.reduce(into: 0) { n, b in if b == 10 { n += 1 } })
        while let entry = parser.next() {
            switch entry {
            case .sample(let s):
                s.internLabels(into: &pairs, store: &store)
                let id = store.seriesID(for: &pairs)
                let before = store.outOfOrderDropped
                store.append(id: id, time: s.timestampMilliseconds ?? defaultTime.milliseconds, value: s.value)
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
        return report
    }

    static func gunzip(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec gzip -dc"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw BurnwatchError(.io, "cannot run gzip: \(error.localizedDescription)", at: SourcePosition(source: path))
        }
        let writer = Thread {
            input.fileHandleForWriting.write(Data(bytes))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BurnwatchError(.io, "cannot decompress gzip file", at: SourcePosition(source: path))
        }
        return [UInt8](data)
    }
}
