import BurnwatchCore
import Foundation

/// Query engine and series store benchmarks (issue 3): `burnwatch-bench query`.
enum QueryBench {
    static func run() {
        if !CommandLine.arguments.contains("query-memory") { emit("== query engine ==") }
        if let i = CommandLine.arguments.firstIndex(of: "query-memory"), i + 1 < CommandLine.arguments.count {
            memory(series: 10_000, kinds: [CommandLine.arguments[i + 1]])
            return
        }
        evaluation()
        // Each memory measurement runs in a fresh process so that RSS growth is the store's alone.
        for kind in ["counter", "gauge", "float"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            p.arguments = ["query-memory", kind]
            try? p.run()
            p.waitUntilExit()
        }
    }

    /// `sum(rate(x[5m]))/sum(rate(y[5m]))` over 1,000 series of each name × 6 h of 5 s samples.
    static func evaluation() {
        var store = SeriesStore()
        let samples = 6 * 720
        for name in ["x", "y"] {
            for s in 0..<1000 {
                let id = store.seriesID(for: Labels(["__name__": name, "instance": "host-\(s % 100):9100", "shard": "\(s / 100)"]))
                var v = 0.0
                for i in 0..<samples { v += Double((i * 7 + s) % 13); store.append(id: id, time: Int64(i) * 5000, value: v) }
            }
        }
        let engine = PromQLEngine(store: store)
        let at = Timestamp(milliseconds: Int64(samples - 1) * 5000)
        let query = "sum(rate(x[5m]))/sum(rate(y[5m]))"
        var times: [Double] = []
        var cpu: [Double] = []
        var result = 0.0
        for _ in 0..<60 {
            let start = ContinuousClock.now
            let cpuStart = threadCPUms()
            if case let .vector(v) = try! engine.instantQuery(query, at: at) { result = v.first?.value ?? .nan }
            cpu.append(threadCPUms() - cpuStart)
            let d = ContinuousClock.now - start
            times.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }
        times.sort(); cpu.sort()
        emit(String(format: "%@ over 2×1,000 series × 6 h @ 5 s: median %.3f ms wall (p90 %.3f), %.3f ms CPU (target < 5 ms) = %.6f",
                     query, times[times.count / 2], times[times.count * 9 / 10], cpu[cpu.count / 2], result))
    }

    /// Store memory for `series` series × 6 h at 5 s (counters, and gauges with fractional values).
    static func memory(series: Int, kinds: [String]) {
        // counter: integral increments; gauge: 3-decimal values, as exposition text carries them;
        // float: arbitrary doubles (the worst case, 10 bytes a sample).
        for kind in kinds {
            let before = residentBytes()
            var store = SeriesStore()
            for s in 0..<series {
                let id = store.seriesID(for: Labels(["__name__": "m_\(kind)", "instance": "host-\(s / 10):9100", "code": "\(200 + s % 10)"]))
                var v = Double(s)
                for i in 0..<(6 * 720) {
                    v += kind == "counter" ? Double(i % 5) : (Double(i % 17) - 8) * 0.013
                    let value = kind == "gauge" ? (v * 1000).rounded() / 1000 : v
                    store.append(id: id, time: 1_700_000_000_000 + Int64(i) * 5000 + Int64(s % 5000), value: value)
                }
            }
            let after = residentBytes()
            defer { _ = store.sampleCount }
            emit(String(format: "store, %d %@ series × 6 h @ 5 s (%d samples): estimated %.1f MB, RSS growth %.1f MB (budget 400 MB)",
                         series, kind, store.sampleCount, Double(store.estimatedBytes) / 1e6, Double(after - before) / 1e6))
            withExtendedLifetime(store) {}
        }
    }

    /// CPU time of the calling thread in milliseconds (unaffected by other processes' load).
    static func threadCPUms() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
    }

    /// Writes a line unbuffered, so lines of child processes keep their order.
    static func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    /// Resident set size from /proc/self/statm (Linux), 0 elsewhere.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
