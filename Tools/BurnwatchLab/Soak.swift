import BurnwatchTestSupport
import Foundation

/// `burnwatch-lab soak`: `burnwatch watch` in tmux for `minutes` against `targets` loopback
/// targets scraped every 15 s and `linesPerSecond` log lines across rotating files, with a key
/// every few seconds; one line a minute (RSS, lines written/read/dropped/late, scrape p99,
/// key-to-frame p99), then the verdict. Fails when the RSS at the end is more than 10% above
/// the RSS at minute 10 (or at half the run, for runs under 20 minutes), or when a line written
/// was neither read nor counted as dropped.
struct Soak {
    var burnwatch: String
    var minutes: Int
    var targets = 500
    var linesPerSecond = 50_000.0
    var logFiles = 4
    var rotateSeconds = 180.0
    var keySeconds = 3.0

    /// Set by SIGINT, SIGTERM or SIGHUP: the run stops early and cleans up.
    final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
        func set() { lock.lock(); value = true; lock.unlock() }
    }

    static func config(services: [(String, [Int])], logGlob: String) -> String {
        var out = "# burnwatch-lab soak: generated.\nservices:\n"
        for (name, ports) in services {
            out += "  - name: \(name)\n    targets:\n"
            for port in ports { out += "      - {url: \"http://127.0.0.1:\(port)/metrics\", interval: 15s, timeout: 5s}\n" }
        }
        out += """
              - name: checkout
            log_sources:
              - service: checkout
                files: ["\(logGlob)"]
                preset: slog
            slos:
              - service: haproxy
                name: availability
                objective: 99.9
                period: 30d
                sli:
                  events:
                    error_query: sum(rate(haproxy_frontend_http_responses_total{code="5xx"}[{{.window}}]))
                    total_query: sum(rate(haproxy_frontend_http_responses_total[{{.window}}]))
              - service: checkout
                name: availability
                objective: 99
                period: 30d
                sli:
                  events:
                    error_query: sum(rate(log_events_total{service="checkout",status=~"5.."}[{{.window}}]))
                    total_query: sum(rate(log_events_total{service="checkout"}[{{.window}}]))

            """
        return out
    }

    /// Runs the soak; returns whether it passed.
    ///
    /// - Throws: `SoakError` when the lab cannot be set up.
    func run() throws -> Bool {
        let stop = StopFlag()
        let signalSources = SoakSystem.onTermination { number in
            print("soak: signal \(number): stopping")
            stop.set()
        }
        defer { signalSources.forEach { $0.cancel() } }
        let dir = try TestPaths.makeTemporaryDirectory("burnwatch-soak").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)

        let server = try SoakTargets(count: targets, fixtures: TestPaths.sharedFixtures)
        server.start()
        defer { server.stop() }
        var services: [(String, [Int])] = server.templates.map { ($0.service, []) }
        for (i, port) in server.ports.enumerated() { services[i % services.count].1.append(port) }
        let series = server.ports.indices.reduce(0) { $0 + server.templates[$1 % server.templates.count].samples }
        let writer = try SoakLogWriter(directory: dir + "/logs", files: logFiles, linesPerSecond: linesPerSecond,
                                       rotateSeconds: rotateSeconds)
        let configPath = dir + "/burnwatch.yaml"
        try Self.config(services: services, logGlob: writer.glob).write(toFile: configPath, atomically: true, encoding: .utf8)
        let (console, pid, statsPath) = try SoakConsole.startWatch(burnwatch: burnwatch, configPath: configPath, directory: dir)
        defer { console.stop() }
        defer { if SoakSystem.isAlive(pid) { SoakSystem.terminate(pid, force: true) } }
        print("soak: \(minutes) min; \(targets) targets on 127.0.0.1 (\(series) series, every 15 s), "
              + "\(Int(linesPerSecond)) lines/s over \(logFiles) files rotated every \(Int(rotateSeconds)) s, a key every \(Int(keySeconds)) s; burnwatch pid \(pid)")
        SoakSystem.flushOutput()
        try console.learnScreens(5)
        writer.start()
        var writerStopped = false
        defer { if !writerStopped { writer.stop() } }

        var stats = SoakStatsReader(path: statsPath)
        var rss: [Int] = []
        var keyIndex = 0
        var lastWritten = 0
        let begin = Date()
        print("min   RSS MiB  written/s   written       read    dropped   late  behind  scrape p99  key p99  (keys, misses)")
        for minute in 1...minutes {
            var keyTimes: [Double] = []
            var misses = 0
            let end = begin.addingTimeInterval(Double(minute) * 60)
            var durations: [Double] = []
            while Date() < end, !stop.isSet {
                let key = console.keys[keyIndex % console.keys.count]
                keyIndex += 1
                if let t = console.keyToFrame(key) { keyTimes.append(t * 1000) } else { misses += 1 }
                durations += stats.read()
                let pause = min(keySeconds, end.timeIntervalSinceNow)
                if pause > 0 { Thread.sleep(forTimeInterval: pause) }
            }
            if stop.isSet { break }
            durations += stats.read()
            guard let kib = SoakSystem.residentKiB(pid) else { print("soak: burnwatch exited at minute \(minute)"); return false }
            rss.append(kib)
            let w = writer.snapshot
            let c = stats.latest
            let rate = Double(w.written - lastWritten) / 60
            lastWritten = w.written
            print(String(format: "%3d  %8.1f  %9.0f  %9d  %9d  %9d  %5d  %6d  %8.1f ms  %5.0f ms  (%d, %d)",
                         minute, Double(kib) / 1024, rate, w.written, c.read, c.dropped, c.late, w.behindTicks,
                         soakQuantile(durations, 0.99) ?? .nan, soakQuantile(keyTimes, 0.99) ?? .nan, keyTimes.count, misses))
            SoakSystem.flushOutput()
        }
        writer.stop()
        writerStopped = true
        let written = writer.snapshot
        // Let the console catch up: wait until its counters account for every line, or stop changing.
        stats.settle(written: written.written, limit: 60, poll: 5)
        let c = stats.latest
        let lost = written.written - c.read - c.dropped
        print("soak: written \(written.written) lines (\(String(format: "%.0f", Double(written.written) / max(1, written.seconds))) lines/s achieved, "
              + "\(written.behindTicks) ticks over 100 ms behind, largest backlog \(written.maxBacklog) lines, \(written.rotations) rotations); "
              + "read \(c.read), dropped \(c.dropped) (queue \(c.queueDropped), channel \(c.dropped - c.queueDropped)), late \(c.late), "
              + "lost (not counted) \(lost); events dropped by the channel \(c.channelDropped), scrape results dropped \(c.scrapesDropped), "
              + "scrapes up \(c.scrapesUp), down \(c.scrapesDown), key-to-frame poll resolution \(String(format: "%.1f", console.pollMilliseconds)) ms")
        var passed = lost == 0
        if stop.isSet { print("soak: stopped early"); passed = false }
        let baseMinute = minutes >= 20 ? 10 : max(1, minutes / 2)
        if rss.count >= max(baseMinute, 2) {
            let base = rss[baseMinute - 1], final = rss[rss.count - 1]
            let growth = Double(final - base) / Double(base) * 100
            print(String(format: "soak: RSS %.1f MiB at minute %d, %.1f MiB at minute %d: %+.1f%% (limit +10%%)",
                         Double(base) / 1024, baseMinute, Double(final) / 1024, rss.count, growth))
            if growth > 10 { passed = false }
        }
        print("soak: \(passed ? "PASS" : "FAIL")")
        return passed
    }
}
