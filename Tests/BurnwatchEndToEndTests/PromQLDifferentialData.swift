import BurnwatchCore
import Foundation

/// OpenMetrics data with the hard cases of PromQL, and the expressions run against it.
enum PromQLDifferentialData {
    /// Start of the data (Unix seconds); far in the past so Prometheus's head block stays empty.
    static let t0: Int64 = 1_700_000_000
    /// Length of the data (seconds).
    static let span: Int64 = 4200

    /// A deterministic pseudo-random generator (Core's SplitMix64) with the draws the data uses.
    struct Random {
        var base: SeededRandom
        init(state: UInt64) { base = SeededRandom(seed: state) }
        mutating func next() -> UInt64 { base.next() }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    struct Series {
        var labels: String
        var samples: [(Int64, Double)]   // milliseconds, value
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        return "\(v)"
    }

    /// Builds the OpenMetrics body.
    static func openMetrics() -> String {
        var rng = Random(state: 42)
        var families: [(name: String, type: String, series: [Series])] = []
        let start = t0 * 1000, end = (t0 + span) * 1000
        let mid = (t0 + 1800) * 1000  // the interesting region starts at 30m

        // Counters.
        var counters: [Series] = []
        func counter(_ caseName: String, step: Int64 = 15_000, jitter: Int64 = 0, from: Int64 = start, to: Int64 = end,
                     initial: Double = 0, skip: (Int64) -> Bool = { _ in false }, value: (Int64, Double, inout Random) -> Double) {
            var s = Series(labels: "case=\"\(caseName)\",job=\"api\"", samples: [])
            var v = initial
            var t = from
            var first = true
            while t <= to {
                let ts = t + (jitter > 0 ? Int64(rng.int(Int(jitter))) : 0)
                if !skip(t) {
                    if !first { v = value(t, v, &rng) }
                    first = false
                    s.samples.append((ts, v))
                }
                t += step
            }
            counters.append(s)
        }
        counter("steady") { _, v, r in v + Double(r.int(10)) }
        counter("jitter", jitter: 900) { _, v, r in v + Double(r.int(20)) + 0.5 }
        counter("reset1") { t, v, r in t == mid + 60_000 ? 3 : v + Double(r.int(7)) }
        counter("reset2") { t, v, r in (t == mid + 60_000 || t == mid + 150_000) ? Double(r.int(3)) : v + Double(1 + r.int(7)) }
        counter("gap_short", skip: { $0 > mid && $0 < mid + 120_000 }) { _, v, r in v + Double(r.int(9)) }
        counter("gap_long", skip: { $0 > mid && $0 < mid + 600_000 }) { _, v, r in v + Double(r.int(9)) }
        counter("born_zero", from: mid - 120_000) { _, v, r in v + Double(1 + r.int(9)) }
        counter("born_nonzero", from: mid - 45_000, initial: 500) { _, v, r in v + Double(1 + r.int(9)) }
        counter("dies", to: mid + 30_000) { _, v, r in v + Double(r.int(9)) }
        counter("nan", step: 10_000) { t, v, r in (t / 10_000) % 17 == 0 ? .nan : (v.isNaN ? 100 : v) + Double(r.int(9)) }
        counter("big53", initial: 9_007_199_254_740_992) { _, v, r in v + Double(2 * r.int(1000)) }
        counter("near64", initial: 18_446_744_073_709_000_000) { t, v, r in t == mid + 60_000 ? 12345 : v + Double(4096 * r.int(50)) }
        counter("slow", step: 60_000) { _, v, r in v + Double(r.int(100)) }
        families.append(("req", "counter", counters.map { var s = $0; s.labels = "req_total{\(s.labels)}"; return s }))

        // Gauges with hosts and data centres.
        var gauges: [Series] = []
        for (i, host) in ["a", "b", "c", "d", "e"].enumerated() {
            var s = Series(labels: "temp{dc=\"\(i < 3 ? "east" : "west")\",host=\"h\(host)\"}", samples: [])
            var v = Double(i * 3) - 5
            var t = start + Int64(i) * 1_000
            while t <= end {
                v += (rng.unit() - 0.5) * 2
                s.samples.append((t, (v * 100).rounded() / 100))
                t += 15_000
            }
            gauges.append(s)
        }
        families.append(("temp", "gauge", gauges))

        // Info series for group_left.
        var info: [Series] = []
        for (i, host) in ["a", "b", "c", "d", "e"].enumerated() {
            var s = Series(labels: "build_info{host=\"h\(host)\",version=\"1.\(i % 2)\"}", samples: [])
            var t = start
            while t <= end { s.samples.append((t, 1)); t += 60_000 }
            info.append(s)
        }
        families.append(("build_info", "gauge", info))

        // Classic histogram buckets (as gauges named *_bucket, so odd shapes pass any validation).
        var buckets: [Series] = []
        let shapes: [(String, [String])] = [("ok", ["0.05", "0.1", "0.5", "1", "+Inf"]),
                                            ("nonmono", ["0.05", "0.1", "0.5", "1", "+Inf"]),
                                            ("noinf", ["0.1", "1", "10"]),
                                            ("zero", ["0.1", "1", "+Inf"]),
                                            ("negative", ["-1", "0", "1", "+Inf"])]
        for (svc, les) in shapes {
            var counts = [Double](repeating: 0, count: les.count)
            var series = les.map { Series(labels: "lat_bucket{le=\"\($0)\",svc=\"\(svc)\"}", samples: []) }
            var t = start
            while t <= end {
                if svc != "zero" {
                    var cumulative = 0.0
                    for k in 0..<les.count {
                        cumulative += Double(rng.int(5))
                        counts[k] += cumulative
                    }
                }
                for k in 0..<les.count {
                    var c = counts[k]
                    if svc == "nonmono", k == 2 { c = counts[1] * 0.8 }
                    series[k].samples.append((t, c))
                }
                t += 15_000
            }
            buckets += series
        }
        families.append(("lat_bucket", "gauge", buckets))

        var out = ""
        for f in families {
            out += "# TYPE \(f.name) \(f.type)\n"
            for s in f.series {
                for (t, v) in s.samples {
                    out += "\(s.labels) \(format(v)) \(t / 1000).\(String(format: "%03d", t % 1000))\n"
                }
            }
        }
        return out + "# EOF\n"
    }

