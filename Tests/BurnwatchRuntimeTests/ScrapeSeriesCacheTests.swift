import BurnwatchCore
import BurnwatchParsing
@testable import BurnwatchRuntime
import Testing

/// The scrape cache (raw series bytes → slot) and the store's table (slot → series) together:
/// they must give the store exactly what decoding every body afresh gives.
@Suite struct ScrapeSeriesCacheTests {
    static let target = ScrapeTarget(url: "http://127.0.0.1:9/metrics", job: "app", instance: "a:1", intervalSeconds: 15, timeoutSeconds: 5)

    /// One target's scrapes through a scraper and a table into a store, as the watch store thread does.
    struct CachedPath {
        let scraper = TargetScraper(target: ScrapeSeriesCacheTests.target)
        var table = ScrapeSeriesTable()
        var store = SeriesStore()
        var results: [ScrapeResult] = []

        /// Scrapes `body` (nil: the target is down); a dropped result never reaches the table.
        mutating func scrape(_ body: String?, at ms: Int64, dropped: Bool = false) {
            let result = scraper.replay(time: Timestamp(milliseconds: ms), durationSeconds: 0.01, status: body == nil ? 0 : 200,
                                        contentType: "text/plain; version=0.0.4", failure: body == nil ? "down" : nil,
                                        body: Array((body ?? "").utf8))
            results.append(result)
            if dropped { scraper.requestResync() } else { table.apply(result, extraLabels: nil, to: &store) }
        }
    }

    /// The same scrapes with no cache: every body decoded into label sets, staleness by label-set difference.
    struct UncachedPath {
        var store = SeriesStore()
        var previous: Set<Labels> = []

        mutating func scrape(_ body: String?, at ms: Int64) {
            var current: Set<Labels> = []
            if let body {
                let parsed = Exposition.parse(Array(body.utf8), format: .prometheusText)
                for point in parsed.samples {
                    let labels = Self.withTarget(point.labels)
                    current.insert(labels)
                    store.append(id: store.seriesID(for: labels), time: point.timestamp?.milliseconds ?? ms, value: point.value)
                }
            }
            for gone in previous.subtracting(current) { store.markStale(id: store.seriesID(for: gone), at: ms) }
            previous = current
        }

        static func withTarget(_ labels: Labels) -> Labels {
            var out: [Label] = []
            for l in labels { out.append(l.name == "job" || l.name == "instance" ? Label("exported_" + l.name, l.value) : l) }
            return Labels(out + [Label("job", target.job), Label("instance", target.instance)])
        }
    }

    /// Every series of a store but the health series, with its samples (values by bit pattern, so stale NaN compares).
    static func contents(_ store: SeriesStore) -> [Labels: [String]] {
        var out: [Labels: [String]] = [:]
        let health: Set<String> = ["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"]
        for id in 0..<store.seriesCount where !health.contains(store.labels(of: id).metricName ?? "") {
            var samples: [String] = []
            store.forEachSample(id: id, from: .min, through: .max) { t, v in samples.append("\(t)=\(v.bitPattern)") }
            if !samples.isEmpty { out[store.labels(of: id)] = samples }
        }
        return out
    }

    @Test func seriesAppearAndDisappear() {
        var cached = CachedPath()
        cached.scrape("a 1\nb 2\n", at: 15_000)
        cached.scrape("a 2\nc 3\n", at: 30_000)
        #expect(cached.results[1].newSeries.map(\.labels.metricName) == ["c"])
        #expect(cached.results[1].vanished.count == 1)
        let b = cached.store.seriesID(for: UncachedPath.withTarget(Labels(["__name__": "b"])))
        #expect(StaleMarker.isStale(cached.store.lastSample(id: b, atOrBefore: 30_000)!.1))
        cached.scrape("a 3\nb 4\nc 4\n", at: 45_000)
        #expect(cached.store.lastSample(id: b, atOrBefore: 45_000)! == (45_000, 4))
        #expect(cached.table.unresolvedSamples == 0)
    }

    @Test func knownSeriesAreOnlySlots() {
        var cached = CachedPath()
        let body = "# TYPE x counter\nx{k=\"1\"} 1\nx{k=\"2\"} 2\ny 3\n"
        cached.scrape(body, at: 15_000)
        cached.scrape(body, at: 30_000)
        #expect(cached.results[0].newSeries.count == 3)
        #expect(cached.results[1].newSeries.isEmpty && cached.results[1].vanished.isEmpty)
        #expect(cached.results[1].samples.slots == cached.results[0].samples.slots)
        #expect(cached.results[1].health.first { $0.labels.metricName == "scrape_series_added" }?.value == 0)
    }

    @Test func anotherLabelOrderIsTheSameSeries() {
        var cached = CachedPath()
        cached.scrape("m{a=\"1\",b=\"2\"} 1\n", at: 15_000)
        cached.scrape("m{b=\"2\",a=\"1\"} 2\n", at: 30_000)
        let second = cached.results[1]
        #expect(second.newSeries.isEmpty && second.vanished.isEmpty && second.samples.slots == cached.results[0].samples.slots)
        cached.scrape("m{b=\"2\",a=\"1\"} 3\n", at: 45_000)
        let id = cached.store.seriesID(for: UncachedPath.withTarget(Labels(["__name__": "m", "a": "1", "b": "2"])))
        var values: [Double] = []
        cached.store.forEachSample(id: id, from: .min, through: .max) { _, v in values.append(v) }
        #expect(values == [1, 2, 3])
    }

