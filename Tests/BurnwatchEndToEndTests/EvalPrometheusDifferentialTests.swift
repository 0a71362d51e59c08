import BurnwatchTestSupport
import Foundation
import Testing

/// `burnwatch eval --promql-compat 2` against a real Prometheus 2.42 on the same backfilled data:
/// every window's error ratio and burn rate agree within 1e-6 relative at every step.
@Suite(.serialized) struct EvalPrometheusDifferentialTests {
    let T0 = 1_767_225_600  // 2026-01-01T00:00:00Z
    let scrape = 15

    /// Two days of traffic with a known error history: a low baseline, a 5% incident, a 3-minute
    /// full outage, a slow 0.5% burn, a process restart (counter reset) and jittered traffic.
    func history() -> [EvalTestData.Counter] {
        let end = T0 + 2 * 86_400
        var ok: [Int: Double] = [:], bad: [Int: Double] = [:]
        var okTotal = 500.0, badTotal = 3.0
        var seed: UInt64 = 42
        func ratio(_ t: Int) -> Double {
            let s = t - T0
            switch s {
            case 36_000..<37_200: return 0.05        // 10:00–10:20 incident
            case 50_000..<50_180: return 1.0         // a 3-minute outage
            case 90_000..<120_000: return 0.005      // slow burn
            default: return 0.001
            }
        }
        var t = T0
        while t <= end {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let jitter = Double(seed >> 40) / Double(1 << 24)  // 0..<1
            let requests = (8 + 4 * jitter) * Double(scrape)
            let r = ratio(t)
            if t - T0 == 70_000 { okTotal = 0; badTotal = 0 }  // restart: both counters reset
            okTotal += requests * (1 - r)
            badTotal += requests * r
            ok[t] = (okTotal * 1000).rounded() / 1000
            bad[t] = (badTotal * 1000).rounded() / 1000
            t += scrape
        }
        // a second error series that only appears with the incident and is gone after the restart
        let late = { (t: Int) -> Double? in
            let s = t - T0
            return s >= 36_000 && s < 70_000 ? Double((s - 36_000) / 60) : nil
        }
        return [EvalTestData.Counter(labels: "job=\"api\",code=\"200\"") { ok[$0]! },
                EvalTestData.Counter(labels: "job=\"api\",code=\"503\"") { bad[$0]! },
                EvalTestData.Counter(labels: "job=\"api\",code=\"502\"", value: late)]
    }

    /// Backfills `history()` into a temporary TSDB, starts Prometheus on a free loopback port and
    /// runs `body` with the port and the data and Sloth files; always stops the server.
    func withPrometheus(_ body: (Int, URL, URL) throws -> Void) throws {
        guard let prometheus = TestPaths.which("prometheus"), let promtool = TestPaths.which("promtool") else {
            Issue.record("prometheus and promtool are needed (make deps)"); return
        }
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("history.om"), slos = dir.appendingPathComponent("slos.yaml")
        let tsdb = dir.appendingPathComponent("tsdb"), config = dir.appendingPathComponent("prometheus.yml")
        try EvalTestData.write(history(), from: T0, to: T0 + 2 * 86_400, interval: scrape, to: data)
        try EvalTestData.slothFile(service: "api", job: "api", objective: "99.9", to: slos)
        try "global:\n  scrape_interval: 1m\n".write(to: config, atomically: true, encoding: .utf8)
        let backfill = try ProcessRunner.run(promtool, ["tsdb", "create-blocks-from", "openmetrics", data.path, tsdb.path], timeout: 120)
        try #require(backfill.status == 0, "\(backfill.stderrText)")

        let port = FreePort.next()
        let server = try ChildProcess(prometheus, ["--config.file=\(config.path)", "--storage.tsdb.path=\(tsdb.path)",
                                                   "--web.listen-address=127.0.0.1:\(port)", "--storage.tsdb.retention.time=100y"])
        defer { server.stop() }
        try #require(FreePort.waitUntilListening(port, timeout: 60))
        try body(port, data, slos)
    }

