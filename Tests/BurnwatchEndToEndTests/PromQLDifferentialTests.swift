import BurnwatchTestSupport
import Foundation
import Testing

/// Runs the same PromQL through a real Prometheus 2.x (on backfilled data) and through
/// `burnwatch query --promql-compat 2`, and requires the same series and values.
@Suite(.serialized) struct PromQLDifferentialTests {
    /// A Prometheus server on a backfilled TSDB, stopped by `stop()`.
    final class PrometheusServer: @unchecked Sendable {
        private(set) var process: ChildProcess?
        let port: Int
        let dir: URL

        init(data: URL, dir: URL) throws {
            guard let promtool = TestPaths.which("promtool"), let prometheus = TestPaths.which("prometheus") else {
                throw BurnwatchTestFailure("prometheus and promtool must be installed (make deps)")
            }
            self.dir = dir
            let tsdb = dir.appendingPathComponent("tsdb")
            let backfill = try ProcessRunner.run(promtool, ["tsdb", "create-blocks-from", "openmetrics", data.path, tsdb.path], timeout: 60)
            guard backfill.status == 0 else { throw BurnwatchTestFailure("promtool failed: \(backfill.stderrText) \(backfill.stdoutText)") }
            let config = dir.appendingPathComponent("prometheus.yml")
            try "global:\n  scrape_interval: 1m\nscrape_configs: []\n".write(to: config, atomically: true, encoding: .utf8)
            port = FreePort.next()
            process = try ChildProcess(prometheus, ["--storage.tsdb.path=\(tsdb.path)", "--web.listen-address=127.0.0.1:\(port)",
                                                    "--config.file=\(config.path)", "--storage.tsdb.retention.time=100y", "--log.level=warn"])
        }

