import Foundation
import Testing
import BurnwatchCore
import BurnwatchTestSupport
@testable import BurnwatchParsing

@Suite struct LogPresetTests {
    func fixtureLines(_ name: String) throws -> [[UInt8]] {
        // `../shared` beside the checkout (CI); a worktree deeper down falls back to /work/shared.
        var dir = TestPaths.sharedFixtures
        if !FileManager.default.fileExists(atPath: dir.path) { dir = URL(fileURLWithPath: "/work/shared/fixtures") }
        let url = dir.appendingPathComponent("logs/\(name)")
        let data = try Data(contentsOf: url)
        return data.split(separator: 0x0A).map { Array($0) }
    }

    func decodeAll(_ lines: [[UInt8]], preset: LogPreset? = nil) throws -> ([LogEvent], LogStreamDecoder) {
        var d = try LogStreamDecoder(source: "test", preset: preset)
        var events: [LogEvent] = []
        for l in lines { events += d.decode(l).map(\.result.event) }
        events += d.flush().map(\.result.event)
        return (events, d)
    }

    @Test func caddyAccessLog() throws {
        let lines = try fixtureLines("caddy.jsonl")
        #expect(LogPresetDetector.detect(lines) == .caddy)
        let (events, d) = try decodeAll(lines)
        #expect(d.unparsed == 0)
        let access = events.filter { $0.status != nil }
        #expect(access.count > 100)
        let boom = try #require(access.first { $0.path == "/boom" })
        #expect(boom.status == 503)
        #expect(boom.method == "GET")
        #expect(boom.requestID?.hasPrefix("req-") == true)
        #expect(boom.level == .error)
        #expect(boom.duration != nil && boom.duration! < 1)
        #expect(boom.time != nil && boom.time!.milliseconds > 1_795_554_600_000)
        #expect(boom.format == "caddy")
        let first = events[0]
        #expect(first.message == "using provided configuration")
        #expect(first.time == Timestamp(milliseconds: 1_795_554_658_930))
    }

    @Test func haproxyJSONLogFormat() throws {
        let lines = try fixtureLines("haproxy.jsonl")
        #expect(LogPresetDetector.detect(lines) == .haproxy)
        let (events, d) = try decodeAll(lines)
        #expect(d.unparsed == 0)
        #expect(events.allSatisfy { $0.status != nil && $0.method != nil && $0.service == "fe" && $0.dependency == "be" })
        #expect(events.contains { $0.retries == 1 })        // "retries":"+1"
        #expect(events.contains { $0.retries == 0 })
        #expect(events[0].time == Timestamp(milliseconds: 1_795_554_661_906))   // accept_ts with milliseconds
        #expect(events[0].requestID == "req-1-hello")
        #expect(events[0].path == "/hello")                  // "\/hello" unescaped
    }

    @Test func prometheusGoKitJSONAndLogfmt() throws {
        let json = try fixtureLines("prometheus.json.log")
        #expect(LogPresetDetector.detect(json) == .gokit)
        let (events, _) = try decodeAll(json)
        #expect(events[0].level == .info)
        #expect(events[0].message == "No time or size retention was set so using the default time retention")
        #expect(events[0].time == RFC3339.parse("2026-11-24T21:10:58.946Z"))
        #expect(events[0].duration == nil)   // "15d" is not a request duration
        let replay = try #require(events.first { $0.field("duration") == "1.832µs" })
        #expect(replay.duration != nil && abs(replay.duration! - 1.832e-6) < 1e-12)

        let logfmt = try fixtureLines("prometheus.logfmt.log")
        #expect(LogPresetDetector.detect(logfmt) == .logfmt)
        let (lf, d) = try decodeAll(logfmt)
        #expect(d.unparsed == 0)
        #expect(lf[1].message == "Starting Prometheus Server")
        #expect(lf[1].level == .info)
        #expect(lf[1].field("mode") == "server")
        #expect(lf[0].time == RFC3339.parse("2026-11-24T21:11:17.254Z"))
    }

    @Test func nodeExporter() throws {
        let lines = try fixtureLines("node_exporter.json.log")
        let (events, _) = try decodeAll(lines)
        #expect(events.contains { $0.level == .warn })
        #expect(events.allSatisfy { $0.time != nil })
    }

    func parse(_ line: String, _ preset: LogPreset) -> LogLineResult {
        var p = LogLineParser(preset: preset)
        let b = Array(line.utf8)
        return b.withUnsafeBufferPointer { p.parse($0) }
    }

    func detect(_ line: String) -> LogPreset { LogPresetDetector.detect([Array(line.utf8)]) }

