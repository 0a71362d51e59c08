import Foundation

/// Reads what `burnwatch watch --stats-file` appended since the last read: the latest counters,
/// and the durations of the scrapes that finished in between.
struct SoakStatsReader {
    /// The console's counters as of its latest line.
    struct Counters: Equatable {
        var lines = 0
        var dropped = 0
        var queueDropped = 0
        var late = 0
        var channelDropped = 0
        var scrapesDropped = 0
        var scrapesUp = 0
        var scrapesDown = 0
        /// Lines the console took in: decoded and not refused by a full channel.
        var read: Int { lines - (dropped - queueDropped) }
    }

    let path: String
    private var offset = 0
    private var partial = Data()
    private(set) var latest = Counters()
    private(set) var linesSeen = 0

    init(path: String) { self.path = path }

    /// Takes the lines appended since the last call; returns the scrape durations (ms) they list.
    mutating func read() -> [Double] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(offset))
        let data = handle.readDataToEndOfFile()
        offset += data.count
        partial.append(data)
        var durations: [Double] = []
        while let newline = partial.firstIndex(of: 10) {
            let line = partial[partial.startIndex..<newline]
            partial = Data(partial[partial.index(after: newline)...])
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { continue }
            linesSeen += 1
            var c = Counters()
            for row in object["logs"] as? [[String: Any]] ?? [] {
                c.lines += row["lines"] as? Int ?? 0
                c.dropped += row["dropped"] as? Int ?? 0
                c.queueDropped += row["queue_dropped"] as? Int ?? 0
                c.late += row["late"] as? Int ?? 0
            }
            c.channelDropped = object["channel_dropped"] as? Int ?? 0
            c.scrapesDropped = object["scrapes_dropped"] as? Int ?? 0
            c.scrapesUp = latest.scrapesUp
            c.scrapesDown = latest.scrapesDown
            for target in object["targets"] as? [[String: Any]] ?? [] {
                if let ms = target["duration_ms"] as? Double { durations.append(ms) }
                if target["up"] as? Bool == true { c.scrapesUp += 1 } else { c.scrapesDown += 1 }
            }
            latest = c
        }
        return durations
    }

    /// Reads until the console's counters account for all `written` lines, or stop changing for
    /// three polls, for at most `limit` seconds (a console catching up after its writer stopped).
    mutating func settle(written: Int, limit: TimeInterval, poll: TimeInterval) {
        var last = latest
        var still = 0
        let end = Date().addingTimeInterval(limit)
        while Date() < end, still < 3 {
            Thread.sleep(forTimeInterval: poll)
            _ = read()
            if latest == last { still += 1 } else { still = 0 }
            last = latest
            if last.lines + last.queueDropped == written, still >= 1 { break }
        }
    }
}

/// The `q`-quantile (0…1) of `values` by nearest rank, or nil when there are none.
func soakQuantile(_ values: [Double], _ q: Double) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let rank = Int((q * Double(sorted.count)).rounded(.up))
    return sorted[min(sorted.count - 1, max(0, rank - 1))]
}
