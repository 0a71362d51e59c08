import BurnwatchTestSupport
import Foundation

/// The bundled demo incident, recorded from real servers: HAProxy with L7 retries in front of two
/// backends with bounded worker pools, clients that retry and log every attempt, and
/// `burnwatch record` beside them. The backends' dependency first fails on one backend, then on
/// both, then comes back slow, so the pools saturate; the clients retry without jitter, then with
/// it; then everything recovers.
struct DemoIncident {
    /// One step of the script: how long it lasts (seconds, before scaling) and what it changes.
    struct Phase {
        var name: String
        var seconds: Double
        var a: LabBackend.Mode
        var b: LabBackend.Mode
        var jitter: Bool
    }

    static let phases: [Phase] = [
        Phase(name: "healthy", seconds: 60, a: .healthy, b: .healthy, jitter: false),
        Phase(name: "a's dependency fails: HAProxy retries on b", seconds: 90, a: .failing, b: .healthy, jitter: false),
        Phase(name: "the dependency fails for both: errors reach the clients, who retry without jitter", seconds: 90,
              a: .failing, b: .failing, jitter: false),
        Phase(name: "the dependency is back but slow: the pools saturate; the clients now retry with jitter", seconds: 150,
              a: .slow(milliseconds: 450), b: .slow(milliseconds: 450), jitter: true),
        Phase(name: "recovery", seconds: 150, a: .healthy, b: .healthy, jitter: true),
    ]

    /// The configuration the recorder runs with.
    static func config(haproxy: HAProxyProcess, a: LabBackend, b: LabBackend, log: String) -> String {
        """
        # The demo incident's configuration (made by `make demo-record`).
        services:
          - name: orders-api
            targets:
              - {url: "\(haproxy.metricsURL)", interval: 5s, timeout: 2s}
              - {url: "http://127.0.0.1:\(a.port)/metrics", interval: 5s, timeout: 2s, labels: {backend: a}}
              - {url: "http://127.0.0.1:\(b.port)/metrics", interval: 5s, timeout: 2s, labels: {backend: b}}
            signals:
              retry_storm: {for: 20s}
              saturation: {for: 20s}
          - name: checkout
            signals:
              retry_storm: {for: 20s}
        log_sources:
          - service: checkout
            files: ["\(log)"]
        slos:
          - service: orders-api
            name: availability
            objective: 99.5
            period: 30d
            min_events: 10
            sli:
              events:
                error_query: sum(rate(haproxy_frontend_http_responses_total{proxy="orders",code="5xx"}[{{.window}}]))
                total_query: sum(rate(haproxy_frontend_http_responses_total{proxy="orders"}[{{.window}}]))
          - service: checkout
            name: latency
            objective: 99
            period: 30d
            min_events: 10
            sli:
              latency:
                histogram: log_request_duration_seconds
                threshold: 0.5
                selector: '{service="checkout"}'

        """
    }

    /// Runs the lab and the recorder; the recording ends up at `out`.
    ///
    /// - Parameters:
    ///   - burnwatch: the `burnwatch` binary.
    ///   - scale: the phases' lengths are multiplied by it (tests run it shorter).
    static func record(burnwatch: String, out: String, scale: Double) throws {
        let a = try LabBackend(name: "a"), b = try LabBackend(name: "b")
        defer { a.stop(); b.stop() }
        let haproxy = try HAProxyProcess(backends: [a.port, b.port], maxconn: 4)
        defer { haproxy.stop() }
        let dir = try TestPaths.makeTemporaryDirectory("burnwatch-demo-lab")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("checkout.log").path
        let configPath = dir.appendingPathComponent("burnwatch.yaml").path
        try config(haproxy: haproxy, a: a, b: b, log: log).write(toFile: configPath, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: log, contents: nil)
        let total = phases.reduce(0) { $0 + $1.seconds } * scale
        let recorderLog = dir.appendingPathComponent("record.log").path
        let recorder = try ChildProcess(burnwatch, ["record", "--config", configPath, "--out", out, "--duration", "\(Int(total.rounded(.up)) + 3)s"],
                                        stdout: recorderLog, stderr: nil)
        Thread.sleep(forTimeInterval: 1)
        let clients = try LabRetryingClients(port: haproxy.frontendPort, logPath: log, clients: 8, perClient: 4)
        defer { clients.stop() }
        let load = LabLoad(port: haproxy.frontendPort, clients: 4, perClient: 4)
        defer { load.stop() }
        for phase in phases {
            print("demo-record: \(phase.name) (\(Int(phase.seconds * scale)) s)")
            a.set(phase.a)
            b.set(phase.b)
            clients.setJitter(phase.jitter)
            Thread.sleep(forTimeInterval: phase.seconds * scale)
        }
        let result = recorder.wait(timeout: 60)
        print("demo-record: recorder exited \(result.map(String.init) ?? "late"); clients' final answers \(clients.statuses)")
        print((try? String(contentsOfFile: recorderLog, encoding: .utf8)) ?? "")
    }
}
