import BurnwatchTestSupport
import Foundation

/// `burnwatch-lab log-feed`: the whole live log path as a user runs it, for `make bench`.
///
/// `burnwatch watch` in tmux follows two files that a writer fills at a fixed rate (slog JSON
/// lines); the lines go through follow, split, decode, the merge by time, the log series and the
/// logs screen. Each run lasts `seconds`, with a key every second whose frame is timed. It is run
/// twice: idle at `idleRate`, and at `loadedRate` with a CPU hog (a busy shell loop, killed at the
/// end) holding one core. A run keeps up when every line written was read (none dropped at the
/// queue), and the line tells how many lines per second were read either way.
struct LogFeedLab {
    var burnwatch: String
    var seconds = 30.0
    var idleRate = 150_000.0
    var loadedRate = 100_000.0

    /// What one run measured.
    struct Outcome {
        var written = 0
        var read = 0
        var dropped = 0
        var late = 0
        var seconds = 0.0
        var keyP99: Double?
        var keys = 0
        var misses = 0
    }

    /// Runs both runs and prints a line for each; returns whether both kept up with p99 < 50 ms.
    /// - Throws: `SoakError` when the console cannot be set up.
    func run() throws -> Bool {
        var passed = true
        for (rate, hog) in [(idleRate, false), (loadedRate, true)] {
            let o = try measure(rate: rate, withHog: hog)
            let readRate = Double(o.read) / max(o.seconds, 0.001)
            let keptUp = o.dropped == 0 && o.read == o.written
            let p99 = o.keyP99.map { String(format: "%.0f ms", $0) } ?? "n/a"
            print(String(format: "log feed live, 2 files, %@: %.0f lines/s offered, %.0f lines/s read (%d written, %d read, %d dropped, %d late); key-to-frame p99 %@ (%d keys, %d missed) (target: all read, p99 < 50 ms)",
                         hog ? "one core held by a hog" : "idle", Double(o.written) / max(o.seconds, 0.001), readRate,
                         o.written, o.read, o.dropped, o.late, p99, o.keys, o.misses))
            SoakSystem.flushOutput()
            if !keptUp || (o.keyP99 ?? .infinity) >= 50 { passed = false }
        }
        return passed
    }

    /// One run at `rate` lines/s over two files.
    func measure(rate: Double, withHog: Bool) throws -> Outcome {
        let dir = try TestPaths.makeTemporaryDirectory("burnwatch-log-feed").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)
        let writer = try SoakLogWriter(directory: dir + "/logs", files: 2, linesPerSecond: rate, rotateSeconds: 3_600)
        let config = """
            # burnwatch-lab log-feed: generated.
            services:
              - name: checkout
            log_sources:
              - service: checkout
                files: ["\(writer.glob)"]
                preset: slog

            """
        try config.write(toFile: dir + "/burnwatch.yaml", atomically: true, encoding: .utf8)
        let (console, pid, statsPath) = try SoakConsole.startWatch(burnwatch: burnwatch, configPath: dir + "/burnwatch.yaml", directory: dir)
        defer { console.stop() }
        defer { if SoakSystem.isAlive(pid) { SoakSystem.terminate(pid, force: true) } }
        // Without targets or SLOs the console has four screens.
        try console.learnScreens(4)
        let hog = withHog ? try Self.startHog(seconds: seconds + 60) : nil
        defer { hog?.stop(grace: 0) }
        var stats = SoakStatsReader(path: statsPath)
        writer.start()
        let begin = Date()
        var keyTimes: [Double] = []
        var misses = 0
        var keyIndex = 0
        while Date().timeIntervalSince(begin) < seconds {
            let key = console.keys[keyIndex % console.keys.count]
            keyIndex += 1
            if let t = console.keyToFrame(key) { keyTimes.append(t * 1000) } else { misses += 1 }
            _ = stats.read()
            let pause = min(1, seconds - Date().timeIntervalSince(begin))
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        }
        writer.stop()
        let written = writer.snapshot
        // Let the console take what is still queued: until its counters account for every line, or stop changing.
        stats.settle(written: written.written, limit: 30, poll: 1)
        let c = stats.latest
        return Outcome(written: written.written, read: c.read, dropped: c.dropped, late: c.late, seconds: max(written.seconds, 0.001),
                       keyP99: soakQuantile(keyTimes, 0.99), keys: keyTimes.count, misses: misses)
    }

    /// A busy shell loop on one core for at most `seconds` (bounded by `timeout`).
    static func startHog(seconds: Double) throws -> ChildProcess {
        try ChildProcess("/usr/bin/timeout", [String(Int(seconds)), "/bin/sh", "-c", "while :; do :; done"], stdout: "/dev/null", stderr: nil)
    }
}