    // Lines as each library writes them (shapes from their documentation and default encoders).
    @Test func goLoggersAndServices() {
        let slog = #"{"time":"2026-11-24T21:11:01.123456789+01:00","level":"WARN","msg":"retrying","service":"checkout","request_id":"r1","attempt":3,"duration":1500000,"error_kind":"timeout","dependency":"payments","tenant":"acme","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}"#
        #expect(detect(slog) == .slog)
        let e = parse(slog, .slog).event
        #expect(e.level == .warn && e.attempt == 3 && e.retries == 2 && e.duration == 0.0015)
        #expect(e.time == Timestamp(milliseconds: 1_795_551_061_123))
        #expect(e.traceID == "4bf92f3577b34da6a3ce929d0e0e4736" && e.spanID == "00f067aa0ba902b7")
        #expect(e.errorKind == "timeout" && e.dependency == "payments" && e.tenant == "acme" && e.service == "checkout")

        let zap = #"{"level":"error","ts":1795554661.5,"caller":"srv/main.go:42","msg":"upstream failed","status":502,"duration":0.25}"#
        #expect(detect(zap) == .zap)
        let z = parse(zap, .zap).event
        #expect(z.level == .error && z.status == 502 && z.duration == 0.25 && z.time == Timestamp(milliseconds: 1_795_554_661_500))

        let zerolog = #"{"level":"info","time":1795554661,"message":"served","status":200,"duration":12.5}"#
        #expect(detect(zerolog) == .zerolog)
        let zl = parse(zerolog, .zerolog).event
        #expect(zl.message == "served" && zl.duration == 0.0125 && zl.time == Timestamp(milliseconds: 1_795_554_661_000))

        let logrus = #"{"level":"warning","msg":"slow","time":"2026-11-24T21:11:01Z","retries":2}"#
        #expect(detect(logrus) == .logrus)
        let lr = parse(logrus, .logrus).event
        #expect(lr.level == .warn && lr.retries == 2)

        let bunyan = #"{"name":"api","hostname":"h1","pid":7,"level":50,"msg":"boom","time":"2026-11-24T21:11:01.000Z","v":0,"req_id":"abc","res":{"statusCode":500},"latency":42}"#
        #expect(detect(bunyan) == .bunyan)
        let b = parse(bunyan, .bunyan).event
        #expect(b.level == .error && b.service == "api" && b.instance == "h1" && b.status == 500 && b.duration == 0.042 && b.requestID == "abc")

        let ecs = #"{"@timestamp":"2026-11-24T21:11:01.5Z","log.level":"error","message":"db down","ecs.version":"1.6.0","service":{"name":"orders"},"http":{"request":{"method":"POST"},"response":{"status_code":503}},"url":{"path":"/o"},"event":{"duration":2500000},"trace":{"id":"t1"},"error":{"type":"ConnRefused"}}"#
        #expect(detect(ecs) == .ecs)
        let ec = parse(ecs, .ecs).event
        #expect(ec.level == .error && ec.service == "orders" && ec.method == "POST" && ec.status == 503 && ec.path == "/o")
        #expect(ec.duration == 0.0025 && ec.traceID == "t1" && ec.errorKind == "ConnRefused")

        let otel = #"{"timeUnixNano":"1795554661000000000","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"charge failed"},"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","attributes":{"http.response.status_code":500}}"#
        #expect(detect(otel) == .otel)
        let ot = parse(otel, .otel).event
        #expect(ot.level == .error && ot.message == "charge failed" && ot.traceID == "5b8efff798038103d269b633813fc60c")
        #expect(ot.time == Timestamp(milliseconds: 1_795_554_661_000) && ot.status == 500)

        let envoy = #"{"start_time":"2026-11-24T21:11:01.123Z","method":"GET","path":"/api?x=1","protocol":"HTTP/1.1","response_code":503,"response_flags":"UF","bytes_received":0,"duration":31,"upstream_cluster":"backend","upstream_host":"10.0.0.1:80","x_request_id":"e1","upstream_request_attempt_count":2}"#
        #expect(detect(envoy) == .envoy)
        let en = parse(envoy, .envoy).event
        #expect(en.status == 503 && en.duration == 0.031 && en.path == "/api" && en.dependency == "backend" && en.errorKind == "UF" && en.attempt == 2)

        let nginx = #"{"time_iso8601":"2026-11-24T21:11:01+00:00","remote_addr":"127.0.0.1","request_method":"GET","uri":"/x","status":"404","request_time":"0.004","request_id":"n1","upstream_response_time":"-"}"#
        #expect(detect(nginx) == .nginx)
        let ng = parse(nginx, .nginx).event
        #expect(ng.status == 404 && ng.duration == 0.004 && ng.method == "GET" && ng.requestID == "n1")
    }

