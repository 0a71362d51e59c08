/// What burnwatch knows of common exporters' limits, for the saturation detector.
enum SaturationBuiltIns {
    static let by = "job, service, instance"

    /// Every built-in reading per service.
    static func readings(_ c: SignalContext) -> [String: [SaturationReading]] {
        var out: [String: [SaturationReading]] = [:]
        func add(_ name: String, _ shape: SaturationReading.Shape, _ query: String, host: Bool = false, max useMax: Bool = true) {
            let values = useMax ? c.maxByService(query) : c.sumByService(query)
            for (service, v) in values {
                out[service, default: []].append(SaturationReading(name: name, shape: shape, value: v, host: host, source: query))
            }
        }
        // Worker pools, queues and rejections named by shape.
        for prefix in prefixes(c, suffix: "_busy_workers") where exists(c, prefix + "_workers") {
            add(short(prefix), .utilization, "max by (job, service) (sum by (\(by)) (\(prefix)_busy_workers) / (sum by (\(by)) (\(prefix)_workers) > 0))")
        }
        for prefix in prefixes(c, suffix: "_queue_depth") {
            let q = "sum by (job, service) (\(prefix)_queue_depth)"
            let cap = exists(c, prefix + "_queue_capacity") ? c.sumByService("sum by (job, service) (\(prefix)_queue_capacity)") : [:]
            let growing = growingQueues(c, q)
            for (service, v) in c.sumByService(q) {
                out[service, default: []].append(SaturationReading(name: short(prefix) + "_queue", shape: .queue, value: v, capacity: cap[service],
                                                                   growing: growing.contains(service), source: q))
            }
        }
        for name in names(c, matching: ".+_rejected_total") {
            add(short(String(name.dropLast("_rejected_total".count))), .rejections, "sum by (job, service) (rate(\(name)[1m]))", max: false)
        }
        // Process collector and Go runtime.
        add("fds", .utilization, "max by (job, service) (process_open_fds / (process_max_fds > 0))")
        add("cpu", .utilization, "max by (job, service) (rate(process_cpu_seconds_total[1m]) / on (job, instance) group_left () (go_sched_gomaxprocs_threads > 0))")
        add("memory", .utilization, "max by (job, service) (process_resident_memory_bytes / on (job, instance) group_left () (go_gc_gomemlimit_bytes < 4e18 > 0))")
        add("goroutines", .goroutines, "max by (job, service) (go_goroutines)")
        add("goroutines", .goroutineGrowth, "max by (job, service) (deriv(go_goroutines[5m]))")
        add("gc", .gcFraction, "max by (job, service) (rate(go_cpu_classes_gc_total_cpu_seconds_total[5m]) / (rate(go_cpu_classes_total_cpu_seconds_total[5m]) > 0))")
        // Database pools: client_golang's go_sql_* and OpenTelemetry's db.client.connections.*.
        add("db_pool", .utilization, "max by (job, service) (sum by (\(by), db_name) (go_sql_in_use_connections) / (sum by (\(by), db_name) (go_sql_max_open_connections) > 0))")
        add("db_pool_waits", .rejections, "sum by (job, service) (rate(go_sql_wait_count_total[1m]))", max: false)
        add("db_pool", .utilization, "max by (job, service) (sum by (\(by), pool_name) (db_client_connections_usage{state=\"used\"}) / (sum by (\(by), pool_name) (db_client_connections_max) > 0))")
        // HAProxy: queued requests and sessions against configured limits.
        let haproxyQueue = "sum by (job, service) (haproxy_backend_current_queue)"
        let haproxyGrowing = growingQueues(c, haproxyQueue)
        for (service, v) in c.sumByService(haproxyQueue) where v > 0 || haproxyGrowing.contains(service) {
            out[service, default: []].append(SaturationReading(name: "haproxy_queue", shape: .queue, value: v, growing: haproxyGrowing.contains(service), source: haproxyQueue))
        }
        add("haproxy_server_sessions", .utilization, "max by (job, service) (haproxy_server_current_sessions / (haproxy_server_limit_sessions > 0))")
        add("haproxy_frontend_sessions", .utilization, "max by (job, service) (haproxy_frontend_current_sessions / (haproxy_frontend_limit_sessions > 0))")
        // node_exporter (host resources warn at most).
        add("host_cpu", .utilization, "max by (job, service) (1 - avg by (\(by)) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])))", host: true)
        add("host_memory", .utilization, "max by (job, service) (1 - node_memory_MemAvailable_bytes / (node_memory_MemTotal_bytes > 0))", host: true)
        add("host_filesystem", .utilization,
            "max by (job, service) (1 - node_filesystem_avail_bytes{fstype!~\"tmpfs|ramfs|devtmpfs|overlay|squashfs|iso9660|autofs|proc|sysfs|nsfs|fuse.*\"} / (node_filesystem_size_bytes > 0))", host: true)
        add("host_file_handles", .utilization, "max by (job, service) (node_filefd_allocated / (node_filefd_maximum > 0))", host: true)
        return out
    }