    /// Instant evaluation times (Unix seconds) around the hard cases.
    static let instantTimes: [Double] = [Double(t0 + 1800) + 67.5, Double(t0 + 1800 + 300)]
    /// The range query: start, end, step (seconds).
    static let range: (Double, Double, Double) = (Double(t0 + 1800 - 600), Double(t0 + 1800 + 900), 30)

    static let expressions: [String] = [
        "req_total", "temp", "rate(req_total[5m])", "rate(req_total[1m])", "irate(req_total[5m])",
        "increase(req_total[5m])", "increase(req_total[10m])", "rate(req_total{case=~\"near.*|big.*\"}[2m])",
        "delta(temp[5m])", "idelta(temp[5m])", "deriv(temp[5m])", "predict_linear(temp[10m], 3600)",
        "resets(req_total[10m])", "changes(temp[10m])", "changes(req_total[5m])", "timestamp(req_total)", "timestamp(temp > 0)",
        "avg_over_time(temp[5m])", "min_over_time(temp[5m])", "max_over_time(temp[5m])", "sum_over_time(temp[5m])",
        "count_over_time(req_total[5m])", "last_over_time(req_total[5m])", "quantile_over_time(0.9, temp[5m])",
        "stddev_over_time(temp[5m])", "stdvar_over_time(temp[5m])", "present_over_time(req_total[2m])",
        "avg_over_time(req_total{case=\"nan\"}[5m])", "max_over_time(req_total{case=\"nan\"}[1m])",
        "histogram_quantile(0.5, lat_bucket)", "histogram_quantile(0.9, rate(lat_bucket[5m]))",
        "histogram_quantile(0.99, sum by (le, svc) (rate(lat_bucket[5m])))", "histogram_quantile(0, lat_bucket)",
        "histogram_quantile(1, lat_bucket)", "histogram_quantile(-1, lat_bucket)", "histogram_quantile(2, lat_bucket)",
        "histogram_quantile(0.2, lat_bucket{svc=\"negative\"})",
        "abs(temp)", "ceil(temp)", "floor(temp)", "round(temp)", "round(temp, 0.5)", "clamp(temp, -1, 1)", "clamp(temp, 1, -1)",
        "clamp_min(temp, 0)", "clamp_max(temp, 0)", "vector(1)", "scalar(sum(temp))", "scalar(temp)", "time()",
        "absent(nonexistent{job=\"x\"})", "absent(temp)", "absent_over_time(nonexistent{a=\"b\"}[5m])", "absent_over_time(temp[5m])",
        "label_replace(temp, \"dst\", \"$1-x\", \"host\", \"h(.*)\")", "label_replace(temp, \"host\", \"\", \"host\", \"h[ab]\")",
        "label_join(temp, \"j\", \"/\", \"host\", \"dc\")", "sort(temp)", "sort_desc(temp)",
        "exp(temp / 10)", "ln(abs(temp) + 1)", "log2(abs(temp) + 1)", "log10(abs(temp) + 1)", "sqrt(abs(temp))",
        "sum(temp)", "avg(temp)", "min(temp)", "max(temp)", "count(temp)", "group(temp)", "stddev(temp)", "stdvar(temp)",
        "sum by (dc) (temp)", "avg without (host) (temp)", "max by (job) (rate(req_total[5m]))", "sum(req_total) by (job)",
        "topk(2, temp)", "bottomk(2, temp)", "topk by (dc) (1, temp)", "quantile(0.3, temp)", "quantile by (dc) (0.5, temp)",
        "count_values(\"v\", round(temp))", "count(rate(req_total[5m]) > 0)",
        "temp + 1", "2 * temp", "temp % 3", "temp ^ 2", "2 ^ 3 ^ 2", "-temp", "- 2 ^ 2", "temp > 0", "temp > bool 0",
        "1 < temp", "temp == temp", "temp != bool 0", "1 + 2 * 3 - 4 / 2 % 3", "5 > bool 3",
        "temp * on(host) group_left(version) build_info", "build_info * on(host) group_right temp",
        "sum by (dc) (temp) / on(dc) group_left count by (dc) (temp)", "temp / ignoring(dc) build_info",
        "rate(req_total[5m]) > 0.3", "req_total or temp", "temp unless temp > 0", "temp and on(host) build_info",
        "temp and temp > 0 or temp < -10", "temp offset 5m", "rate(req_total[5m] offset 10m)", "temp offset -1m",
        "temp @ \(t0 + 1200)", "rate(req_total[5m] @ \(t0 + 2100))", "temp @ end()", "sum(rate(req_total[5m] @ start()))",
        "max_over_time(temp[10m:1m])", "rate(req_total[10m:30s])", "avg_over_time(rate(req_total[1m])[10m:])",
        "max_over_time(deriv(temp[2m])[5m:45s] offset 1m)", "0x10 + temp", "Inf", "-Inf", "NaN", "1e3 * temp",
        "sum(rate(req_total[5m])) / sum(rate(req_total{case=~\"steady|jitter\"}[5m]))",
        "temp{host=~\"h[a-c]\",dc!=\"west\"}", "temp{host!~\"h(a|b)\"}", "req_total{case=~\".*o.*\"}", "{__name__=~\"temp|build_info\"}",
        "rate({__name__=~\"temp|req_total\"}[5m])", 
        // Aggregations of a counter function, which the embedded engine evaluates in one pass.
        "sum by (__name__, case) (rate({__name__=~\"temp|req_total\"}[5m]))", "sum by (host) (rate({__name__=~\"temp|build_info\"}[5m]))",
        "stddev by (job) (increase(req_total[10m]))", "stdvar(delta(temp[5m]))", "count by (nope) (rate(req_total[5m]))",
        "avg by (case, job) (rate(req_total[5m] offset 2m))", "group by (dc) (delta(temp[3m]))", "min by (dc) (delta(temp[5m]))",
        "max(increase(req_total{case=~\"near.*|big.*\"}[2m]))", "sum by (le) (rate(lat_bucket[5m] @ \(t0 + 2100)))",
        "stdvar(req_total)", "req_total * 1e10", "temp / 1e9", "req_total{case=\"nan\"} * 2", "1 / (temp - temp)", "temp atan2 1",
    ]
}
