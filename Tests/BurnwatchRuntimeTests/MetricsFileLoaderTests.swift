import BurnwatchCore
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import Foundation
import Testing

/// Metrics files are read in blocks (gzip decompressed as they are read) and give the same store
/// as the whole body parsed at once.
@Suite struct MetricsFileLoaderTests {
    let t0 = Timestamp(milliseconds: 1_795_554_661_000)

    /// Every series with its samples, as text, in label order.
    func dump(_ store: SeriesStore) -> [String] {
        (0..<store.seriesCount).map { id in
            var line = "\(store.labels(of: id))"
            store.forEachSample(id: id, from: .min, through: .max) { t, v in line += " \(t)=\(v.bitPattern)" }
            return line
        }.sorted()
    }

    func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        // Samples without a timestamp take the file's modification time.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(t0.milliseconds) / 1000)], ofItemAtPath: path)
        return path
    }

    func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.sharedFixtures.appendingPathComponent("exposition/\(name)")))
    }

    @Test(arguments: ["node_exporter.txt", "haproxy.openmetrics-request.txt"])
    func blocksOfAnySizeGiveTheWholeBodysStore(name: String) throws {
        let body = try fixture(name)
        var whole = SeriesStore()
        let expected = MetricsFileLoader.load(bytes: body, source: name, defaultTime: t0, into: &whole)
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try write(body, name, in: dir)
        let zipped = try write(try gzip(body), name + ".gz", in: dir)
        for blockSize in [1, 7, 4096, 1 << 20] {
            for path in [plain, zipped] where blockSize > 1 || path == plain {
                var store = SeriesStore()
                let report = try MetricsFileLoader.load(path, blockSize: blockSize, into: &store)
                #expect(report.samples == expected.samples, "\(path) in blocks of \(blockSize)")
                #expect(report.errors.map(\.description) == expected.errors.map { $0.description.replacingOccurrences(of: name, with: path) })
                #expect(dump(store) == dump(whole), "\(path) in blocks of \(blockSize)")
            }
        }
        #expect(expected.samples > 100)
    }

    @Test func openMetricsIsKnownByTheTailOfAGzipBody() throws {
        // Timestamps in seconds: read as milliseconds the sample would land in 1970.
        let body = Array("# TYPE up gauge\nup{job=\"a\"} 1 1795554661.5\n# EOF\n".utf8)
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Two gzip members, as `cat a.gz b.gz` makes: the tail is in the second.
        let path = try write(try gzip(Array(body[..<16])) + gzip(Array(body[16...])), "om.gz", in: dir)
        var store = SeriesStore()
        let report = try MetricsFileLoader.load(path, blockSize: 5, into: &store)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(store.lastSample(id: 0, atOrBefore: .max)?.0 == 1_795_554_661_500)
    }

    @Test func aCutGzipFileSaysSoAndKeepsWhatCameBefore() throws {
        var lines = ""
        for k in 0..<5_000 { lines += "m{k=\"\(k)\"} \(k)\n" }
        let zipped = try gzip(Array(lines.utf8))
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try write(Array(zipped[..<(zipped.count * 2 / 3)]), "cut.prom.gz", in: dir)
        var store = SeriesStore()
        let report = try MetricsFileLoader.load(path, blockSize: 1 << 20, into: &store)
        let first = report.errors.first.map { "\($0)" } ?? ""
        #expect(first.contains("cut short") && first.contains(path), "\(report.errors)")
        // The series decompressed before the cut are kept.
        #expect(store.seriesCount > 1_000 && report.samples == store.seriesCount)
        let garbage = try write(Array("\u{1f}\u{8b}not gzip at all".utf8), "bad.gz", in: dir)
        var other = SeriesStore()
        let bad = try MetricsFileLoader.load(garbage, into: &other)
        #expect(bad.errors.count == 1 && "\(bad.errors)".contains("not a valid gzip stream"), "\(bad.errors)")
        #expect(throws: BurnwatchError.self) { try MetricsFileLoader.load(dir.appendingPathComponent("missing.prom").path, into: &other) }
    }

    @Test func aPipeIsReadToItsEnd() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("body.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let body = Array("a 1\nb{x=\"y\"} 2 1795554661000\n".utf8)
        let writer = Thread {
            if let h = FileHandle(forWritingAtPath: fifo) { h.write(Data(body)); try? h.close() }
        }
        writer.start()
        var store = SeriesStore()
        let report = try MetricsFileLoader.load(fifo, blockSize: 3, into: &store)
        #expect(report.samples == 2)
        #expect(store.lastSample(id: 1, atOrBefore: .max)?.0 == 1_795_554_661_000)
        // A file that reports no size (an empty one here, /proc's in use) is read whole.
        let empty = try write([], "empty.prom", in: dir)
        let none = try MetricsFileLoader.load(empty, into: &store)
        #expect(none.samples == 0 && none.errors.isEmpty)
    }
}
