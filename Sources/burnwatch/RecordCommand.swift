import ArgumentParser
import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
import BurnwatchRunbooks
import BurnwatchRuntime
import BurnwatchUI
import Foundation

/// `burnwatch record`: the watch session without a terminal, writing a recording, to run beside a
/// service for as long as it takes.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a session without a terminal: every scrape and log line, the alerts and signals, into a .burnwatch file.",
        discussion: """
            Scrapes and follows what `burnwatch watch` would, evaluates SLOs and signals the same way (their \
            transitions go into the recording's journal), and commits a compressed batch every second, so a \
            crash loses at most the last second. Stops after --duration, or on SIGINT/SIGTERM. With --max-size \
            the oldest batches are dropped to stay under it, and the file says from when it holds events.
            """)

    @Option(help: "The configuration file (default ./burnwatch.yaml, then $XDG_CONFIG_HOME/burnwatch/config.yaml).")
    var config: String?

    @Option(help: "The new recording file (.burnwatch).")
    var out: String

    @Option(help: "Stop after this long (e.g. 30m, 8h); default: until SIGINT or SIGTERM.")
    var duration: String?

    @Option(name: .customLong("max-size"), help: "Keep the file under this size (e.g. 500MB, 2GB): the oldest batches go first.")
    var maxSize: String?

    @Option(name: .customLong("logs"), help: "A log file or glob to follow like tail -F (repeatable).")
    var logFiles: [String] = []

    @Flag(name: .customLong("logs-from-start"), help: "Read followed log files from their beginning, not their end.")
    var logsFromStart = false

    @Flag(help: "Print no progress lines.")
    var quiet = false

    func run() throws {
        do { try record() } catch let e as BurnwatchError {
            CommandOutput.error("burnwatch record: \(e)")
            throw ExitCode(1)
        }
    }

    /// A size such as `500MB`, `2GB`, `64k` or a byte count.
    static func parseSize(_ text: String) throws -> Int64 {
        let units: [(String, Int64)] = [("GB", 1 << 30), ("G", 1 << 30), ("MB", 1 << 20), ("M", 1 << 20), ("KB", 1 << 10), ("K", 1 << 10), ("B", 1)]
        let upper = text.uppercased()
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            if let n = Double(upper.dropLast(suffix.count)), n > 0 { return Int64(n * Double(factor)) }
        }
        if let n = Int64(text), n > 0 { return n }
        throw BurnwatchError(.usage, "--max-size must be a size such as 500MB or 2GB, found \(text)")
    }

    private func record() throws {
        let sources = try SLOSources.load(config: config, sloFiles: [], autoLocate: true, requireSLOs: false)
        guard let configuration = sources.config ?? (logFiles.isEmpty ? nil : BurnwatchConfiguration(file: "")) else {
            throw BurnwatchError(.usage, "no configuration: give --config F, or put a burnwatch.yaml in this folder")
        }
        let stopAfter = try duration.map { try SLOSources.duration($0, "--duration") }
        let bound = try maxSize.map(Self.parseSize)
        if let bound, bound < 1 << 20 { throw BurnwatchError(.usage, "--max-size must be at least 1MB") }
        let loaded = RunbookLoader.library(teamDirectories: configuration.runbookFolders)
        let session = try WatchSession(config: configuration, slos: sources.slos)
        if let feed = try LogFeed.forWatch(config: configuration.logSources, files: logFiles, fromStart: logsFromStart) {
            session.feeds.append(feed)
        }
        guard !session.feeds.isEmpty || configuration.services.contains(where: { !$0.targets.isEmpty }) else {
            throw BurnwatchError(.usage, "nothing to record: no service has `targets`, and no logs are given")
        }
        session.signalEngine = SignalEngine(runbooks: SignalEvaluation.runbookMap(loaded.library),
                                            services: configuration.services.map(\.name), configs: configuration.signalConfigs)
        let (recording, writer) = try RecordingSetup.create(out: out, sources: sources, config: configuration, logFiles: logFiles, maxSize: bound)
        session.recorder = writer
        session.journalLine = JournalLineWriter(JournalLocation.journal(of: recording)).write
        session.journalSignals = true

        let signals = try SignalPipe()
        let channel = try EventChannel<AppEvent>(capacity: 4096)
        session.start(channel: channel)
        let started = Platform.monotonicMilliseconds()
        var nextReport = started + 60_000
        var endedBy: Int32?
        if !quiet { CommandOutput.error("burnwatch record: recording to \(out)" + (stopAfter.map { " for \($0)" } ?? " until SIGINT/SIGTERM")) }
        loop: while true {
            let now = Platform.monotonicMilliseconds()
            if let stopAfter, now - started >= stopAfter.milliseconds { break }
            let ready = Platform.waitReadable([signals.readEnd, channel.wakeReadEnd], timeoutMilliseconds: 500)
            if ready[1] { _ = channel.receiveAll() }   // the screens' updates: nobody watches them here
            if ready[0] {
                for signal in signals.pending() {
                    if case .terminate(let number) = signal { endedBy = number; break loop }
                }
            }
            if !quiet, now >= nextReport {
                nextReport = now + 60_000
                let w = writer.written
                var line = "burnwatch record: \((now - started) / 60_000) min, \(w.events) events, \(RecordingSetup.bytes(w.storedBytes)) stored"
                if let error = writer.lastError { line += "; write failing: \(error)" }
                CommandOutput.error(line)
            }
        }
        session.stop()
        RecordingSetup.close(writer, printing: !quiet)
        if let endedBy {
            signals.uninstall()
            Platform.dieBySignal(endedBy)
        }
    }
}
