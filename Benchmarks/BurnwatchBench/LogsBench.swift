import BurnwatchCore
import BurnwatchParsing
import Foundation

/// `burnwatch logs` against jq and lnav on a generated 1,000,000-line (~500 MB) corpus of slog and
/// Caddy-style JSON lines (nested objects, escapes, UTF-8), written to /tmp (never committed).
///
/// Prints MB/s of each tool and the ratios the issue sets targets for (≥ 12× jq, ≥ 6× lnav).
/// Environment: `BURNWATCH_LOGS_BENCH_LINES` changes the corpus size; `BURNWATCH_BIN` the binary.
enum LogsBench {
    static func run() {
        let lines = Int(ProcessInfo.processInfo.environment["BURNWATCH_LOGS_BENCH_LINES"] ?? "") ?? 1_000_000
        let path = "/tmp/burnwatch-logs-bench-\(lines).jsonl"
        if !FileManager.default.fileExists(atPath: path) {
            print("logs: generating \(lines) lines into \(path)")
            LogsCorpus.write(lines: lines, to: path)
        }
        let size = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        let mb = size / 1e6
        print(String(format: "logs: corpus %@ %.0f MB, %d lines", path, mb, lines))
        let burnwatch = ProcessInfo.processInfo.environment["BURNWATCH_BIN"] ?? findBinary()
        // Warm the page cache so every tool reads from memory.
        _ = time("/bin/cat", [path])
        print("logs: wall-clock ratios need idle cores; CPU-time ratios (user+sys) are printed too, as they hold on a busy machine")

        var results: [(String, Double)] = []
        var cpu: [String: Double] = [:]
        let only = ProcessInfo.processInfo.environment["BURNWATCH_LOGS_BENCH_ONLY"]
        func measure(_ name: String, _ exe: String, _ args: [String], runs: Int = 3) {
            if let only, !name.hasPrefix(only) { return }
            guard FileManager.default.isExecutableFile(atPath: exe) else { print("logs: \(name): \(exe) not found, skipped"); return }
            var best = Double.infinity, bestCPU = Double.infinity
            for _ in 0..<runs {
                let (wall, used) = time(exe, args)
                best = min(best, wall); bestCPU = min(bestCPU, used)
            }
            results.append((name, best))
            cpu[name] = bestCPU
            print(String(format: "logs: %-44@ %7.3f s %8.1f MB/s wall, %7.3f s CPU", name as NSString, best, mb / best, bestCPU))
        }
        measure("burnwatch logs --filter status>=500 --raw", burnwatch, ["logs", "--filter", "status>=500", "--raw", path])
        measure("burnwatch logs --count-by status", burnwatch, ["logs", "--count-by", "status", path])
        measure("jq -c 'select(.status >= 500)'", "/usr/bin/jq", ["-c", "select(.status >= 500)", path], runs: 1)
        // lnav's fair equivalent: its headless filter mode. lnav has no format for these mixed
        // JSON lines (its SQL tables stay empty), so it indexes every line and keeps those whose
        // text matches `"status":5xx` — the same lines jq and burnwatch select on this corpus.
        measure("lnav -n :filter-in \"status\":5xx", "/usr/bin/lnav",
                ["-n", "-c", #":filter-in "status":5[0-9][0-9]"#, path], runs: 1)
        if only == nil || only == "decode" { decodeThroughput(path) }
        let byName = Dictionary(results, uniquingKeysWith: { a, _ in a })
        for bw in ["burnwatch logs --filter status>=500 --raw", "burnwatch logs --count-by status"] {
            guard let t = byName[bw] else { continue }
            let jqName = "jq -c 'select(.status >= 500)'", lnavName = "lnav -n :filter-in \"status\":5xx"
            if let jq = byName[jqName] {
                print(String(format: "logs: ratio %@ vs jq: %.1fx wall, %.1fx CPU (target >= 12x)", bw, jq / t, cpu[jqName]! / cpu[bw]!))
            }
            if let lnav = byName[lnavName] {
                print(String(format: "logs: ratio %@ vs lnav: %.1fx wall, %.1fx CPU (target >= 6x)", bw, lnav / t, cpu[lnavName]! / cpu[bw]!))
            }
        }
    }

    /// A sink that only counts, so the measurement is the live path's parsing and series work.
    struct CountingSink: SampleSink {
        var samples = 0
        mutating func append(_ labels: Labels, _ time: Timestamp, _ value: Double) { samples += 1 }
    }

    /// The live path on one core: lines → preset detection → normalised events (every field) →
    /// log-derived series. The console needs ≥ 100,000 lines/s from files.
    static func decodeThroughput(_ path: String) {
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.read(upToCount: 120 << 20) else { return }
        var lines = data.split(separator: 0x0A).map { Array($0) }
        lines.removeLast()   // possibly cut by the read limit
        for collect in [false, true] {
            guard var decoder = try? LogStreamDecoder(source: "bench", collectOtherFields: collect) else { return }
            var generator = LogSeriesGenerator()
            var sink = CountingSink()
            let start = DispatchTime.now().uptimeNanoseconds
            for line in lines {
                for d in decoder.decode(line) { decoder.record(d, arrival: Timestamp(milliseconds: 0), into: &generator, sink: &sink) }
            }
            for d in decoder.flush() { decoder.record(d, arrival: Timestamp(milliseconds: 0), into: &generator, sink: &sink) }
            generator.finish(into: &sink)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(format: "logs: live decode + series, one core, %@: %d lines in %.3f s = %.0f lines/s (target >= 100000), %d samples",
                         collect ? "every field decoded" : "normalised fields", lines.count, seconds, Double(lines.count) / seconds, sink.samples))
        }
    }

    static func findBinary() -> String {
        let cwd = FileManager.default.currentDirectoryPath
        for c in ["release", "debug"] where FileManager.default.isExecutableFile(atPath: "\(cwd)/.build/\(c)/burnwatch") {
            return "\(cwd)/.build/\(c)/burnwatch"
        }
        return "burnwatch"
    }

    /// CPU seconds (user + sys) of the children reaped so far.
    static func childCPU() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        #else
        getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Runs a program with stdout to /dev/null; returns wall seconds and CPU seconds.
    static func time(_ exe: String, _ args: [String]) -> (Double, Double) {
        let cpuBefore = childCPU()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        do { try p.run() } catch { return (.infinity, .infinity) }
        p.waitUntilExit()
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, childCPU() - cpuBefore)
    }
}

