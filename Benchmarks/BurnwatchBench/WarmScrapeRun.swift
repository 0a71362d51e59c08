import BurnwatchCore
import BurnwatchRuntime
import CAllocationCounter

/// One target's body scraped again and again into a store, as the watch store thread takes it:
/// `TargetScraper` (parse and series cache) then `ScrapeSeriesTable` (slots into the store), with
/// no network, timed and with the calling thread's heap allocations counted.
enum WarmScrapeRun {
    struct Outcome {
        /// Seconds of the first scrape (every series new).
        var firstSeconds: Double
        /// Seconds of each later scrape.
        var warmSeconds: [Double]
        /// Heap allocations of each later scrape: in the scraper, and in the table and store.
        var scraperAllocations: [UInt64]
        var storeAllocations: [UInt64]
        var series: Int
        var unresolved: Int
    }

    /// Scrapes `body` `1 + warm` times, 15 s apart.
    static func run(body: [UInt8], warm: Int) -> Outcome {
        let target = ScrapeTarget(url: "http://127.0.0.1:9/bench", job: "bench", instance: "bench:1", intervalSeconds: 15, timeoutSeconds: 10)
        let scraper = TargetScraper(target: target)
        var table = ScrapeSeriesTable()
        var store = SeriesStore()
        func scrape(_ k: Int) -> (Double, UInt64, UInt64) {
            let start = PlatformHTTP.monotonicNanoseconds()
            let a0 = bw_thread_allocations()
            let result = scraper.replay(time: Timestamp(milliseconds: 1_700_000_000_000 + Int64(k) * 15_000), durationSeconds: 0.1,
                                        status: 200, contentType: "text/plain; version=0.0.4", failure: nil, body: body)
            let a1 = bw_thread_allocations()
            table.apply(result, extraLabels: nil, to: &store)
            let a2 = bw_thread_allocations()
            return (Double(PlatformHTTP.monotonicNanoseconds() - start) / 1e9, a1 - a0, a2 - a1)
        }
        var outcome = Outcome(firstSeconds: scrape(0).0, warmSeconds: [], scraperAllocations: [], storeAllocations: [], series: 0, unresolved: 0)
        for k in 1...warm {
            let (s, scraperAllocations, storeAllocations) = scrape(k)
            outcome.warmSeconds.append(s)
            outcome.scraperAllocations.append(scraperAllocations)
            outcome.storeAllocations.append(storeAllocations)
        }
        outcome.series = table.seriesIDs.count
        outcome.unresolved = table.unresolvedSamples
        return outcome
    }
}
