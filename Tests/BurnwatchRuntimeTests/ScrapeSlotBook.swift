import BurnwatchCore
import BurnwatchParsing
@testable import BurnwatchRuntime

/// What a reader of a target's results knows: slot → labels, kept from result to result, as
/// the store's `ScrapeSeriesTable` keeps slot → series (tests read labels through it).
struct ScrapeSlotBook {
    private(set) var labels: [Int32: Labels] = [:]

    /// Takes in the next result of the target.
    ///
    /// - Returns: its samples with their labels (a slot never defined reads as `{__unknown_slot__="N"}`),
    ///   and the labels of its vanished series.
    mutating func read(_ result: ScrapeResult) -> (points: [ExpositionPoint], vanished: [Labels]) {
        if result.resync { labels = [:] }
        for definition in result.newSeries { labels[definition.slot] = definition.labels }
        let s = result.samples
        let points = (0..<s.count).map { k in
            ExpositionPoint(labels: labels[s.slots[k]] ?? Labels(["__unknown_slot__": String(s.slots[k])]), value: s.values[k],
                            timestamp: s.timestamps[k] == ScrapeSamples.noTimestamp ? nil : Timestamp(milliseconds: s.timestamps[k]))
        }
        let vanished = result.vanished.map { labels.removeValue(forKey: $0) ?? Labels(["__unknown_slot__": String($0)]) }
        return (points, vanished)
    }
}

extension ScrapeResult {
    /// The samples with their labels, for a target's first result (every series is new in it).
    var points: [ExpositionPoint] {
        var book = ScrapeSlotBook()
        return book.read(self).points
    }
}
