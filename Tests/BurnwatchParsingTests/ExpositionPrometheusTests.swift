import BurnwatchCore
import BurnwatchParsing
import BurnwatchTestSupport
import Foundation
import Testing

/// An OpenMetrics body that a Prometheus 2.42 scrape accepts whole (it fails a scrape on any bad line).
let openMetricsDifferentialBody = """
# TYPE om_requests counter
# UNIT om_requests requests
# HELP om_requests Requests with \\"quotes\\" and a \\\\ backslash.
om_requests_total{path="/a\\"b",code="200"} 17.0 # {trace_id="abc"} 1.0 1520879607.789
om_requests_created{path="/a\\"b",code="200"} 1605281325.0
om_requests_total{path="/c\\\\d\\ne",code="500"} 3
# TYPE om_build info
om_build_info{version="1.2.3",revision="ü-ß"} 1
# TYPE om_state stateset
om_state{om_state="a"} 1
om_state{om_state="b"} 0
# TYPE om_queue gaugehistogram
om_queue_bucket{le="0.5"} 1
om_queue_bucket{le="+Inf"} 5
om_queue_gcount 5
om_queue_gsum 4.25
# TYPE om_latency histogram
om_latency_bucket{le="0.1"} 2
om_latency_bucket{le="+Inf"} 3
om_latency_count 3
om_latency_sum 0.45
om_latency_created 1605281325.5
# TYPE om_temp gauge
om_temp{job="inner",instance="x:1"} -Inf
om_nan NaN
om_big 1.8446744073709552e19
# EOF

"""

/// Series metadata that Prometheus adds for every scrape, left out of the comparison.
let scrapeHealthNames: Set<String> = ["up", "scrape_duration_seconds", "scrape_samples_scraped",
                                      "scrape_samples_post_metric_relabeling", "scrape_series_added"]

/// What Prometheus should store for `parsed` scraped by `job` at `instance` (honor_labels: false).
func expectedSeries(_ parsed: ParsedExposition, job: String, instance: String) -> [Labels: Double] {
    var out: [Labels: Double] = [:]
    for point in parsed.samples {
        var labels = point.labels
        for name in ["job", "instance"] {
            if let value = labels[name] { labels = labels.setting(name, "").setting("exported_" + name, value) }
        }
        labels = labels.setting("job", job).setting("instance", instance)
        out[labels] = point.value
    }
    return out
}

func sameValue(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }

@Suite(.serialized) struct ExpositionPrometheusTests {
    /// Serves each body to a real Prometheus and compares what it stores with what the parser read.
    @Test func seriesAndValuesEqualWhatPrometheusStores() throws {
        var bodies: [(name: String, bytes: [UInt8], format: ExpositionFormat)] = []
        let dir = expositionFixtureDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".txt") {
            bodies.append((name, Array(try Data(contentsOf: dir.appendingPathComponent(name))), .prometheusText))
        }
        bodies.append(("openmetrics", Array(openMetricsDifferentialBody.utf8), .openMetrics))

        // Live bodies: node_exporter (fast collectors only), captured once and served unchanged.
        let nodePort = FreePort.next()
        let node = try ChildProcess(try #require(TestPaths.which("prometheus-node-exporter")),
                                    ["--web.listen-address=127.0.0.1:\(nodePort)", "--collector.disable-defaults",
                                     "--collector.cpu", "--collector.meminfo", "--collector.loadavg", "--collector.stat",
                                     "--collector.uname", "--collector.os", "--collector.time", "--collector.netdev", "--collector.vmstat"])
        defer { node.stop() }
        #expect(FreePort.waitUntilListening(nodePort))
        let nodeBody = try #require(LoopbackHTTPClient.get(port: nodePort, path: "/metrics"))
        #expect(nodeBody.status == 200)
        bodies.append(("live-node-exporter", nodeBody.body, .detect(contentType: nodeBody.headers["content-type"])))

