import BurnwatchConfig
import BurnwatchCore
import BurnwatchParsing
import BurnwatchUI

/// The log feed as a live source of `burnwatch watch`: started and stopped with the session, its
/// lines go to the logs screen and its log-derived series into the session's store.
extension LogFeed: LiveSampleFeed {
    public var name: String { "logs" }

    public func start(channel: EventChannel<AppEvent>) { start(sink: channel) }

    public func attach(samples: LiveSampleQueue) { self.samples = samples }

    /// One row for the header: healthy while no source failed or exited.
    public var health: LiveFeedHealth {
        let sources = healthSnapshot
        let bad = sources.filter { $0.state == .failed || $0.state == .exited || $0.state == .waiting }
        let lines = sources.reduce(0) { $0 + $1.lines }
        let dropped = sources.reduce(0) { $0 + $1.dropped }
        let detail = bad.first.map { "\($0.name): \($0.lastError ?? $0.state.rawValue)" } ?? "\(sources.count) sources, \(lines) lines"
        return LiveFeedHealth(name: name, healthy: bad.isEmpty, detail: detail, dropped: dropped)
    }

    /// The feed for the config's `log_sources` plus `--logs` paths (followed from their end), or
    /// nil when there is none.
    ///
    /// - Throws: `BurnwatchError` `.config` for an unknown preset name.
    public static func forWatch(config: [LogSourceConfig], files: [String], fromStart: Bool = false) throws -> LogFeed? {
        var inputs: [LogFeedInput] = []
        for source in config {
            var preset: LogPreset?
            if let name = source.preset {
                guard let p = LogPreset(rawValue: name) else {
                    throw BurnwatchError(.config, "unknown log preset `\(name)`; expected one of "
                                         + LogPreset.allCases.map(\.rawValue).joined(separator: ", "), at: source.origin)
                }
                preset = p
            }
            switch source.kind {
            case .files(let patterns):
                for p in patterns { inputs.append(LogFeedInput(.file(pattern: p, fromStart: fromStart), preset: preset, service: source.service)) }
            case .command(let argv):
                inputs.append(LogFeedInput(.command(argv: argv, name: nil), preset: preset, service: source.service))
            case .stdin:
                inputs.append(LogFeedInput(.stdin, preset: preset, service: source.service))
            }
        }
        for file in files { inputs.append(LogFeedInput(.file(pattern: file, fromStart: fromStart))) }
        return inputs.isEmpty ? nil : LogFeed(inputs: inputs)
    }
}
