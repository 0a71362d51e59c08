import BurnwatchCore
import BurnwatchParsing
import BurnwatchRuntime
import Foundation

/// `make bench` group for the exposition parser: burnwatch against Go's expfmt on one ~23 MB body.
///
/// Runs when the bench is started without arguments or with `exposition`; `exposition-rss FILE`
/// is the child process that measures peak memory of one parse.
enum ExpositionBench {
    static func main(_ arguments: [String]) {
        let group = arguments.count > 1 ? arguments[1] : ""
        if group == "exposition-rss", arguments.count > 2 { measurePeakMemory(arguments[2]); return }
        if group == "exposition-body", arguments.count > 2 {
            // Writes the benchmark body, to time other tools on it by hand.
            FileManager.default.createFile(atPath: arguments[2], contents: Data(makeBody()))
            return
        }
        if group == "exposition-load", arguments.count > 2 {
            // Loads a file as `--metrics` does and tells where the memory went, for a profiler or by hand.
            let before = vmHWM()
            var store = SeriesStore()
            let report = try? MetricsFileLoader.load(arguments[2], into: &store)
            print(String(format: "exposition-load: %d samples, %d series; store estimate %.1f MB; peak RSS %.1f MB (%.1f MB before loading)",
                         report?.samples ?? 0, store.seriesCount, Double(store.estimatedBytes) / 1e6, Double(vmHWM()) * 1024 / 1e6,
                         Double(before) * 1024 / 1e6))
            return
        }
        if group == "exposition-warm" {
            // The warm scrape alone, 20 times, for a profiler.
            let outcome = WarmScrapeRun.run(body: makeBody(), warm: Int(ProcessInfo.processInfo.environment["BW_WARM_SCRAPES"] ?? "") ?? 20)
            print("exposition-warm: median \(String(format: "%.1f", median(outcome.warmSeconds) * 1000)) ms per scrape of \(outcome.series) series")
            return
        }
        guard group.isEmpty || group == "exposition" else { return }
        run()
    }