    /// Services whose queue (a `sum by (job, service)` expression) kept items and grew over 5 minutes.
    ///
    /// What `min_over_time((q)[5m:15s]) > 0` and `deriv((q)[5m:15s]) > 0` say, from one
    /// evaluation of the subquery (the two functions computed as the engine computes them).
    static func growingQueues(_ c: SignalContext, _ query: String, minutes: Int = 5) -> Set<String> {
        var kept: [String: Double] = [:], slope: [String: Double] = [:]
        for series in c.matrix("(\(query))[\(minutes)m:15s]") ?? [] where !series.points.isEmpty {
            let p = series.points.map { ($0.0.milliseconds, $0.1) }
            let service = c.service(for: series.labels)
            var low = p[0].1
            for (_, v) in p where v < low || low.isNaN { low = v }
            if !low.isNaN { kept[service, default: 0] += low }
            if p.count >= 2 {
                let d = Evaluator.linearRegression(p, intercept: p[0].0).slope
                if !d.isNaN { slope[service, default: 0] += d }
            }
        }
        return Set(slope.filter { $0.value > 0 && (kept[$0.key] ?? 0) > 0 }.map(\.key))
    }

    /// Metric names matching a regex, as found in the store.
    static func names(_ c: SignalContext, matching regex: String) -> [String] {
        let v = c.vector("count by (__name__) ({__name__=~\"\(regex)\"})") ?? []
        return Set(v.compactMap { $0.labels.metricName }).sorted()
    }

    /// Prefixes `P` of metric names `P<suffix>`.
    static func prefixes(_ c: SignalContext, suffix: String) -> [String] {
        names(c, matching: ".+" + suffix).map { String($0.dropLast(suffix.count)) }
    }

    static func exists(_ c: SignalContext, _ name: String) -> Bool { !names(c, matching: name).isEmpty }

    /// A prefix without the usual application namespace words: `app_worker_pool` → `worker_pool`.
    static func short(_ prefix: String) -> String {
        prefix.hasPrefix("app_") ? String(prefix.dropFirst(4)) : prefix
    }

    /// Which of `services` have a p99 (server request-duration histograms) risen by half against 10 minutes ago.
    ///
    /// - Complexity: two histogram queries per family over the buckets of `services` only (all
    ///   buckets when the config names one service, to which every series then belongs).
    static func latencyRising(_ c: SignalContext, services: Set<String>) -> [String: (now: Double, before: Double, source: String)] {
        var out: [String: (Double, Double, String)] = [:]
        for family in ["http_request_duration_seconds", "http_server_request_duration_seconds", "log_request_duration_seconds"] {
            let selectors = c.selectors(family + "_bucket", of: services)
            func p99(_ offset: String) -> String {
                let rates = selectors.map { "rate(\($0)[1m]\(offset))" }.joined(separator: " or ")
                return "histogram_quantile(0.99, sum by (job, service, le) (" + rates + "))"
            }
            let now = p99(""), before = p99(" offset 10m")
            let b = c.maxByService(before)
            for (service, v) in c.maxByService(now) where out[service] == nil && services.contains(service) {
                guard let was = b[service], was > 0, v.isFinite, v >= 1.5 * was else { continue }
                out[service] = (v, was, now)
            }
        }
        return out.mapValues { (now: $0.0, before: $0.1, source: $0.2) }
    }
}
