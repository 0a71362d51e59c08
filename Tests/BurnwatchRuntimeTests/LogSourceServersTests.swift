import Foundation
import Testing
import BurnwatchCore
import BurnwatchParsing
import BurnwatchTestSupport
@testable import BurnwatchRuntime

/// Real servers on loopback: Caddy's JSON access log followed as a file, HAProxy's JSON
/// `log-format` read from its stdout through a command source.
@Suite(.serialized) struct LogSourceServersTests {
    func curl(_ url: String, requestID: String) {
        _ = try? ProcessRunner.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-m", "5", "-H", "X-Request-ID: \(requestID)", url], timeout: 10)
    }

    @Test func caddyAccessLogIsFollowedAndNormalised() throws {
        guard let caddy = TestPaths.which("caddy") else { Issue.record("caddy is not installed (make deps)"); return }
        let dir = try TestPaths.makeTemporaryDirectory("bw-caddy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = FreePort.next()
        let log = dir.appendingPathComponent("access.jsonl").path
        let caddyfile = """
        {
        \tadmin off
        }
        http://127.0.0.1:\(port) {
        \tbind 127.0.0.1
        \tlog {
        \t\toutput file \(log)
        \t\tformat json
        \t}
        \trespond /hello "hello" 200
        \trespond /boom "boom" 503
        \trespond 404
        }
        """
        let config = dir.appendingPathComponent("Caddyfile")
        try caddyfile.write(to: config, atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = dir.path; env["XDG_DATA_HOME"] = dir.path; env["XDG_CONFIG_HOME"] = dir.path
        let process = try ChildProcess(caddy, ["run", "--config", config.path, "--adapter", "caddyfile"], environment: env)
        defer { process.stop(grace: 5) }
        #expect(FreePort.waitUntilListening(port, timeout: 20))

        let follower = LogFileFollower(pattern: log, start: .beginning)
        var decoder = try LogStreamDecoder(source: "caddy")
        var events: [LogEvent] = []
        let paths = ["/hello", "/boom", "/missing", "/hello?x=1"]
        for (i, p) in paths.enumerated() { curl("http://127.0.0.1:\(port)\(p)", requestID: "req-\(i)") }
        let deadline = Date().addingTimeInterval(15)
        while events.filter({ $0.status != nil }).count < paths.count && Date() < deadline {
            follower.poll { item in
                if case .line(_, let bytes, let cut) = item { events += decoder.decode(bytes, truncated: cut).map(\.result.event) }
            }
            events += decoder.flush().map(\.result.event)
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(decoder.preset == .caddy)
        let access = events.filter { $0.status != nil }
        #expect(access.map(\.status) == [200, 503, 404, 200])
        #expect(access.map(\.path) == ["/hello", "/boom", "/missing", "/hello"])
        #expect(access.map(\.requestID) == ["req-0", "req-1", "req-2", "req-3"])
        #expect(access.allSatisfy { $0.method == "GET" && $0.duration != nil && $0.time != nil })
        #expect(decoder.unparsed == 0)
    }

    @Test func haproxyJSONLogFromStdout() throws {
        guard let haproxy = TestPaths.which("haproxy") else { Issue.record("haproxy is not installed (make deps)"); return }
        let dir = try TestPaths.makeTemporaryDirectory("bw-haproxy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let port = FreePort.next()
        let deadPort = FreePort.next()
        let cfg = """
        global
            log stdout format raw local0 info
        defaults
            mode http
            log global
            timeout connect 200ms
            timeout client 5s
            timeout server 2s
        frontend fe
            bind 127.0.0.1:\(port)
            capture request header X-Request-ID len 64
            log-format '{"time":"%[date,utime(%Y-%m-%dT%H:%M:%SZ)]","accept_ts":%Ts.%ms,"request_id":"%[capture.req.hdr(0),json(utf8s)]","frontend":"%f","backend":"%b","server":"%s","method":"%HM","uri":"%[capture.req.uri,json(utf8s)]","status":%ST,"retries":"%rc","Tr":%Tr,"Tt":%Tt,"termination_state":"%tsc"}'
            http-request return status 200 content-type text/plain string ok if { path /hello }
            default_backend dead
        backend dead
            server dead-1 127.0.0.1:\(deadPort)
        """
        let cfgPath = dir.appendingPathComponent("haproxy.cfg").path
        try (cfg + "\n").write(toFile: cfgPath, atomically: true, encoding: .utf8)
        let source = LogCommandSource(argv: [haproxy, "-db", "-f", cfgPath], name: "haproxy")
        let queue = LogSourceQueue()
        let thread = Thread { source.run { queue.push($0) } }
        thread.start()
        defer { source.stop(); Thread.sleep(forTimeInterval: 0.2) }
        let listening = FreePort.waitUntilListening(port, timeout: 20)
        #expect(listening, "haproxy said: \(queue.pop())")
        curl("http://127.0.0.1:\(port)/hello", requestID: "h-1")
        curl("http://127.0.0.1:\(port)/down", requestID: "h-2")
        var decoder = try LogStreamDecoder(source: "haproxy")
        var events: [LogEvent] = []
        let deadline = Date().addingTimeInterval(15)
        // The readiness probe's bare TCP connection logs a line too (no request id): leave it out.
        func requests() -> [LogEvent] { events.filter { $0.requestID != nil } }
        while requests().count < 2 && Date() < deadline {
            for item in queue.pop() {
                if case .line(_, let bytes, let cut) = item, bytes.first == 0x7B { events += decoder.decode(bytes, truncated: cut).map(\.result.event) }
            }
            events += decoder.flush().map(\.result.event)
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(decoder.preset == .haproxy)
        events = requests()
        #expect(events.count == 2)
        guard events.count == 2 else { return }
        #expect(events[0].status == 200 && events[0].requestID == "h-1" && events[0].path == "/hello" && events[0].service == "fe")
        #expect(events[1].status == 503 && events[1].requestID == "h-2" && events[1].dependency == "dead")
        #expect(events[1].errorKind == "SC")   // server connection refused
        #expect(events.allSatisfy { $0.time != nil && $0.method == "GET" && $0.duration != nil })
        // HAProxy writes no level: the status decides it, and the log-derived series count it so
        #expect(events[0].level == .info && events[1].level == .error)
        var generator = LogSeriesGenerator(step: Interval(milliseconds: 1000))
        var store = SeriesStore()
        for e in events { generator.observe(e, source: "haproxy", fallback: Platform.now(), into: &store) }
        generator.finish(into: &store)
        let at = (events.compactMap(\.time).max() ?? Platform.now()) + Interval(milliseconds: 2000)
        guard case .vector(let byLevel) = try PromQLEngine(store: store).instantQuery("sum by (level) (log_events_total)", at: at) else {
            Issue.record("not a vector"); return
        }
        #expect(Dictionary(uniqueKeysWithValues: byLevel.map { ($0.labels["level"] ?? "", $0.value) }) == ["info": 1, "error": 1])
    }
}