        // One more slot for Prometheus's own body, captured once it runs; 503 until then.
        let box = BodyBox(bodies)
        let server = try LoopbackHTTPServer { request in
            guard let index = Int(request.path.split(separator: "/").last ?? ""), let body = box.body(index) else {
                return .respond(status: 503, headers: [], body: [])
            }
            return .ok(body.bytes, contentType: body.format.contentType)
        }
        defer { server.stop() }

        func config(_ count: Int) -> String {
            var yaml = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
            for i in 0..<count {
                yaml += "  - job_name: body\(i)\n    metrics_path: /body/\(i)\n    static_configs:\n      - targets: ['127.0.0.1:\(server.port)']\n"
            }
            return yaml
        }
        let prometheus = try LoopbackPrometheus(config: config(bodies.count + 1))
        defer { prometheus.stop() }
        let ownBody = try #require(LoopbackHTTPClient.get(port: prometheus.port, path: "/metrics"))
        bodies.append(("live-prometheus", ownBody.body, .detect(contentType: ownBody.headers["content-type"])))
        box.append(bodies[bodies.count - 1])
        let served = bodies

        let ready = prometheus.wait(timeout: 40) {
            let up = prometheus.instantVector("up{job=~\"body.*\"}") ?? []
            return up.count == served.count && up.allSatisfy { $0.value == "1" }
        }
        let up = prometheus.instantVector("up{job=~\"body.*\"}") ?? []
        #expect(ready, "targets not all up: \(up.filter { $0.value != "1" }.map { $0.labels["job"] ?? "" })")

        var compared = 0
        for (index, body) in served.enumerated() {
            let parsed = Exposition.parse(body.bytes, format: body.format)
            #expect(parsed.errors.isEmpty, "\(body.name): \(parsed.errors.prefix(3))")
            let expected = expectedSeries(parsed, job: "body\(index)", instance: "127.0.0.1:\(server.port)")
            let vector = try #require(prometheus.instantVector("{job=\"body\(index)\"}"))
            var actual: [Labels: Double] = [:]
            for item in vector where !scrapeHealthNames.contains(item.labels["__name__"] ?? "") {
                actual[Labels(item.labels)] = Double(item.value)
            }
            compared += expected.count
            #expect(actual.count == expected.count, "\(body.name): Prometheus \(actual.count) series, parser \(expected.count)")
            let missing = expected.keys.filter { actual[$0] == nil }
            let extra = actual.keys.filter { expected[$0] == nil }
            #expect(missing.isEmpty, "\(body.name): not in Prometheus: \(missing.prefix(3))")
            #expect(extra.isEmpty, "\(body.name): not in parser: \(extra.prefix(3))")
            let differing = expected.filter { key, value in actual[key].map { !sameValue($0, value) } ?? false }
            #expect(differing.isEmpty, "\(body.name): values differ: \(differing.prefix(3).map { "\($0.key) \($0.value) vs \(actual[$0.key]!)" })")
            let scraped = prometheus.instantVector("scrape_samples_scraped{job=\"body\(index)\"}")?.first?.value
            #expect(scraped == String(parsed.samples.count), "\(body.name): scrape_samples_scraped \(scraped ?? "-")")
        }

        #expect(compared > 3000, "compared only \(compared) series")
    }
}

/// Bodies shared between the test and the server's threads.
final class BodyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var bodies: [(name: String, bytes: [UInt8], format: ExpositionFormat)]
    init(_ bodies: [(name: String, bytes: [UInt8], format: ExpositionFormat)]) { self.bodies = bodies }
    func append(_ body: (name: String, bytes: [UInt8], format: ExpositionFormat)) { lock.lock(); bodies.append(body); lock.unlock() }
    func body(_ i: Int) -> (name: String, bytes: [UInt8], format: ExpositionFormat)? {
        lock.lock(); defer { lock.unlock() }
        return i < bodies.count ? bodies[i] : nil
    }
}
