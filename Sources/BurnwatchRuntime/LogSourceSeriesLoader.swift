import BurnwatchCore
import BurnwatchParsing

/// Loads a log file into a sample sink as log-derived series (`log_events_total`, …), taking the
/// time from each line, for `burnwatch query --logs FILE` and replays.
public enum LogSourceSeriesLoader {
    /// What loading found.
    public struct Report: Sendable {
        public var lines = 0
        public var unparsed = 0
        public var preset: LogPreset?
        /// The first problems (line numbers and what was wrong).
        public var problems: [String] = []
    }

    /// Reads `path` and writes its log-derived series into `sink`.
    ///
    /// - Parameters:
    ///   - preset: the format, or `nil` to detect it.
    ///   - step: the interval between written samples, in log time.
    /// - Throws: `BurnwatchError` `.io` when the file cannot be read.
    public static func load<S: SampleSink>(_ path: String, into sink: inout S, preset: LogPreset? = nil,
                                           mapping: [String: String] = [:],
                                           step: Interval = Interval(milliseconds: 15_000)) throws -> Report {
        var decoder = try LogStreamDecoder(source: path, preset: preset, mapping: mapping)
        var generator = LogSeriesGenerator(step: step, defaultService: serviceName(path))
        var lastTime = Timestamp(milliseconds: 0)
        var report = Report()
        func record(_ decoded: [LogStreamDecoder.Decoded]) {
            for d in decoded {
                if let t = d.result.event.time { lastTime = t }
                decoder.record(d, arrival: lastTime, into: &generator, sink: &sink)
            }
        }
        try forEachLine(path) { line, cut in record(decoder.decode(line, truncated: cut)) }
        record(decoder.flush())
        generator.finish(into: &sink)
        report.lines = decoder.lines
        report.unparsed = decoder.unparsed
        report.preset = decoder.preset
        report.problems = decoder.problems
        return report
    }

    /// Calls `body` with each line of the file (without its newline) and whether the line cap cut it,
    /// reading in 1 MiB blocks.
    ///
    /// - Throws: `BurnwatchError` `.io` when the file cannot be opened or read.
    static func forEachLine(_ path: String, _ body: ([UInt8], Bool) -> Void) throws {
        var error = ""
        guard let fd = PlatformFiles.openForReading(path, error: &error) else {
            throw BurnwatchError(.io, "cannot open: \(error)", at: SourcePosition(source: path))
        }
        defer { PlatformFiles.close(fd) }
        var splitter = LineSplitter()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { PlatformFiles.read(fd, into: $0.baseAddress!, count: $0.count) }
            if n < 0 { throw BurnwatchError(.io, "read: \(PlatformFiles.errorText())", at: SourcePosition(source: path)) }
            if n == 0 { break }
            buffer.withUnsafeBytes { raw in
                splitter.feed(UnsafeRawBufferPointer(rebasing: raw[0..<n])) { line, cut in body(Array(line), cut) }
            }
        }
        splitter.finish { line, cut in body(Array(line), cut) }
    }

    /// The default `service` label for a file: its name without directories and extensions.
    public static func serviceName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.split(separator: ".").first.map(String.init) ?? file
    }
}
