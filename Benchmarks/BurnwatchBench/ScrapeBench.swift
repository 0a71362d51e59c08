import BurnwatchCore
import BurnwatchRuntime
import Foundation

/// `make bench` group: CPU used to scrape 500 loopback targets of 2,000 series every 15 s, from
/// the request to the samples in the store.
///
/// The targets are 500 URLs on one caddy static file server (a separate process, so its CPU is
/// not counted) serving the node_exporter fixture body four times (the copies' names prefixed
/// `copy1_` … `copy3_`: ~230 KB, ~2,000 series). Every result goes through its target's `ScrapeSeriesTable`
/// into one `SeriesStore`, as the watch store thread does. Runs with no argument or `scrape`;
/// `BW_SCRAPE_BENCH_SECONDS` changes the 60 s measuring window.
enum ScrapeBench {
    static func main(_ arguments: [String]) {
        let group = arguments.count > 1 ? arguments[1] : ""
        guard group.isEmpty || group == "scrape" else { return }
        run()
    }

    final class Tally: @unchecked Sendable {
        let lock = NSLock()
        var results = 0, failures = 0, samples = 0, parseErrors = 0
        var firstFailure: String?
        var store = SeriesStore()
        var tables: [String: ScrapeSeriesTable] = [:]
        var count: Int { lock.lock(); defer { lock.unlock() }; return results }
        var seriesCount: Int { lock.lock(); defer { lock.unlock() }; return store.seriesCount }
        func add(_ r: ScrapeResult) {
            lock.lock()
            results += 1
            samples += r.samples.count
            parseErrors += r.parseErrors.count
            if let f = r.failure { failures += 1; if firstFailure == nil { firstFailure = f.description } }
            tables[r.target.url, default: ScrapeSeriesTable()].apply(r, extraLabels: nil, to: &store)
            lock.unlock()
        }
    }

    static func run() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var fixture = root.deletingLastPathComponent().appendingPathComponent("shared/fixtures/exposition/node_exporter.txt")
        if !FileManager.default.fileExists(atPath: fixture.path) { fixture = URL(fileURLWithPath: "/work/shared/fixtures/exposition/node_exporter.txt") }
        guard let body = FileManager.default.contents(atPath: fixture.path) else { print("scrape: fixture missing; skipped"); return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-scrape-bench-\(getpid())")
        try? FileManager.default.createDirectory(at: dir.appendingPathComponent("site"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try? (["", "copy1_", "copy2_", "copy3_"].reduce(Data()) { $0 + copyRenamed(body, prefix: $1) }).write(to: dir.appendingPathComponent("site/metrics.txt"))
        let port = freePort()
        let config = """
        {"admin":{"disabled":true},"logging":{"logs":{"default":{"level":"ERROR"}}},
         "apps":{"http":{"servers":{"bench":{"listen":["127.0.0.1:\(port)"],
           "routes":[{"handle":[{"handler":"file_server","root":"\(dir.appendingPathComponent("site").path)"}]}]}}}}}
        """
        try? config.write(to: dir.appendingPathComponent("caddy.json"), atomically: true, encoding: .utf8)
        let caddy = Process()
        caddy.executableURL = URL(fileURLWithPath: "/usr/bin/caddy")
        caddy.arguments = ["run", "--config", dir.appendingPathComponent("caddy.json").path]
        caddy.environment = ["HOME": dir.path, "XDG_DATA_HOME": dir.path, "XDG_CONFIG_HOME": dir.path]
        caddy.standardOutput = FileHandle.nullDevice
        caddy.standardError = FileHandle.nullDevice
        guard (try? caddy.run()) != nil else { print("scrape: caddy not found; skipped"); return }
        defer { caddy.terminate(); caddy.waitUntilExit() }
        guard waitListening(port) else { print("scrape: caddy did not start; skipped"); return }

        let seconds = Double(ProcessInfo.processInfo.environment["BW_SCRAPE_BENCH_SECONDS"] ?? "") ?? 60
        let targets = (0..<500).map { i in
            ScrapeTarget(url: "http://127.0.0.1:\(port)/metrics.txt?target=\(i)", job: "bench", instance: "target-\(i)",
                         intervalSeconds: 15, timeoutSeconds: 10)
        }
        let tally = Tally()
        let manager = ScrapeManager(targets: targets, options: .init(workers: 8)) { tally.add($0); return true }
        let cpuStart = PlatformHTTP.processCPUSeconds()
        let wallStart = PlatformHTTP.monotonicNanoseconds()
        manager.start()
        // The first round (every target's first scrape: all its series new) is told apart from
        // the rounds after it, which are what a long watch costs.
        while tally.count < targets.count, Double(PlatformHTTP.monotonicNanoseconds() - wallStart) / 1e9 < 60 {
            PlatformHTTP.sleep(nanoseconds: 50_000_000)
        }
        let firstRoundCPU = PlatformHTTP.processCPUSeconds() - cpuStart
        let firstRoundWall = Double(PlatformHTTP.monotonicNanoseconds() - wallStart) / 1e9
        let firstRoundSeries = tally.seriesCount
        let cpuBefore = PlatformHTTP.processCPUSeconds()
        let wallBefore = PlatformHTTP.monotonicNanoseconds()
        let resultsBefore = tally.count
        PlatformHTTP.sleep(nanoseconds: UInt64(seconds * 1e9))
        let wall = Double(PlatformHTTP.monotonicNanoseconds() - wallBefore) / 1e9
        let cpu = PlatformHTTP.processCPUSeconds() - cpuBefore
        manager.stop()
        tally.lock.lock()
        defer { tally.lock.unlock() }
        let series = tally.tables.values.reduce(0) { $0 + $1.seriesIDs.count }
        print(String(format: "scrape: first round, 500 targets' first scrapes (%d series new): %.2f s of CPU over %.1f s",
                     firstRoundSeries, firstRoundCPU, firstRoundWall))
        print(String(format: "scrape: 500 targets x %d series every 15 s, the %.0f s after the first round: %d scrapes (%d failed in all), %d samples stored in all, %.1f%% of one core (target < 10%%)",
                     series / max(1, tally.tables.count), wall, tally.results - resultsBefore, tally.failures, tally.samples, cpu / wall * 100))
        let unresolved = tally.tables.values.reduce(0) { $0 + $1.unresolvedSamples }
        if unresolved > 0 { print("scrape: \(unresolved) samples had no series (the cache and the table disagree)") }
        if let first = tally.firstFailure { print("scrape: first failure: \(first)") }
    }

    /// The body again with every metric name prefixed `prefix`: as many new series (the body itself when empty).
    static func copyRenamed(_ body: Data, prefix: String) -> Data {
        if prefix.isEmpty { return body }
        var out = Data()
        for line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.starts(with: Array("# HELP ".utf8)) || line.starts(with: Array("# TYPE ".utf8)) {
                out.append(contentsOf: line.prefix(7)); out.append(contentsOf: Array(prefix.utf8)); out.append(contentsOf: line.dropFirst(7))
            } else if let first = line.first, first != UInt8(ascii: "#") {
                out.append(contentsOf: Array(prefix.utf8)); out.append(contentsOf: line)
            } else {
                out.append(contentsOf: line)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func waitListening(_ port: Int) -> Bool {
        for _ in 0..<200 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = UInt16(port).bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            close(fd)
            if rc == 0 { return true }
            usleep(50_000)
        }
        return false
    }
}
