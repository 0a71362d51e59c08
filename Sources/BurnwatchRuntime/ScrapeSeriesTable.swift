import BurnwatchCore
import BurnwatchParsing

/// The store thread's half of a target's scrape cache: each slot of the scraper's
/// `ScrapeSeriesCache` to the store's series id.
///
/// It stays in step with the scraper because it sees every result of the target, in order: a
/// new series comes with its slot and labels, a vanished one with its slot, and a result that
/// could not be delivered makes the scraper send every series again (`ScrapeResult.resync`).
/// A value: a replay's checkpoint copies it with the store.
public struct ScrapeSeriesTable: Sendable {
    /// Slot → series id; -1 for a slot not in use.
    private var ids: [Int] = []
    private var healthIDs: [Int] = []
    /// Samples whose slot was not defined (0 while the scraper and the table agree).
    public private(set) var unresolvedSamples = 0

    public init() {}

    /// Appends one scrape's samples and health series to `store` and marks its vanished series stale.
    ///
    /// - Parameters:
    ///   - result: the target's next result.
    ///   - extraLabels: labels the configuration adds to the target's series (a label the series has wins).
    ///   - store: where the samples go.
    /// - Complexity: O(samples); a known series costs an array index, a new one a label-set lookup.
    public mutating func apply(_ result: ScrapeResult, extraLabels: [String: String]?, to store: inout SeriesStore) {
        let previous = result.resync ? ids.filter { $0 >= 0 } : []
        if result.resync { ids.removeAll(keepingCapacity: true) }
        for definition in result.newSeries {
            var labels = definition.labels
            if let extraLabels { for (k, v) in extraLabels where labels[k] == nil { labels = labels.setting(k, v) } }
            let slot = Int(definition.slot)
            if slot >= ids.count { ids.append(contentsOf: repeatElement(-1, count: slot - ids.count + 1)) }
            ids[slot] = store.seriesID(for: labels)
        }
        let scrapeTime = result.time.milliseconds
        let samples = result.samples
        samples.slots.withUnsafeBufferPointer { slots in
            samples.values.withUnsafeBufferPointer { values in
                samples.timestamps.withUnsafeBufferPointer { timestamps in
                    for k in 0..<slots.count {
                        let slot = Int(slots[k])
                        guard slot < ids.count, ids[slot] >= 0 else { unresolvedSamples += 1; continue }
                        let t = timestamps[k] == ScrapeSamples.noTimestamp ? scrapeTime : timestamps[k]
                        store.append(id: ids[slot], time: t, value: values[k])
                    }
                }
            }
        }
        for slot in result.vanished.map(Int.init) where slot < ids.count && ids[slot] >= 0 {
            store.markStale(id: ids[slot], at: scrapeTime)
            ids[slot] = -1
        }
        if !previous.isEmpty {
            let current = Set(ids.filter { $0 >= 0 })
            for id in previous where !current.contains(id) { store.markStale(id: id, at: scrapeTime) }
        }
        if healthIDs.count != result.health.count { healthIDs = result.health.map { store.seriesID(for: $0.labels) } }
        for (id, point) in zip(healthIDs, result.health) {
            store.append(id: id, time: (point.timestamp ?? result.time).milliseconds, value: point.value)
        }
    }

    /// The series ids of the slots in use, by slot (for tests and the catalog).
    public var seriesIDs: [Int] { ids.filter { $0 >= 0 } }
}
