import BurnwatchParsing

/// logfmt lines: the scanner and the logfmt and text presets take any bytes.
enum LogfmtFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        let line = data.bindMemory(to: UInt8.self)
        if LogfmtScanner.looksLikeLogfmt(line) {
            for (key, _) in LogfmtScanner.pairs(line) { fuzzCheck(!key.isEmpty, "empty logfmt key") }
        }
        for preset in [LogPreset.logfmt, .gokit, .text, .json] {
            var parser = LogLineParser(preset: preset)
            _ = parser.parse(line)
        }
    }
}