    /// Builds the benchmark body: ~200,000 series of counters (3–5 labels), histograms and summaries, with escapes.
    static func makeBody() -> [UInt8] {
        var out = ""
        out.reserveCapacity(24 << 20)
        let methods = ["GET", "POST", "PUT", "DELETE"]
        let codes = ["200", "201", "404", "500", "503"]
        var state: UInt64 = 0x1234_5678
        func random() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        for f in 0..<20 {
            let name = "bench_http_requests_\(f)_total"
            out += "# HELP \(name) Requests handled by service \(f), with a \\\\ backslash and a\\nnew line.\n# TYPE \(name) counter\n"
            for k in 0..<5000 {
                out += "\(name){service=\"service-\(k % 50)\",pod=\"pod-\(k)-7d9f8c5b6-xk2p9\",method=\"\(methods[k % 4])\""
                if k % 3 != 0 { out += ",code=\"\(codes[k % 5])\"" }
                if k % 2 == 0 {
                    out += k % 10 == 0 ? ",path=\"/api/v1/items/\\\"quoted\\\"/\\\\x\\n\(k)\"" : ",path=\"/api/v1/items/\(k)\""
                }
                out += "} \(random() % 10_000_000)\n"
            }
        }
        let bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]
        for f in 0..<5 {
            let name = "bench_request_duration_seconds_\(f)"
            out += "# HELP \(name) Request latency.\n# TYPE \(name) histogram\n"
            for k in 0..<1000 {
                let labels = "service=\"service-\(k % 50)\",route=\"/r/\(k)\",method=\"\(methods[k % 4])\""
                var cumulative = 0
                for b in bounds {
                    cumulative += Int(random() % 100)
                    out += "\(name)_bucket{\(labels),le=\"\(b)\"} \(cumulative)\n"
                }
                out += "\(name)_sum{\(labels)} \(Double(random() % 1_000_000) / 997.0)\n"
                out += "\(name)_count{\(labels)} \(cumulative)\n"
            }
        }
        for f in 0..<5 {
            let name = "bench_rpc_seconds_\(f)"
            out += "# HELP \(name) RPC latency summary.\n# TYPE \(name) summary\n"
            for k in 0..<1600 {
                let labels = "service=\"service-\(k % 50)\",rpc=\"Call\(k)\",peer=\"10.0.\(k % 256).\(k / 256)\""
                for q in ["0.5", "0.9", "0.99"] {
                    out += "\(name){\(labels),quantile=\"\(q)\"} \(Double(random() % 1_000_000) / 1e6)\n"
                }
                out += "\(name)_sum{\(labels)} \(Double(random() % 100_000_000) / 1000.0)\n"
                out += "\(name)_count{\(labels)} \(random() % 1_000_000)\n"
            }
        }
        return Array(out.utf8)
    }

    /// Pull-parses the body, touching every sample's value and labels; returns (samples, errors).
    static func pullParse(_ body: [UInt8]) -> (Int, Int) {
        var parser = ExpositionParser(bytes: body, format: .prometheusText)
        var samples = 0
        var labels = 0
        var sum = 0.0
        while let entry = parser.next() {
            if case .sample(let s) = entry {
                samples += 1
                labels += s.labels.count
                sum += s.value
            }
        }
        if sum.isNaN || labels < 0 { print("impossible") }
        return (samples, parser.errorCount)
    }

    static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func run() {
        let body = makeBody()
        let mb = Double(body.count) / 1e6
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bw-bench-exposition-\(getpid()).txt")
        try? Data(body).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        print("exposition: body \(String(format: "%.1f", mb)) MB")

        var counts = (0, 0)
        var pull: [Double] = []
        for _ in 0..<7 { pull.append(seconds { counts = pullParse(body) }) }
        let pullMBps = mb / median(pull)
        print("exposition: burnwatch pull parser      \(String(format: "%7.1f", pullMBps)) MB/s (median of 7, \(counts.0) samples, \(counts.1) errors)")
        var whole: [Double] = []
        var wholeCount = 0
        for _ in 0..<3 { whole.append(seconds { wholeCount = Exposition.parse(body, format: .prometheusText).samples.count }) }
        let wholeMBps = mb / median(whole)
        print("exposition: burnwatch Exposition.parse \(String(format: "%7.1f", wholeMBps)) MB/s (median of 3, builds Labels for \(wholeCount) series)")
        var firstSight: [Double] = []
        var stored = 0
        for _ in 0..<3 {
            firstSight.append(seconds {
                var store = SeriesStore()
                _ = MetricsFileLoader.load(bytes: body, source: "bench", defaultTime: Timestamp(milliseconds: 0), into: &store)
                stored = store.seriesCount
            })
        }
        let firstSightMBps = mb / median(firstSight)
        print("exposition: burnwatch first sight (parse + labels + store) \(String(format: "%7.1f", firstSightMBps)) MB/s (median of 3, \(stored) series stored)")
        let scrapes = WarmScrapeRun.run(body: body, warm: 8)
        let warmMBps = mb / median(scrapes.warmSeconds)
        let series = Double(max(1, scrapes.series))
        func perSeries(_ counts: [UInt64]) -> String {
            let sorted = counts.map { Double($0) / series }.sorted()
            return String(format: "%.3f-%.3f (median %.3f)", sorted.first ?? 0, sorted.last ?? 0, sorted[sorted.count / 2])
        }
        print("exposition: burnwatch scrape into the store, first      \(String(format: "%7.1f", mb / scrapes.firstSeconds)) MB/s (\(scrapes.series) series new)")
        print("exposition: burnwatch scrape into the store, cache warm \(String(format: "%7.1f", warmMBps)) MB/s (median of \(scrapes.warmSeconds.count)"
              + (scrapes.unresolved == 0 ? ")" : ", \(scrapes.unresolved) samples unresolved)"))
        print("exposition: allocations per known series and scrape, cache warm: scraper \(perSeries(scrapes.scraperAllocations)), "
              + "table + store \(perSeries(scrapes.storeAllocations))")

        // Peak memory of one pull parse, in a child process.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["exposition-rss", file.path]
        let pipe = Pipe()
        child.standardOutput = pipe
        if (try? child.run()) != nil {
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            let last = out.split(separator: "\n").last.map(String.init) ?? ""
            print("exposition: " + last)
        }

        // Go's expfmt, built in GOPATH mode from Benchmarks/expfmt.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let source = root.appendingPathComponent("expfmt/main.go").path
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("bw-expfmt-bench").path
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["GO111MODULE=off", "GOPATH=/usr/share/gocode", "GOCACHE=/tmp/bw-go-cache", "go", "build", "-o", binary, source]
        guard (try? build.run()) != nil else { print("exposition: go not found; expfmt comparison skipped"); return }
        build.waitUntilExit()
        guard build.terminationStatus == 0 else { print("exposition: expfmt build failed; comparison skipped"); return }
        let go = Process()
        go.executableURL = URL(fileURLWithPath: binary)
        go.arguments = [file.path, "5"]
        let goPipe = Pipe()
        go.standardOutput = goPipe
        guard (try? go.run()) != nil else { return }
        let goOut = String(decoding: goPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        go.waitUntilExit()
        let fields = Dictionary(goOut.split(separator: " ").compactMap { part -> (String, String)? in
            let kv = part.split(separator: "=")
            return kv.count == 2 ? (String(kv[0]), kv[1].trimmingCharacters(in: .whitespacesAndNewlines)) : nil
        }, uniquingKeysWith: { a, _ in a })
        guard let goMBps = fields["mbps"].flatMap(Double.init) else { print("exposition: expfmt said: \(goOut)"); return }
        print("exposition: Go expfmt TextToMetricFamilies \(String(format: "%7.1f", goMBps)) MB/s (median of 5, \(fields["metrics"] ?? "?") metrics)")
        print("exposition: ratio pull parser / expfmt = \(String(format: "%.1f", pullMBps / goMBps))x (target >= 5x); Exposition.parse / expfmt = \(String(format: "%.1f", wholeMBps / goMBps))x; first sight / expfmt = \(String(format: "%.1f", firstSightMBps / goMBps))x (target >= 2x)")
        print("exposition: ratio warm scrape into the store / expfmt = \(String(format: "%.1f", warmMBps / goMBps))x (target >= 10x)")
        compareWholeProcesses(file: file.path, goBinary: binary, megabytes: mb)
    }

    /// Whole processes on the same file: `burnwatch query --metrics F` (read, parse, store, query)
    /// against the Go program parsing it once (read, TextToMetricFamilies).
    static func compareWholeProcesses(file: String, goBinary: String, megabytes mb: Double) {
        let burnwatch = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("burnwatch").path
        guard FileManager.default.isExecutableFile(atPath: burnwatch) else {
            print("exposition: no burnwatch binary beside the bench (swift build -c release --product burnwatch); whole-process comparison skipped")
            return
        }
        guard let ours = WholeProcessRun.median([burnwatch, "query", "--metrics", file, "count({__name__=~\".+\"})"], runs: 3),
              let go = WholeProcessRun.median([goBinary, file, "1"], runs: 3) else { print("exposition: whole-process runs failed"); return }
        func line(_ name: String, _ o: WholeProcessRun.Outcome) -> String {
            String(format: "%@ %.2f s, peak RSS %.1f MB = %.2fx the body%@", name, o.seconds, Double(o.peakRSSBytes) / 1e6,
                   Double(o.peakRSSBytes) / (mb * 1e6), o.status == 0 ? "" : " (exit status \(o.status))")
        }
        print("exposition: whole process, median of 3: " + line("burnwatch query --metrics", ours) + " (target <= 3x)")
        print("exposition: whole process, median of 3: " + line("Go expfmt program", go))
        print("exposition: ratio whole process Go / burnwatch = \(String(format: "%.2f", go.seconds / ours.seconds))x faster (target >= 2x)")
    }

    /// Child process: reads the file, pull-parses it once, prints peak RSS against the body size.
    static func measurePeakMemory(_ path: String) {
        let before = vmHWM()
        guard let handle = FileHandle(forReadingAtPath: path), let size = try? handle.seekToEnd() else { print("cannot read \(path)"); return }
        try? handle.seek(toOffset: 0)
        // Read straight into the array so that the body is held once.
        let body = [UInt8](unsafeUninitializedCapacity: Int(size)) { buffer, count in
            count = read(handle.fileDescriptor, buffer.baseAddress, Int(size))
        }
        _ = pullParse(body)
        let peak = vmHWM()
        let grown = Double(peak - before) * 1024
        print(String(format: "peak RSS %.1f MB (%.1f MB before reading); growth %.1f MB for a %.1f MB body = %.2fx the body",
                     Double(peak) / 1024, Double(before) / 1024, grown / 1e6, Double(body.count) / 1e6, grown / Double(body.count)))
    }

    /// VmHWM (peak resident set) of this process in kB.
    static func vmHWM() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
