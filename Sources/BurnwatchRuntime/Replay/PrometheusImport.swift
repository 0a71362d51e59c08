import BurnwatchCore
import BurnwatchRecording

/// `burnwatch import prometheus`: an incident window pulled from a Prometheus-compatible server
/// into a recording. The raw samples of every series the selectors name are read with range
/// vector queries (`selector[1h]` at the end of each hour, so nothing is resampled), grouped by
/// target (`job`, `instance`), and written as one scrape body per target and sample time, with
/// the samples' own timestamps; evaluation rounds follow every `roundEvery`.
public enum PrometheusImport {
    /// What was imported.
    public struct Result {
        public var events: [RecordedEvent]
        public var series: Int
        public var samples: Int
        public var targets: Int
    }

    /// The URL a replay reads a target's `job` and `instance` from (`import://JOB/INSTANCE`).
    public static func targetURL(job: String, instance: String) -> String {
        "import://" + percentEncode(job) + "/" + percentEncode(instance)
    }

    /// The `instance` of an `import://` URL, if it is one.
    public static func instance(ofTargetURL url: String) -> String? {
        guard url.hasPrefix("import://") else { return nil }
        let rest = url.dropFirst("import://".count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        return percentDecode(String(rest[rest.index(after: slash)...]))
    }

    /// The selectors an SLO's queries read (each once), as PromQL selector text.
    public static func selectors(of specs: [SLOSpec]) -> [String] {
        var out: [String] = []
        for spec in specs {
            let queries = SLOQueries(spec.indicator)
            var texts: [String] = []
            let window = Interval(milliseconds: 300_000)
            if let e = queries.errorQuery(window: window) { texts.append(e) }
            if let t = queries.totalQuery(window: window) { texts.append(t) }
            texts.append(queries.errorRatioQuery(window: window))
            if case .latency(let histogram, let matchers, _) = spec.indicator {
                texts.append(SLOQueries.boundsQuery(histogram: histogram, matchers: matchers))
            }
            for text in texts {
                guard let expr = try? PromQLParser.parse(text) else { continue }
                for s in selectors(in: expr) where !out.contains(s) { out.append(s) }
            }
        }
        return out
    }

    /// Every vector selector in an expression, as `{matchers}` text (the name as `__name__`).
    static func selectors(in expr: Expr) -> [String] {
        switch expr {
        case .number, .string: return []
        case .vectorSelector(let v), .matrixSelector(let v, _):
            var matchers = v.matchers.map(\.description)
            if let name = v.name, !v.matchers.contains(where: { $0.name == "__name__" }) { matchers.insert("__name__=\"\(name)\"", at: 0) }
            return ["{" + matchers.joined(separator: ",") + "}"]
        case .subquery(let e, _, _, _, _), .unaryMinus(let e), .paren(let e): return selectors(in: e)
        case .call(_, let args): return args.flatMap(selectors(in:))
        case .aggregate(_, let param, let e, _, _): return (param.map(selectors(in:)) ?? []) + selectors(in: e)
        case .binary(_, let l, let r, _, _): return selectors(in: l) + selectors(in: r)
        }
    }

    /// Reads the window and builds the events.
    ///
    /// - Parameters:
    ///   - querier: the server's query API.
    ///   - chunk: how much each range vector query reads (the server's sample limit bounds it).
    ///   - roundEvery: the evaluation rounds' spacing; the detectors run every fourth.
    /// - Throws: the query API's `BurnwatchError` (with the query that failed).
    public static func read(querier: any PromQLQuerier, selectors: [String], from: Timestamp, to: Timestamp,
                            chunk: Interval = Interval(milliseconds: 3_600_000), roundEvery: Interval) throws -> Result {
        var samples: [Labels: [Int64: Double]] = [:]
        for selector in selectors {
            var end = to.milliseconds
            while end > from.milliseconds {
                let span = min(chunk.milliseconds, end - from.milliseconds)
                // ranges leave their start out (Prometheus 3): the first one reaches 1 ms before
                // `from`, so a sample at `from` itself is read; overlaps are read once
                let reach = end - span <= from.milliseconds ? span + 1 : span
                let query = "\(selector)[\(reach)ms]"
                let value: QueryValue
                do { value = try querier.instantQuery(query, at: Timestamp(milliseconds: end)) } catch let e as BurnwatchError {
                    throw BurnwatchError(e.code, "import query `\(query)` at \(Timestamp(milliseconds: end)): \(e.message)", at: e.position)
                }
                if case .matrix(let series) = value {
                    for s in series {
                        var points = samples[s.labels] ?? [:]
                        for (t, v) in s.points where t.milliseconds >= from.milliseconds { points[t.milliseconds] = v }
                        samples[s.labels] = points
                    }
                }
                end -= span
            }
        }
        // per target and sample time, one body
        var byTarget: [String: (job: String, instance: String, times: [Int64: [(Labels, Double)]])] = [:]
        var count = 0
        for (labels, points) in samples {
            let job = labels["job"] ?? "", instance = labels["instance"] ?? ""
            let key = job + "\u{0}" + instance
            var entry = byTarget[key] ?? (job, instance, [:])
            for (t, v) in points { entry.times[t, default: []].append((labels, v)); count += 1 }
            byTarget[key] = entry
        }
        var events: [RecordedEvent] = []
        for key in byTarget.keys.sorted() {
            let target = byTarget[key]!
            let url = targetURL(job: target.job, instance: target.instance)
            for t in target.times.keys.sorted() {
                let body = exposition(target.times[t]!.sorted { $0.0.description < $1.0.description }, at: t)
                events.append(.scrape(RecordedScrape(at: t, url: url, job: target.job, time: t, durationSeconds: 0, status: 200,
                                                     contentType: "text/plain; version=0.0.4", failure: nil, body: body)))
            }
        }
        var t = from.milliseconds + roundEvery.milliseconds
        var k = 0
        while t <= to.milliseconds {
            events.append(.round(RecordedRound(at: t, signals: k % 4 == 0)))
            t += roundEvery.milliseconds
            k += 1
        }
        events.sort { ($0.at, rank($0)) < ($1.at, rank($1)) }
        return Result(events: events, series: samples.count, samples: count, targets: byTarget.count)
    }

    static func rank(_ e: RecordedEvent) -> Int {
        if case .round = e { return 1 }
        return 0
    }

    /// Text exposition lines `name{labels} value timestamp_ms`, without `job` and `instance`
    /// (the replayed target adds them back).
    static func exposition(_ samples: [(Labels, Double)], at t: Int64) -> [UInt8] {
        var out = ""
        for (labels, value) in samples {
            guard let name = labels["__name__"] else { continue }
            let rest = labelPairs(labels)
            out += name
            if !rest.isEmpty { out += "{" + rest.joined(separator: ",") + "}" }
            out += " " + number(value) + " " + String(t) + "\n"
        }
        return Array(out.utf8)
    }

    static func labelPairs(_ labels: Labels) -> [String] {
        labels.filter { $0.name != "__name__" && $0.name != "job" && $0.name != "instance" }
            .map { $0.name + "=\"" + Labels.escape($0.value) + "\"" }
    }

    /// A value as the exposition writes it, exactly (the shortest text that reads back the same).
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        return "\(v)"
    }

    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(UnicodeScalar(b))
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || "-._:".contains(c) { out.append(c) }
            else { out += (b < 16 ? "%0" : "%") + String(b, radix: 16, uppercase: true) }
        }
        return out
    }

    static func percentDecode(_ s: String) -> String {
        var bytes: [UInt8] = []
        var i = s.utf8.startIndex
        let u = s.utf8
        while i < u.endIndex {
            if u[i] == UInt8(ascii: "%"), let j = u.index(i, offsetBy: 2, limitedBy: u.endIndex), j < u.endIndex,
               let b = UInt8(String(decoding: u[u.index(after: i)...j], as: UTF8.self), radix: 16) {
                bytes.append(b)
                i = u.index(after: j)
            } else {
                bytes.append(u[i])
                i = u.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