/// The generated corpus: alternating slog service lines and Caddy access lines.
enum LogsCorpus {
    static func write(lines: Int, to path: String) {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let h = FileHandle(forWritingAtPath: path) else { return }
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng }
        var chunk = ""
        chunk.reserveCapacity(1 << 22)
        let routes = ["/v1/orders/{id}", "/v1/payments", "/healthz", "/v1/users/{id}/cart", "/api/search"]
        let names = ["Zoë Ångström", "李小龍", "José \\\"Pepe\\\" Núñez", "Ærøskøbing ☕", "plain"]
        let tenants = ["acme", "globex", "initech", "umbrella", "hooli"]
        let statuses = [200, 200, 200, 200, 201, 204, 301, 400, 404, 429, 500, 502, 503, 504]
        var t = 1_795_554_000.0
        for i in 0..<lines {
            let r = next()
            t += Double(r % 1000) / 1e5
            let status = statuses[Int(r >> 8) % statuses.count]
            let tenant = tenants[Int(r >> 16) % tenants.count]
            let route = routes[Int(r >> 24) % routes.count]
            let name = names[Int(r >> 32) % names.count]
            if i % 2 == 0 {
                let secs = Int(t)
                let ms = Int((t - Double(secs)) * 1e9)
                let level = status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO"
                chunk += "{\"time\":\"\(iso(secs)).\(String(format: "%09d", ms))Z\",\"level\":\"\(level)\",\"msg\":\"request finished: \\\"\(route)\\\" \\u00e9\\ud83d\\ude00 tab\\there\",\"service\":\"checkout\",\"request_id\":\"req-\(String(i, radix: 16))\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e\(String(format: "%06x", i & 0xFFFFFF))\",\"tenant\":\"\(tenant)\",\"method\":\"POST\",\"route\":\"\(route)\",\"status\":\(status),\"duration\":\(Int(r % 900_000_000)),\"attempt\":\(1 + Int(r >> 40) % 3),\"error_kind\":\"\(status >= 500 ? "timeout" : "")\",\"dependency\":\"payments\",\"user\":{\"id\":\(r % 100_000),\"name\":\"\(name)\",\"tags\":[\"vip\",\"eu\",\"beta\"],\"address\":{\"city\":\"Zürich\",\"zip\":\"8001\"}},\"cart\":{\"items\":[{\"sku\":\"A-1\",\"qty\":2},{\"sku\":\"B-7\",\"qty\":1}],\"total\":\(Double(r % 10000) / 100)},\"note\":\"line\\nbreak and \\\\ backslash\"}\n"
            } else {
                chunk += "{\"level\":\"\(status >= 500 ? "error" : "info")\",\"ts\":\(String(format: "%.7f", t)),\"logger\":\"http.log.access.log0\",\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"10.0.\(r % 256).\(r >> 8 % 256)\",\"remote_port\":\"\(40000 + r % 20000)\",\"proto\":\"HTTP/1.1\",\"method\":\"GET\",\"host\":\"shop.example:8443\",\"uri\":\"\(route.replacingOccurrences(of: "{id}", with: String(r % 1000)))?q=caf%C3%A9\",\"headers\":{\"User-Agent\":[\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)\"],\"Accept\":[\"*/*\"],\"X-Request-Id\":[\"req-\(String(i, radix: 16))\"],\"Accept-Language\":[\"de-CH,de;q=0.9,en;q=0.8\"]}},\"user_id\":\"\(name)\",\"duration\":\(Double(r % 2_000_000) / 1e7),\"size\":\(r % 50_000),\"status\":\(status),\"resp_headers\":{\"Server\":[\"Caddy\"],\"Content-Type\":[\"application/json; charset=utf-8\"]}}\n"
            }
            if chunk.utf8.count > 1 << 22 { h.write(chunk.data(using: .utf8)!); chunk.removeAll(keepingCapacity: true) }
        }
        h.write(chunk.data(using: .utf8)!)
        try? h.close()
    }

    /// `YYYY-MM-DDTHH:MM:SS` (UTC, no fraction or zone) of non-negative Unix seconds.
    static func iso(_ secs: Int) -> String {
        let days = secs / 86_400, rem = secs % 86_400
        let (y, m, d) = RFC3339.civilFromDays(days)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }
}
