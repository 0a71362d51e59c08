import ArgumentParser
import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
import BurnwatchRunbooks
import BurnwatchRuntime
import BurnwatchTerminal
import BurnwatchUI
import Foundation

/// `burnwatch watch`: the live console over the configured targets, query APIs and SLOs.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch services live: SLO overview, signals, metrics (targets, series, charts), logs, runbooks.",
        discussion: """
            Scrapes the configured targets, evaluates the SLOs every second (on the embedded engine, or on \
            a service's query_api) and shows the SLO overview first when SLOs exist, else the metrics screen. \
            Tab switches screens; on the metrics screen `:chart EXPR [> threshold]` charts any PromQL.
            """)

    @Option(help: "The configuration file (default ./burnwatch.yaml, then $XDG_CONFIG_HOME/burnwatch/config.yaml).")
    var config: String?

    @Option(name: .customLong("runbooks"), help: "A team runbook folder overlaying the bundled ones (repeatable).")
    var runbookDirectories: [String] = []

    @OptionGroup var console: ConsoleOptions

    @Option(name: .customLong("logs"), help: "A log file or glob to follow like tail -F (repeatable); works without a config.")
    var logFiles: [String] = []

    @Flag(name: .customLong("logs-from-start"), help: "Read followed log files from their beginning, not their end.")
    var logsFromStart = false

    @Option(help: "Record everything scraped and read into this new .burnwatch file (replay it with `burnwatch replay`).")
    var record: String?

    @Option(name: .customLong("stats-file"), help: ArgumentHelp(
        "Append the console's counters to this file every 5 s, one JSON object a line (log lines read, dropped, late; scrapes).",
        valueName: "file"))
    var statsFile: String?

    func run() throws {
        try runConsole { try WatchConsole.run(self) }
    }
}

/// Sets up the session and the screens, runs the console, and stops everything however it ends.
enum WatchConsole {
    static func run(_ command: WatchCommand) throws {
        let sources = try SLOSources.load(config: command.config, sloFiles: [], autoLocate: true, requireSLOs: false)
        guard let config = sources.config ?? (command.logFiles.isEmpty ? nil : BurnwatchConfiguration(file: "")) else {
            throw BurnwatchError(.usage, "no configuration: give --config F, or put a burnwatch.yaml in this folder")
        }
        let environment = Platform.environment
        let loaded = RunbookLoader.library(teamDirectories: config.runbookFolders + command.runbookDirectories)
        let session = try WatchSession(config: config, slos: sources.slos)
        let logFeed = try LogFeed.forWatch(config: config.logSources, files: command.logFiles, fromStart: command.logsFromStart)
        if logFeed == nil, !config.services.contains(where: { !$0.targets.isEmpty || $0.queryAPI != nil }) {
            let file = config.file.isEmpty ? "the configuration" : config.file
            throw BurnwatchError(.usage, """
                nothing to watch: \(file) has no service with `targets` or `query_api`, and no logs are given. \
                Add `targets: [{url: "http://HOST:PORT/metrics"}]` or `query_api: {url: "http://PROMETHEUS:9090"}` to a service, \
                `log_sources:` to the config, or run `burnwatch watch --logs FILE`; to evaluate files instead, run `burnwatch eval --metrics FILE`.
                """)
        }
        if let logFeed { session.feeds.append(logFeed) }
        var recording: (Recording, RecordingWriter)?
        if let out = command.record {
            recording = try RecordingSetup.create(out: out, sources: sources, config: config, logFiles: command.logFiles)
            session.recorder = recording?.1
        }
        defer { recording.map { RecordingSetup.close($0.1, printing: true) } }
        session.signalEngine = SignalEngine(runbooks: SignalEvaluation.runbookMap(loaded.library),
                                            services: config.services.map(\.name), configs: config.signalConfigs)
        // While recording, ticks, notes and the timeline go into the recording's own journal.
        let journal = recording.map { ConsoleJournal.inside($0.0, environment: environment) }
            ?? ConsoleJournal.open(path: command.console.journal, environment: environment)
        session.journalLine = JournalLineWriter(journal.journal).write
        let console = try ConsoleTerminalSetup.open(mouse: command.console.mouse, environment: environment)
        defer { console.backend.end() }
        let glyphs = console.glyphs

        let screens = ConsoleScreens.make(slos: sources.slos, config: config, library: loaded.library, journal: journal,
                                          glyphs: glyphs, bodySize: console.bodySize, hasLogs: logFeed != nil)
        var app = AppState(screens: screens, size: console.size, glyphs: glyphs, mouseEnabled: command.console.mouse)
        if let first = sources.unevaluable.first {
            // SLOs whose SLI is a Sloth plugin are listed by check-config; say so here too, once.
            let more = sources.unevaluable.count > 1 ? " (and \(sources.unevaluable.count - 1) more; see check-config)" : ""
            app.status = StatusMessage("\(first.service)/\(first.name): \(first.reason)\(more)", role: .warning)
        }
        let loop = try ConsoleRunLoop(state: app, terminal: console.terminal, signals: console.signals) { effect, loop in
            if session.handle(effect) { return }
            WatchConsole.perform(effect, at: Platform.now(), journalsTransitions: true, console: console, journal: journal, loop: loop)
        }
        let stats = command.statsFile.map { WatchStatsFile(path: $0, session: session, logs: logFeed, channel: loop.channel) }
        try stats?.start()
        session.start(channel: loop.channel)
        let exit = loop.run()
        console.backend.end()
        session.stop()
        stats?.stop()
        console.finish(exit, beforeDying: { recording.map { RecordingSetup.close($0.1, printing: false) } })
    }

    /// Carries out the effects the watch and replay consoles share, once their session has had
    /// its turn: requests between screens, journal entries (acknowledgements at `time`, notes,
    /// and signal transitions when `journalsTransitions`: a replay's recording holds them
    /// already), and the console's own effects.
    ///
    /// - Returns: the note written, if the effect was a note.
    @discardableResult
    static func perform(_ effect: Effect, at time: Timestamp, journalsTransitions: Bool, console: ConsoleTerminalSetup,
                        journal: ConsoleJournal, loop: ConsoleRunLoop) -> (text: String, at: Timestamp)? {
        if let request = SLOEffects.parse(effect) {
            loop.send(.external(request))
        } else if let request = SignalEffects.parse(effect) {
            loop.send(.external(request))
        } else if let line = SignalEffects.parseJournal(effect) {
            if journalsTransitions { Self.journal(line.text, runbook: line.runbook, at: line.at, journal: journal, loop: loop) }
        } else if let ack = SignalEffects.parseAcknowledge(effect) {
            Self.journal("signal \(ack.kind) on \(ack.service) acknowledged", kind: .acknowledgement, runbook: nil, at: time, journal: journal, loop: loop)
        } else if let note = ReplayEffects.parseNote(effect) {
            Self.journal(note.text, kind: .comment, runbook: nil, at: note.at, journal: journal, loop: loop)
            return note
        } else {
            _ = console.performShared(effect, journal: journal.journal, loop: loop)
        }
        return nil
    }

    /// Writes a timeline line to the journal (a signal by default); a failure is shown, and the session goes on.
    static func journal(_ text: String, kind: JournalEntry.Kind = .signal, runbook: String?, at time: Timestamp,
                        journal: ConsoleJournal, loop: ConsoleRunLoop) {
        do { try journal.journal.recordEntry(kind: kind.rawValue, text: text, by: journal.user, at: time, runbookRef: runbook) } catch {
            loop.send(.external(RunbookJournalFailure(message: "\(error)")))
        }
    }
}
