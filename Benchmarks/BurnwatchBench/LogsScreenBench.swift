import BurnwatchCore
import BurnwatchParsing
import BurnwatchUI

/// The live logs console's budget: 100,000 lines/s from files, key-to-frame under 50 ms.
///
/// Measures, on generated Caddy-style access lines: decoding as the feed does (lines/s on one
/// core), adding 10,000-line batches to a logs screen holding 20,000 lines (lines/s), and the
/// time from a key (`e`, a filter keystroke over 20,000 lines) to a drawn 120×40 frame.
enum LogsScreenBench {
    static func line(_ i: Int) -> String {
        let status = i % 50 == 0 ? 500 : (i % 17 == 0 ? 404 : 200)
        let level = status >= 500 ? "error" : "info"
        return #"{"level":"\#(level)","ts":\#(1_795_557_591 + i / 1000).\#(i % 1000),"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","method":"GET","host":"svc","uri":"/api/items/\#(i % 997)","headers":{"User-Agent":["bench/1"]}},"duration":0.00\#(i % 9 + 1),"size":\#(i % 4096),"status":\#(status),"request_id":"req-\#(i % 5000)"}"#
    }

    static func run() {
        let clock = ContinuousClock()
        let lines = (0..<100_000).map { Array(line($0).utf8) }
        var decoder = try! LogStreamDecoder(source: "bench", preset: .caddy)
        var records: [LogsRecord] = []
        records.reserveCapacity(lines.count)
        let arrival = Timestamp(milliseconds: 1_795_557_591_000)
        let decode = clock.measure {
            for bytes in lines {
                for d in decoder.decode(bytes) {
                    records.append(LogsRecord(source: "bench", event: d.result.event, raw: String(decoding: d.bytes, as: UTF8.self),
                                              truncated: d.truncated, structured: d.result.structured, arrival: arrival))
                }
            }
        }
        print("logs console decode (feed, one core): \(rate(lines.count, decode)) lines/s")

        let size = TerminalSize(width: 120, height: 40)
        var state = AppState(screens: [LogsScreen(retention: 20_000)], size: size)
        let append = clock.measure {
            var i = 0
            while i < records.count {
                let batch = LogsBatch(records: Array(records[i..<min(records.count, i + 10_000)]))
                state = reduce(state, .external(batch)).0
                _ = view(state, size: size)
                i += 10_000
            }
        }
        print("logs console append+frame, 10k-line batches, 20k kept: \(rate(records.count, append)) lines/s")

        var keyTimes: [Duration] = []
        for key in [Key.char("g")] + Array(repeating: Key.char("e"), count: 20) {
            keyTimes.append(clock.measure {
                state = reduce(state, .key(key)).0
                _ = view(state, size: size)
            })
        }
        var filterTimes: [Duration] = []
        state = reduce(state, .key(.char("/"))).0
        for c in "status>=500 and msg~handled" {
            filterTimes.append(clock.measure {
                state = reduce(state, .key(.char(c))).0
                _ = view(state, size: size)
            })
        }
        keyTimes.sort()
        filterTimes.sort()
        print("logs console key-to-frame (e) median \(ms(keyTimes[keyTimes.count / 2])), max \(ms(keyTimes.last!)); "
              + "filter keystroke over 20k lines median \(ms(filterTimes[filterTimes.count / 2])), max \(ms(filterTimes.last!)) (budget 50 ms)")
    }

    static func rate(_ n: Int, _ d: Duration) -> String {
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return String(Int(Double(n) / max(seconds, 1e-9)))
    }

    static func ms(_ d: Duration) -> String {
        let v = (Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        return "\(Double(Int(v * 100)) / 100) ms"
    }
}