    @Test func duplicateSeriesInOneBodyKeepTheFirst() {
        var cached = CachedPath()
        cached.scrape("m{a=\"1\",b=\"2\"} 1\nm{a=\"1\",b=\"2\"} 9\nm{b=\"2\",a=\"1\"} 8\nn{x=\"\"} 4\nn 5\n", at: 15_000)
        let result = cached.results[0]
        #expect(result.samples.values == [1, 4])
        #expect(result.parseErrors.map(\.position?.line) == [2, 3, 5])
        #expect(result.parseErrors.allSatisfy { $0.message.hasPrefix("duplicate series ") && $0.message.hasSuffix("; kept the first") })
        // Next time the other spelling comes first: still one series, the first line kept.
        cached.scrape("m{b=\"2\",a=\"1\"} 7\nm{a=\"1\",b=\"2\"} 6\nn 3\n", at: 30_000)
        #expect(cached.results[1].samples.values == [7, 3] && cached.results[1].newSeries.isEmpty)
    }

    @Test func aTargetRestartIsACounterResetOnTheSameSeries() throws {
        var cached = CachedPath()
        for (i, v) in [100.0, 160, 220, 5, 65].enumerated() { cached.scrape("req_total{code=\"200\"} \(v)\n", at: Int64(i + 1) * 15_000) }
        #expect(cached.results.dropFirst().allSatisfy { $0.newSeries.isEmpty && $0.vanished.isEmpty })
        let engine = PromQLEngine(store: cached.store)
        guard case let .vector(increase) = try engine.instantQuery("increase(req_total[75s])", at: Timestamp(milliseconds: 75_000)) else {
            Issue.record("not a vector"); return
        }
        // 60 + 60 + 5 (after the reset) + 60 over 60 s of samples, extrapolated to the 75 s window.
        #expect(increase.count == 1 && abs((increase.first?.value ?? 0) - 185 * 75.0 / 60.0) < 1e-9)
    }

    @Test func aDroppedResultMakesTheNextOneDefineEverySeries() {
        var cached = CachedPath()
        cached.scrape("a 1\nb 2\n", at: 15_000)
        cached.scrape("c 3\nb 3\n", at: 30_000, dropped: true)
        cached.scrape("a 4\nc 4\n", at: 45_000)
        let third = cached.results[2]
        #expect(third.resync && Set(third.newSeries.compactMap(\.labels.metricName)) == ["a", "c"])
        var uncached = UncachedPath()
        uncached.scrape("a 1\nb 2\n", at: 15_000)
        uncached.scrape("a 4\nc 4\n", at: 45_000)
        #expect(Self.contents(cached.store) == Self.contents(uncached.store))
        #expect(cached.table.unresolvedSamples == 0)
    }

    @Test func randomBodiesGiveTheStoreTheUncachedPathGives() {
        var rng = SeededRandom(seed: 0xCAC4E)
        for round in 0..<100 {
            var cached = CachedPath()
            var uncached = UncachedPath()
            for scrape in 0..<12 {
                let ms = Int64(scrape + 1) * 15_000
                let body = rng.next() % 10 == 0 ? nil : Self.randomBody(&rng, at: ms)
                let dropped = rng.next() % 8 == 0
                cached.scrape(body, at: ms, dropped: dropped)
                if !dropped { uncached.scrape(body, at: ms) }
            }
            let want = Self.contents(uncached.store), got = Self.contents(cached.store)
            #expect(got == want, "round \(round): \(Set(got.keys).symmetricDifference(want.keys).prefix(3))")
            #expect(cached.table.unresolvedSamples == 0)
        }
    }

    @Test func thousandsOfSeriesComeAndGoThroughGrowthAndCompaction() {
        var rng = SeededRandom(seed: 0x5107)
        var cached = CachedPath()
        var uncached = UncachedPath()
        let padding = String(repeating: "p", count: 60)
        for scrape in 0..<10 {
            let ms = Int64(scrape + 1) * 15_000
            // A random two thirds of 4,000 series, so that thousands vanish and come back.
            let lines = (0..<4000).filter { _ in rng.next() % 3 != 0 }.map { "series_\($0 % 50){n=\"\($0)\",pad=\"\(padding)\"} \($0 + scrape)" }
            let body = lines.joined(separator: "\n") + "\n"
            cached.scrape(body, at: ms)
            uncached.scrape(body, at: ms)
        }
        #expect(Self.contents(cached.store) == Self.contents(uncached.store))
        #expect(cached.table.unresolvedSamples == 0 && cached.results.last?.newSeries.isEmpty == false)
    }

    /// A body of a few families whose series come and go, with labels in random order, empty
    /// values, duplicates, clashing job/instance labels, own timestamps and a bad line now and then.
    static func randomBody(_ rng: inout SeededRandom, at ms: Int64) -> String {
        var lines: [String] = []
        for name in ["http_requests_total", "queue_depth", "up_ish"] where rng.next() % 6 != 0 {
            lines.append("# TYPE \(name) gauge")
            for code in ["200", "404", "500", "503"] where rng.next() % 3 != 0 {
                var labels = ["code=\"\(code)\"", "path=\"/x\(rng.next() % 2)\""]
                if rng.next() % 4 == 0 { labels.append("job=\"inner\"") }
                if rng.next() % 5 == 0 { labels.append("empty=\"\"") }
                if rng.next() % 2 == 0 { labels.reverse() }
                let stamp = rng.next() % 7 == 0 ? " \(ms - Int64(rng.next() % 20_000))" : ""
                lines.append("\(name){\(labels.joined(separator: ","))} \(rng.next() % 1000)\(stamp)")
                if rng.next() % 9 == 0 { lines.append("\(name){\(labels.reversed().joined(separator: ","))} 1") }
            }
        }
        if rng.next() % 6 == 0 { lines.insert("bad line here", at: Int(rng.next() % UInt64(lines.count + 1))) }
        return lines.joined(separator: "\n") + "\n"
    }
}