    @Test func mixedSourcesTellDurationUnitsApart() throws {
        let lines = [
            #"{"time":"2026-11-24T21:11:01Z","level":"INFO","msg":"a","duration":1500000}"#,
            #"{"level":"info","ts":1795554661.5,"logger":"http.log.access","msg":"handled request","request":{"method":"GET"},"status":200,"duration":0.25}"#,
        ].map { Array($0.utf8) }
        #expect(LogPresetDetector.detect(lines) == .json)
        let (events, _) = try decodeAll(lines)
        #expect(events.map(\.duration) == [0.0015, 0.25])
    }

    @Test func fieldsMappingOverrides() throws {
        let m = try LogPreset.slog.mapping.overriding(["status": "http.code", "duration": "took:ms", "message": "text"])
        var p = LogLineParser(preset: .slog, mapping: m)
        let line = Array(#"{"time":"2026-11-24T21:11:01Z","level":"INFO","text":"hi","status":1,"http":{"code":418},"took":250}"#.utf8)
        let e = line.withUnsafeBufferPointer { p.parse($0) }.event
        #expect(e.status == 418 && e.duration == 0.25 && e.message == "hi")
        #expect(throws: BurnwatchError.self) { try LogPreset.slog.mapping.overriding(["nonsense": "x"]) }
    }

    @Test func badInputIsCountedAndTheStreamGoesOn() throws {
        let lines: [[UInt8]] = [
            Array(#"{"time":"2026-11-24T21:11:01Z","level":"INFO","msg":"ok"}"#.utf8),
            Array(#"{"time":"yesterday at noon","level":"INFO","msg":"odd time"}"#.utf8),
            Array(#"{"time":"2026-11-24T21:11:01Z","level":"INFO","msg": broken"#.utf8),
            [0x7B, 0x22, 0x6D, 0x73, 0x67, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D],
            Array("plain text line".utf8),
            Array(("{\"a\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}").utf8),
            Array(#"{"time":"2026-11-24T21:11:02Z","level":"ERROR","msg":"still going"}"#.utf8),
        ]
        var d = try LogStreamDecoder(source: "bad", preset: .slog)
        var out: [LogStreamDecoder.Decoded] = []
        for l in lines { out += d.decode(l) }
        #expect(out.count == lines.count)
        #expect(d.timeUnparsed == 1)
        #expect(d.invalidUTF8 == 1)
        #expect(d.unparsed == 3)   // broken JSON, plain text, too deep
        #expect(out[2].result.problem?.contains("invalid JSON at column") == true)
        #expect(out[5].result.problem?.contains("deeper") == true)
        #expect(out[3].result.event.fields.first?.1.contains("\u{FFFD}") == true)
        #expect(out[6].result.event.level == .error)
        #expect(d.problems.count >= 4)
    }

    @Test func timeFormats() {
        let cases: [(String, Int64)] = [
            ("2026-11-24T21:11:01Z", 1_795_554_661_000),
            ("2026-11-24T21:11:01.5+00:00", 1_795_554_661_500),
            ("2026-11-24 21:11:01,250", 1_795_554_661_250),
            ("2026-11-24 21:11:01.123 +0000 UTC", 1_795_554_661_123),
            ("2026-11-24T22:11:01+0100", 1_795_554_661_000),
            ("24/Nov/2026:21:11:01 +0000", 1_795_554_661_000),
            ("1795554661", 1_795_554_661_000),
            ("1795554661.25", 1_795_554_661_250),
            ("1795554661250", 1_795_554_661_250),
            ("1795554661250000", 1_795_554_661_250),
            ("1795554661250000000", 1_795_554_661_250),
        ]
        for (text, ms) in cases { #expect(LogTime.parse(text: text) == Timestamp(milliseconds: ms), "\(text)") }
        #expect(LogTime.parse(text: "yesterday") == nil)
        #expect(LogTime.parse(text: "") == nil)
    }

    @Test func levels() {
        #expect(LogLevel.named("WARNING") == .warn)
        #expect(LogLevel.named("Err") == .error)
        #expect(LogLevel.named("dpanic") == .fatal)
        #expect(LogLevel.named("30") == .info)
        #expect(LogLevel.numbered(17) == .error)
        #expect(LogLevel.named("chatty") == .unknown)
    }
}
