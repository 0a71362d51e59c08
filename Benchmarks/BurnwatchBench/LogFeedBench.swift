import BurnwatchCore
import BurnwatchParsing
import BurnwatchRuntime
import BurnwatchUI

/// The live log feed's dispatcher with its merge by time per service: lines/s from the source
/// queue to released batches, for two sources of one service whose lines interleave out of
/// arrival order, without the merge window (0 ms) and with the default (250 ms); and for one
/// source alone (nothing to decode concurrently) with the default window.
enum LogFeedBench {
    static func run() {
        let count = 100_000
        let lines = (0..<count).map { Array(LogsScreenBench.line($0).utf8) }
        for (names, window) in [(["a", "b"], 0), (["a", "b"], 250), (["a"], 250)] {
            let inputs = names.map { LogFeedInput(.command(argv: ["/bin/true"], name: $0), preset: .caddy, service: "edge") }
            let feed = LogFeed(inputs: inputs, queueCapacity: count, mergeWindow: Interval(milliseconds: Int64(window)))
            // Blocks of 2,000 lines: a sends the even ones, then b the odd ones.
            for block in stride(from: 0, to: count, by: 2_000) {
                for source in names {
                    var i = block + (source == "a" ? 0 : 1)
                    while i < min(count, block + 2_000) {
                        feed.queue.push(.line(source: source, bytes: lines[i], truncated: false))
                        i += names.count
                    }
                }
            }
            var released = 0
            var late = 0
            var arrival = Timestamp(milliseconds: 1_795_557_591_000)
            let elapsed = ContinuousClock().measure {
                var idle = 0
                while released < count && idle < 10 {
                    let batch = feed.dispatchOnce(arrival: arrival)
                    let n = batch?.records.count ?? 0
                    released += n
                    late = batch?.health.reduce(0) { $0 + $1.late } ?? late
                    idle = feed.queue.count == 0 && n == 0 ? idle + 1 : 0
                    arrival = arrival + Interval(milliseconds: 100)
                }
            }
            print("log feed dispatch, \(names.count) source\(names.count == 1 ? "" : "s") of one service, merge window \(window) ms: "
                  + "\(LogsScreenBench.rate(released, elapsed)) lines/s (\(released) released, \(late) late)")
        }
    }
}
