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
        let url = URL(fileURLWithPath: path)
        var bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw BurnwatchError(.io, "cannot read metrics file: \(error.localizedDescription)", at: SourcePosition(source: path))
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
        // Series ids by the raw bytes of name and labels, so a known series costs no decoding.
        var ids: [[UInt8]: Int] = [:]
        var key: [UInt8] = []
        var pairs = LabelPairs()
        while let entry = parser.next() {
            switch entry {
            case .sample(let s):
                key.removeAll(keepingCapacity: true)
                s.withNameBytes { key.append(contentsOf: $0) }
                key.append(0xFF)
                for i in 0..<s.labels.count {
                    let span = s.labels[i]
                    s.labels.withRawBytes(span.name) { key.append(contentsOf: $0) }
                    key.append(0xFE)
                    s.labels.withRawBytes(span.value) { key.append(contentsOf: $0) }
                    key.append(0xFD)
                }
                let id: Int
                if let known = ids[key] { id = known } else {
                    s.internLabels(into: &pairs, store: &store)
                    id = store.seriesID(for: &pairs)
                    ids[key] = id
                }
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
