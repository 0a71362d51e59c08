import BurnwatchTestSupport
import Foundation

/// OpenMetrics files with a known error history, written for `burnwatch eval` and promtool.
struct EvalTestData {
    /// One counter series: labels and a function from time (Unix seconds) to its value.
    struct Counter {
        var labels: String
        /// The value at a time, or nil where the series does not exist.
        var value: (Int) -> Double?
    }

    /// Writes `http_requests_total` counters sampled every `interval` seconds over [from, to].
    static func write(_ counters: [Counter], metric: String = "http_requests", from: Int, to: Int, interval: Int, to url: URL) throws {
        try write(families: [(metric, "counter", counters)], from: from, to: to, interval: interval, to: url)
    }

    /// Writes metric families (name, OpenMetrics type, series) sampled every `interval` seconds.
    ///
    /// Each series' samples are contiguous and in time order, as promtool and the loader want;
    /// a counter's samples are named `<name>_total`, others `<name>`.
    static func write(families: [(String, String, [Counter])], from: Int, to: Int, interval: Int, to url: URL) throws {
        var out = ""
        for (name, type, series) in families {
            out += "# HELP \(name) Test data.\n# TYPE \(name) \(type)\n"
            let sample = type == "counter" ? name + "_total" : name
            for c in series {
                var t = from
                while t <= to {
                    if let v = c.value(t) { out += "\(sample){\(c.labels)} \(format(v)) \(t)\n" }
                    t += interval
                }
            }
        }
        out += "# EOF\n"
        try out.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A number without a needless exponent or trailing `.0`.
    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    /// Requests at `rps`, a fraction `ratio` failing from `errorsStart` (none before); the two
    /// series `code="200"` and `code="500"` for `job`. Totals start high so no counter starts at 0.
    static func constantErrors(job: String, rps: Double, ratio: Double, errorsStart: Int, dataStart: Int) -> [Counter] {
        let base = 1000.0
        return [
            Counter(labels: "job=\"\(job)\",code=\"200\"") { t in
                base + rps * Double(t - dataStart) - rps * ratio * Double(max(0, t - errorsStart))
            },
            Counter(labels: "job=\"\(job)\",code=\"500\"") { t in rps * ratio * Double(max(0, t - errorsStart)) },
        ]
    }

    /// Writes a Sloth SLO file for `job` with the usual availability queries.
    static func slothFile(service: String, job: String, objective: String, to url: URL) throws {
        let text = """
        version: "prometheus/v1"
        service: "\(service)"
        slos:
          - name: "availability"
            objective: \(objective)
            sli:
              events:
                error_query: sum(rate(http_requests_total{job="\(job)",code=~"5.."}[{{.window}}]))
                total_query: sum(rate(http_requests_total{job="\(job)"}[{{.window}}]))
        """
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Runs `burnwatch eval` and parses each output line as a JSON object.
    static func eval(_ arguments: [String]) throws -> (status: Int32, objects: [[String: Any]], stderr: String) {
        let result = try ProcessRunner.burnwatch(["eval"] + arguments, timeout: 300)
        let objects = result.stdoutText.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        return (result.status, objects, result.stderrText)
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The first SLO of an eval object.
    var firstSLO: [String: Any]? { (self["slos"] as? [[String: Any]])?.first }
    /// An alert of an SLO object by its factor.
    func alert(factor: Double) -> [String: Any]? {
        (self["alerts"] as? [[String: Any]])?.first { ($0["factor"] as? Double) == factor }
    }
    /// A window's number (nil when null).
    func window(_ key: String, _ field: String) -> Double? {
        ((self["windows"] as? [String: Any])?[key] as? [String: Any])?[field] as? Double
    }
}