        /// Waits for `/-/ready` to answer 200.
        func waitReady(timeout: TimeInterval = 30) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let r = try? ProcessRunner.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/-/ready"], timeout: 5),
                   r.stdoutText == "200" { return true }
                usleep(200_000)
            }
            return false
        }

        func query(_ path: String, _ params: [(String, String)]) throws -> String {
            var args = ["-s", "-G", "http://127.0.0.1:\(port)\(path)"]
            for (k, v) in params { args += ["--data-urlencode", "\(k)=\(v)"] }
            return try ProcessRunner.run("/usr/bin/curl", args, timeout: 20).stdoutText
        }

        func stop() {
            process?.stop()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    struct BurnwatchTestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// One query's answer reduced for comparison: labels → [(time, value)].
    struct Answer: Equatable {
        var status: String
        var resultType: String
        var series: [String: [(Double, Double, String)]]
        static func == (a: Answer, b: Answer) -> Bool {
            guard a.status == b.status else { return false }
            if a.status != "success" { return true }
            guard a.resultType == b.resultType, Set(a.series.keys) == Set(b.series.keys) else { return false }
            for (k, pa) in a.series {
                let pb = b.series[k]!
                guard pa.count == pb.count else { return false }
                for (x, y) in zip(pa, pb) {
                    guard x.0 == y.0, PromQLDifferentialTests.close(x.1, y.1) else { return false }
                    // Equal numbers must be written the same way (number formatting).
                    if x.1 == y.1, x.2 != y.2 { return false }
                }
            }
            return true
        }
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    static func parseValue(_ any: Any) -> (Double, Double, String)? {
        guard let pair = any as? [Any], pair.count == 2, let t = (pair[0] as? NSNumber)?.doubleValue, let s = pair[1] as? String else { return nil }
        let v: Double
        switch s { case "NaN": v = .nan; case "+Inf": v = .infinity; case "-Inf": v = -.infinity; default: v = Double(s) ?? .nan }
        return (t, v, s)
    }

    static func answer(_ json: String) -> Answer? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], let status = obj["status"] as? String else { return nil }
        guard status == "success", let data = obj["data"] as? [String: Any], let type = data["resultType"] as? String else {
            return Answer(status: status, resultType: "", series: [:])
        }
        var series: [String: [(Double, Double, String)]] = [:]
        if type == "scalar" || type == "string" {
            if let r = data["result"], let p = parseValue(r) { series["scalar"] = [p] }
        } else if let result = data["result"] as? [[String: Any]] {
            for s in result {
                let metric = (s["metric"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                if let v = s["value"], let p = parseValue(v) { series[metric, default: []].append(p) }
                if let vs = s["values"] as? [Any] { series[metric, default: []] += vs.compactMap(parseValue) }
            }
        }
        return Answer(status: status, resultType: type, series: series)
    }

    /// The first difference between two answers, readable.
    static func explain(_ a: Answer?, _ b: Answer?, _ prom: String, _ mine: String) -> String {
        guard let a, let b, a.status == "success", b.status == "success", a.resultType == b.resultType else {
            return "  prometheus: \(prom.prefix(600))\n  burnwatch:  \(mine.prefix(600))"
        }
        for k in Set(a.series.keys).union(b.series.keys).sorted() {
            guard let pa = a.series[k] else { return "  only burnwatch has {\(k)}: \(b.series[k]!.prefix(5))" }
            guard let pb = b.series[k] else { return "  only prometheus has {\(k)}: \(pa.prefix(5))" }
            for j in 0..<max(pa.count, pb.count) {
                let x = j < pa.count ? "\(pa[j])" : "-", y = j < pb.count ? "\(pb[j])" : "-"
                if j >= pa.count || j >= pb.count || pa[j].0 != pb[j].0 || !close(pa[j].1, pb[j].1) || (pa[j].1 == pb[j].1 && pa[j].2 != pb[j].2) {
                    return "  {\(k)} point \(j): prometheus \(x), burnwatch \(y)"
                }
            }
        }
        return "  (no difference found)"
    }

    @Test func burnwatchAnswersLikePrometheus2() throws {
        let dir = try TestPaths.makeTemporaryDirectory("promql-diff")
        let data = dir.appendingPathComponent("data.om")
        try PromQLDifferentialData.openMetrics().write(to: data, atomically: true, encoding: .utf8)
        let server = try PrometheusServer(data: data, dir: dir)
        defer { server.stop() }
        #expect(server.waitReady(), "prometheus did not become ready")

        struct Case: Sendable { var expr: String; var at: Double? }
        var cases: [Case] = []
        for e in PromQLDifferentialData.expressions {
            for t in PromQLDifferentialData.instantTimes { cases.append(Case(expr: e, at: t)) }
            cases.append(Case(expr: e, at: nil))
        }
        let (rs, re, step) = PromQLDifferentialData.range
        let results = UnsafeMutableBufferPointer<String?>.allocate(capacity: cases.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let casesCopy = cases
        let dataPath = data.path
        nonisolated(unsafe) let out = results
        DispatchQueue.concurrentPerform(iterations: casesCopy.count) { i in
            let c = casesCopy[i]
            do {
                let prom: String
                let mine: ProcessResult
                if let at = c.at {
                    prom = try server.query("/api/v1/query", [("query", c.expr), ("time", String(at))])
                    mine = try ProcessRunner.burnwatch(["query", "--metrics", dataPath, "--promql-compat", "2", "--at", String(at), "--", c.expr], timeout: 60)
                } else {
                    prom = try server.query("/api/v1/query_range", [("query", c.expr), ("start", String(rs)), ("end", String(re)), ("step", String(step))])
                    mine = try ProcessRunner.burnwatch(["query", "--metrics", dataPath, "--promql-compat", "2",
                                                        "--start", String(rs), "--end", String(re), "--step", String(step), "--", c.expr], timeout: 60)
                }
                let a = Self.answer(prom), b = Self.answer(mine.stdoutText)
                if a == nil || b == nil || a! != b! {
                    out[i] = "\(c.expr) @ \(c.at.map { String($0) } ?? "range")\n" + Self.explain(a, b, prom, mine.stdoutText + mine.stderrText)
                }
            } catch {
                out[i] = "\(c.expr): \(error)"
            }
        }
        let failures = results.compactMap { $0 }
        for f in failures.prefix(25) { Issue.record(Comment(rawValue: f)) }
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) queries differ")
    }
}
