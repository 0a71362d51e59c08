@testable import BurnwatchCore

/// Reads the store's tests share.
extension SeriesStore {
    /// Every sample of series `id`, oldest first.
    func allSamples(_ id: Int) -> [(Int64, Double)] {
        var out: [(Int64, Double)] = []
        forEachSample(id: id, from: .min, through: .max) { out.append(($0, $1)) }
        return out
    }
}
