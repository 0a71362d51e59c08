import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording

extension RecordedScrape {
    /// The raw form of a live scrape, taken by the store thread at `at`. The URL's password is
    /// removed, as it is from the recorded configuration (whose target URLs the replay matches).
    init(_ result: ScrapeResult, at: Timestamp) {
        self.init(at: at.milliseconds, url: ConfigSecretScrubber.scrubURLPasswords(result.target.url), job: result.target.job, time: result.time.milliseconds,
                  durationSeconds: result.durationSeconds, status: result.status, contentType: result.contentType,
                  failure: result.failure?.message, body: result.body)
    }
}

extension RecordedLogDispatch {
    /// The raw form of a log dispatch, taken by the store thread at `at`.
    init(_ dispatch: LiveSampleQueue.Dispatch, at: Timestamp) {
        self.init(at: at.milliseconds, arrival: dispatch.arrival.milliseconds, items: dispatch.items.map(Item.init))
    }

    /// The items as the log feed's queue holds them.
    var sourceItems: [LogSourceItem] { items.map(\.sourceItem) }
}

extension RecordedLogDispatch.Item {
    init(_ item: LogSourceItem) {
        switch item {
        case .line(let source, let bytes, let truncated):
            self.init(kind: truncated ? .truncatedLine : .line, source: source, payload: bytes)
        case .error(let source, let message):
            self.init(kind: .error, source: source, payload: Array(message.utf8))
        case .notice(let source, let message):
            self.init(kind: .notice, source: source, payload: Array(message.utf8))
        }
    }

    var sourceItem: LogSourceItem {
        switch kind {
        case .line: .line(source: source, bytes: payload, truncated: false)
        case .truncatedLine: .line(source: source, bytes: payload, truncated: true)
        case .error: .error(source: source, message: String(decoding: payload, as: UTF8.self))
        case .notice: .notice(source: source, message: String(decoding: payload, as: UTF8.self))
        }
    }
}
