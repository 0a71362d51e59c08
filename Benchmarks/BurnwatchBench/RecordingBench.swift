import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
import BurnwatchRuntime
import Foundation

/// Recordings: an hour of a session (six targets scraped every 15 s with real exporters' bodies
/// whose values move, and 25 access-log lines a second) written with the recorder, read back,
/// replayed as fast as it goes (every scrape parsed, every line decoded, every round of SLOs and
/// detectors run, as `eval --recording` does), and a seek to the middle from the start.
enum RecordingBench {
    static func main(_ arguments: [String]) {
        guard arguments.count == 1 || arguments[1] == "recording" else { return }
        run()
    }

    static func fixture(_ name: String) -> [UInt8]? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var path = root.deletingLastPathComponent().appendingPathComponent("shared/fixtures/exposition/\(name)")
        if !FileManager.default.fileExists(atPath: path.path) { path = URL(fileURLWithPath: "/work/shared/fixtures/exposition/\(name)") }
        return FileManager.default.contents(atPath: path.path).map { [UInt8]($0) }
    }

    /// A body whose sample values move with `k` (counters grow; a scrape is never a copy of the last).
    static func moved(_ body: [UInt8], _ k: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 64)
        for line in body.split(separator: 10, omittingEmptySubsequences: false) {
            if line.first == UInt8(ascii: "#") || line.isEmpty { out += line; out.append(10); continue }
            guard let space = line.lastIndex(of: 32), let v = Double(String(decoding: line[line.index(after: space)...], as: UTF8.self)) else {
                out += line; out.append(10); continue
            }
            out += line[...space]
            out += Array(String(v + Double(k * (line.count % 7))).utf8)
            out.append(10)
        }
        return out
    }

    static func run() {
        guard let haproxy = fixture("haproxy.txt"), let node = fixture("node_exporter.txt"), let caddy = fixture("caddy.txt") else {
            print("recording: fixtures missing; skipped")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bw-recording-bench-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hour.burnwatch").path
        let t0: Int64 = 1_796_000_000_000
        let targets = (0..<6).map { i in ("http://10.0.0.\(i + 1):9100/metrics", [haproxy, node, caddy][i % 3]) }

        // the events of one hour, in the order a live session applies them
        var events: [RecordedEvent] = []
        var line = 0
        for second in 0..<3600 {
            let now = t0 + Int64(second) * 1000
            if second % 15 == 0 {
                for (i, target) in targets.enumerated() {
                    events.append(.scrape(RecordedScrape(at: now + Int64(i * 40), url: target.0, job: "api", time: now, durationSeconds: 0.02,
                                                         status: 200, contentType: "text/plain; version=0.0.4", failure: nil,
                                                         body: moved(target.1, second / 15))))
                }
            }
            for tick in 0..<4 {
                let items = (0..<6).map { _ -> RecordedLogDispatch.Item in
                    line += 1
                    return .init(kind: .line, source: "access.log", payload: Array(LogsScreenBench.line(line).utf8))
                }
                events.append(.logs(RecordedLogDispatch(at: now + Int64(tick * 250 + 100), arrival: now + Int64(tick * 250 + 90), items: items)))
            }
            events.append(.round(RecordedRound(at: now + 999, signals: second % 5 == 0)))
        }
        let raw = events.reduce(0) { $0 + $1.rawBytes }

        // write: what the recorder does each half second, timed as CPU of this thread
        guard let recording = try? Recording.create(path: path, info: .init(createdMs: t0, writer: "bench", config: "", configFile: "")) else {
            print("recording: cannot create \(path)")
            return
        }
        let writer = RecordingWriter(recording: recording, flushInterval: 3600)
        let cpuBefore = cpuSeconds()
        let wall = ContinuousClock().measure {
            var half: Int64 = t0 + 500
            for event in events {
                if event.at >= half {
                    writer.flush()
                    half += 500
                }
                writer.append(event)
            }
            writer.close()
        }
        let writeCPU = cpuSeconds() - cpuBefore
        let file = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let mb = Double(raw) / 1_048_576
        print(String(format: "recording write: %.1f MB raw in %.2f s (%.2f s CPU) = %.0f MB/s; file %.1f MB = %.3f× raw",
                     mb, seconds(wall), writeCPU, mb / writeCPU, Double(file) / 1_048_576, Double(file) / Double(raw)))
        liveLoad(dir: dir, bodies: [haproxy, node, caddy])

        // read back and replay everything as fast as it goes
        var contents: RecordingContents?
        let read = ContinuousClock().measure { contents = (try? Recording.open(path: path))?.readEvents() }
        guard let all = contents?.events, all.count == events.count else { print("recording: read back \(contents?.events.count ?? 0) of \(events.count) events"); return }
        print(String(format: "recording read: %d events in %.2f s", all.count, seconds(read)))
        let slo = SLOSpec(service: "api", name: "availability", objective: 0.999, indicator: .events(
            errorQuery: "sum(rate(haproxy_frontend_http_responses_total{code=\"5xx\"}[{{.window}}]))",
            totalQuery: "sum(rate(haproxy_frontend_http_responses_total[{{.window}}]))"))
        let config = BurnwatchConfiguration(file: "", services: [ServiceConfig(name: "api", targets: targets.map { ScrapeTargetConfig(url: $0.0) })])
        let setup = ReplayEngine.Setup(config: config, slos: [slo], signals: SignalEngine(services: ["api"]),
                                       logInputs: [LogFeedInput(.file(pattern: "access.log", fromStart: true), preset: .caddy, service: "api")])
        let replay = ContinuousClock().measure {
            let engine = ReplayEngine(setup: setup)
            for event in all { engine.apply(event, sink: nil) }
        }
        print(String(format: "replay of 1 h (%.0f MB raw) at full speed: %.2f s (the goal: under 10 s)", mb, seconds(replay)))
        let middle = all.count / 2
        let seek = ContinuousClock().measure {
            let engine = ReplayEngine(setup: setup)
            for event in all[..<middle] { engine.apply(event, sink: nil) }
        }
        print(String(format: "seek to 30 min from the start, no checkpoint: %.2f s", seconds(seek)))
        // as the replay console does: a copy of the engine every minute of recording, then a seek
        // backwards from the end to the middle starts from the last copy before it
        var checkpoints: [(next: Int, at: Int64, engine: ReplayEngine)] = []
        let withCheckpoints = ContinuousClock().measure {
            let engine = ReplayEngine(setup: setup)
            for (i, event) in all.enumerated() {
                engine.apply(event, sink: nil)
                if case .round = event, event.at >= (checkpoints.last?.at ?? t0) + 60_000 { checkpoints.append((i + 1, event.at, engine.snapshot())) }
            }
        }
        let target = all[middle].at
        let back = ContinuousClock().measure {
            guard let cp = checkpoints.last(where: { $0.at <= target }) else { return }
            let engine = cp.engine.snapshot()
            var i = cp.next
            while i < all.count, all[i].at <= target { engine.apply(all[i], sink: nil); i += 1 }
        }
        print(String(format: "replay with a checkpoint every minute (%d kept): %.2f s; seek back from the end to 30 min: %.3f s (the goal: under 0.2 s)",
                     checkpoints.count, seconds(withCheckpoints), seconds(back)))
    }

    /// The recorder under the load the issue names, in its own batches: 10 s of 100,000 log lines
    /// a second and 500 targets scraped every 15 s (real exporters' bodies), committed every 500 ms
    /// as the recorder commits; the CPU it takes over those 10 s of load.
    static func liveLoad(dir: URL, bodies: [[UInt8]]) {
        let path = dir.appendingPathComponent("live.burnwatch").path
        guard let recording = try? Recording.create(path: path, info: .init(createdMs: 0, writer: "bench", config: "", configFile: "")) else { return }
        let writer = RecordingWriter(recording: recording, flushInterval: 3600)
        var batches: [[RecordedEvent]] = []
        var line = 0, target = 0
        for half in 0..<20 {
            let at = 1_796_000_000_000 + Int64(half) * 500
            var events: [RecordedEvent] = []
            // 500 targets every 15 s: 16.7 scrapes each half second
            let scrapes = (half * 500 / 30 + 500 / 30) - half * 500 / 30
            for _ in 0..<scrapes {
                target += 1
                events.append(.scrape(RecordedScrape(at: at, url: "http://10.1.\(target % 500 / 250).\(target % 250):9100/metrics", job: "api",
                                                     time: at, durationSeconds: 0.01, status: 200, contentType: nil, failure: nil,
                                                     body: moved(bodies[target % bodies.count], target))))
            }
            // 50,000 lines each half second, in dispatches of 5,000 (one every 50 ms)
            for d in 0..<10 {
                let items = (0..<5_000).map { _ -> RecordedLogDispatch.Item in
                    line += 1
                    return .init(kind: .line, source: "access.log", payload: Array(LogsScreenBench.line(line).utf8))
                }
                events.append(.logs(RecordedLogDispatch(at: at + Int64(d * 50), arrival: at + Int64(d * 50), items: items)))
            }
            batches.append(events)
        }
        let raw = batches.joined().reduce(0) { $0 + $1.rawBytes }
        let before = cpuSeconds()
        for events in batches {
            for e in events { writer.append(e) }
            writer.flush()
        }
        writer.close()
        let cpu = cpuSeconds() - before
        let file = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print(String(format: "recording at 100,000 lines/s + 500 targets/15 s (%.1f MB/s raw): %.1f s CPU for 10 s of load = %.0f%% of one core; file %.3f× raw (the goal: under 50%%)",
                     Double(raw) / 10 / 1_048_576, cpu, cpu * 10, Double(file) / Double(raw)))
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
