import BurnwatchParsing

/// logfmt lines: the scanner and the logfmt and text presets take any bytes.
enum LogfmtFuzz {
    /// The preset line parsers, made once (only the line comes from the input).
    nonisolated(unsafe) static var parsers = [LogPreset.logfmt, .gokit, .text, .json].map { LogLineParser(preset: $0) }

    static func run(_ data: UnsafeRawBufferPointer) {
        let line = data.bindMemory(to: UInt8.self)
        if LogfmtScanner.looksLikeLogfmt(line) {
            for (key, _) in LogfmtScanner.pairs(line) { fuzzCheck(!key.isEmpty, "empty logfmt key") }
        }
        for k in parsers.indices { _ = parsers[k].parse(line) }
    }
}
