import BurnwatchCore
import BurnwatchParsing

/// The presets' time and duration parsing: times in every accepted shape, Go durations, numbers.
enum LogTimeFuzz {
    static let units: [LogDurationUnit] = [.seconds, .milliseconds, .microseconds, .nanoseconds, .integerNanosecondsElseSeconds]

    static func run(_ data: UnsafeRawBufferPointer) {
        let b = data.bindMemory(to: UInt8.self)
        if let t = LogTime.parse(bytes: b) {
            // A time the parser accepts prints as RFC 3339 and reads back the same.
            let text = RFC3339.format(t)
            if t.milliseconds >= 0, t.milliseconds < 253_402_300_800_000 {
                fuzzCheck(RFC3339.parse(text) == t, "RFC 3339 round trip of \(t.milliseconds) via \(text)")
            }
        }
        _ = LogTime.goDuration(b)
        for unit in units { _ = LogTime.durationSeconds(b, unit: unit) }
        _ = RFC3339.parse(fuzzText(data))
        if let v = JSONNumber.parse(b) { _ = LogTime.epoch(v) }
    }
}