    @Test func errorRatiosAndBurnRatesMatchPrometheus() throws {
        try withPrometheus { port, data, slos in try compareWithPrometheus(port: port, data: data, slos: slos) }
    }

    /// Local or remote, same text: the SLO evaluated by the server (config `query_api`) and by the
    /// embedded engine on the same data give the same numbers and the same alerts.
    @Test func remoteQueryAPIAndLocalFilesGiveTheSameSLOs() throws {
        try withPrometheus { port, data, slos in
            let config = data.deletingLastPathComponent().appendingPathComponent("remote.yaml")
            try """
            services:
              - name: api
                query_api:
                  url: http://127.0.0.1:\(port)
            slo_files: [slos.yaml]
            """.write(to: config, atomically: true, encoding: .utf8)
            let range = ["--from", "\(T0 + 7200)", "--to", "\(T0 + 2 * 86_400)", "--every", "1h"]
            let remote = try EvalTestData.eval(["--config", config.path] + range)
            let local = try EvalTestData.eval(["--slos", slos.path, "--metrics", data.path, "--promql-compat", "2"] + range)
            try #require(remote.objects.count == 47, "\(remote.stderr)")
            try #require(local.objects.count == 47, "\(local.stderr)")
            #expect(remote.status == local.status)
            var compared = 0
            for (r, l) in zip(remote.objects, local.objects) {
                let rs = try #require(r.firstSLO), ls = try #require(l.firstSLO)
                #expect(rs["state"] as? String == ls["state"] as? String)
                #expect((rs["alerts"] as? [[String: Any]])?.map { $0["firing"] as? Bool } == (ls["alerts"] as? [[String: Any]])?.map { $0["firing"] as? Bool })
                for key in ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "period"] {
                    for field in ["error_ratio", "burn_rate", "events"] {
                        let a = rs.window(key, field), b = ls.window(key, field)
                        #expect((a == nil) == (b == nil), "\(key) \(field) at \(r["at"]!)")
                        if let a, let b { #expect(abs(a - b) <= 1e-6 * max(abs(b), 1e-12), "\(key) \(field): \(a) vs \(b)"); compared += 1 }
                    }
                }
                if let a = rs["budget_remaining"] as? Double, let b = ls["budget_remaining"] as? Double { #expect(abs(a - b) <= 1e-6 * max(abs(b), 1e-12)) }
            }
            #expect(compared > 1000)
        }
    }

    /// An incident window imported from the real server into a recording replays to the same
    /// SLO numbers as the files the server was backfilled from.
    @Test func importFromPrometheusReplaysToTheSameSLOsAsTheFiles() throws {
        try withPrometheus { port, data, slos in
            let dir = data.deletingLastPathComponent()
            let config = dir.appendingPathComponent("import.yaml")
            try "services:\n  - name: api\nslo_files: [\"\(slos.path)\"]\n".write(to: config, atomically: true, encoding: .utf8)
            let out = dir.appendingPathComponent("imported.burnwatch").path
            let run = try ProcessRunner.burnwatch(["import", "prometheus", "--url", "http://127.0.0.1:\(port)", "--from", "\(T0)",
                                                   "--to", "\(T0 + 2 * 86_400)", "--config", config.path, "--out", out, "--round", "1h"],
                                                  timeout: 300)
            try #require(run.status == 0, "\(run.stderrText)")
            // every sample of the files, none lost or doubled: a differing count would also move the
            // long windows' rates (their extrapolation reads the average sample spacing)
            let written = history().reduce(0) { n, c in n + stride(from: T0, through: T0 + 2 * 86_400, by: scrape).filter { c.value($0) != nil }.count }
            #expect(run.stderrText.contains("3 series, \(written) samples"), "\(run.stderrText)")
            let range = ["--from", "\(T0 + 7200)", "--to", "\(T0 + 2 * 86_400)", "--every", "1h"]
            let replayed = try EvalTestData.eval(["--recording", out] + range)
            let local = try EvalTestData.eval(["--slos", slos.path, "--metrics", data.path] + range)
            try #require(replayed.objects.count == 47, "\(replayed.stderr)")
            try #require(local.objects.count == 47, "\(local.stderr)")
            var compared = 0
            for (r, l) in zip(replayed.objects, local.objects) {
                #expect(r["at"] as? Double == l["at"] as? Double)
                let rs = try #require(r.firstSLO), ls = try #require(l.firstSLO)
                #expect(rs["state"] as? String == ls["state"] as? String, "at \(r["at"]!)")
                for key in ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "period"] {
                    for field in ["error_ratio", "burn_rate", "events"] {
                        let a = rs.window(key, field), b = ls.window(key, field)
                        #expect((a == nil) == (b == nil), "\(key) \(field) at \(r["at"]!)")
                        if let a, let b { #expect(abs(a - b) <= 1e-9 * max(abs(b), 1e-12), "\(key) \(field): \(a) vs \(b)"); compared += 1 }
                    }
                }
            }
            #expect(compared > 1000)
        }
    }

    func compareWithPrometheus(port: Int, data: URL, slos: URL) throws {
        let start = T0 + 3600, end = T0 + 2 * 86_400, step = 877  // not aligned with the scrapes
        let run = try EvalTestData.eval(["--metrics", data.path, "--slos", slos.path, "--promql-compat", "2",
                                         "--from", "\(start)", "--to", "\(end)", "--every", "\(step)s"])
        try #require(run.status == 0 || run.status == 2, "\(run.stderr)")
        let ours = run.objects.compactMap(\.firstSLO)
        try #require(ours.count == (end - start) / step + 1)

        var compared = 0
        for (key, window) in [("5m", "5m"), ("30m", "30m"), ("1h", "1h"), ("2h", "2h"), ("6h", "6h"), ("1d", "1d"), ("3d", "3d"), ("period", "30d")] {
            let e = "sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[\(window)]))"
            let n = "sum(rate(http_requests_total{job=\"api\"}[\(window)]))"
            let ratio = "(\(e)) / (\(n))"
            for (field, expr) in [("error_ratio", ratio), ("burn_rate", "(\(ratio)) / (1 - 0.999)")] {
                let theirs = try rangeQuery(port: port, expr, start: start, end: end, step: step)
                try #require(!theirs.isEmpty, "Prometheus returned nothing for \(expr)")
                for (k, slo) in ours.enumerated() {
                    let t = start + k * step
                    let mine = slo.window(key, field)
                    guard let want = theirs[t] else { #expect(mine == nil, "\(key) \(field) at \(t)"); continue }
                    guard let mine else { Issue.record("\(key) \(field) at \(t): null, Prometheus \(want)"); continue }
                    #expect(abs(mine - want) <= 1e-6 * max(abs(want), 1e-12), "\(key) \(field) at \(t): \(mine) vs \(want)")
                    compared += 1
                }
            }
        }
        #expect(compared > 3000)
    }

    /// Prometheus's `/api/v1/query_range` values by time.
    func rangeQuery(port: Int, _ expr: String, start: Int, end: Int, step: Int) throws -> [Int: Double] {
        let r = try ProcessRunner.run("/usr/bin/curl", ["-sf", "-G", "http://127.0.0.1:\(port)/api/v1/query_range",
                                                        "--data-urlencode", "query=\(expr)", "--data-urlencode", "start=\(start)",
                                                        "--data-urlencode", "end=\(end)", "--data-urlencode", "step=\(step)"], timeout: 60)
        guard r.status == 0, let json = try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any],
              let result = (json["data"] as? [String: Any])?["result"] as? [[String: Any]] else {
            throw BurnwatchTestError("query_range failed: \(r.stderrText) \(r.stdoutText)")
        }
        var out: [Int: Double] = [:]
        for series in result {
            for case let pair as [Any] in (series["values"] as? [Any]) ?? [] {
                guard let t = pair.first as? NSNumber, let v = (pair.last as? String).flatMap(Double.init), v.isFinite else { continue }
                out[t.intValue] = v
            }
        }
        return out
    }
}

struct BurnwatchTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
