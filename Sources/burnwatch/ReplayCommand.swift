import ArgumentParser
import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
import BurnwatchRunbooks
import BurnwatchRuntime
import BurnwatchTerminal
import BurnwatchUI
import Foundation

/// `burnwatch replay FILE`: a recording in the same console as `watch`, on a virtual clock.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded incident in the console: pause, speed, seek, step from signal to signal.",
        discussion: """
            The recording's scrapes and log lines go through the same parsers, SLO evaluation and detectors \
            as they did live, at the same times, so every number and signal is the one the live session had. \
            Keys: space pause/play, + and - speed (×1 … ×1000, max), n and N next and previous alert or signal, \
            :goto 14:05 or :goto -10m to seek, :note TEXT to add a note to the recording's journal.
            """)

    @Argument(help: "The .burnwatch recording (or give --metrics/--logs files instead).")
    var file: String?

    @Option(name: .customLong("metrics"), help: "A timestamped metrics file to replay instead of a recording (OpenMetrics or text with ms timestamps; repeatable).")
    var metrics: [String] = []

    @Option(name: .customLong("logs"), help: "A log file to replay by the time of its lines (repeatable).")
    var logs: [String] = []

    @Option(help: "The configuration (SLOs, signals) for --metrics/--logs replays (default ./burnwatch.yaml, then $XDG_CONFIG_HOME/burnwatch/config.yaml).")
    var config: String?

    @Option(help: "Recording seconds per real second (1 … 1000), or `max`.")
    var speed: String = "1"

    @Option(help: "Where to begin: RFC 3339, Unix seconds, HH:MM (UTC), or -10m from the end.")
    var start: String?

    @Option(name: .customLong("runbooks"), help: "A team runbook folder overlaying the bundled ones (repeatable).")
    var runbookDirectories: [String] = []

    @Flag(help: "Report mouse wheel and clicks.")
    var mouse = false

    func run() throws {
        let speedValue = try Self.parseSpeed(speed)
        try runConsole {
            let input: ReplayInput
            switch (file, metrics.isEmpty && logs.isEmpty) {
            case (let file?, true): input = try ReplayInput.recording(file, runbooks: runbookDirectories)
            case (nil, false): input = try ReplayInput.files(metrics: metrics, logs: logs, config: config, runbooks: runbookDirectories)
            case (_?, false): throw BurnwatchError(.usage, "give a recording or --metrics/--logs files, not both")
            case (nil, true): throw BurnwatchError(.usage, "give a recording to replay (or --metrics/--logs files)")
            }
            try ReplayConsole.run(input, speed: speedValue, start: start, mouse: mouse, banner: nil)
        }
    }

    /// `max` or a number from 0.1 to 1000.
    static func parseSpeed(_ text: String) throws -> Double? {
        if text == "max" { return nil }
        guard let v = Double(text.hasPrefix("x") ? String(text.dropFirst()) : text), v >= 0.1, v <= 1000 else {
            throw BurnwatchError(.usage, "--speed must be a number from 0.1 to 1000, or max; found \(text)")
        }
        return v
    }
}

/// What a replay plays: a recording's events and setup, or files made into events.
struct ReplayInput {
    var events: [RecordedEvent]
    var setup: ReplayEngine.Setup
    var marks: [ReplayMark]
    var library: RunbookLibrary
    var journal: ConsoleJournal
    var warnings: [String]
    /// Called once the console has closed (a recording leaves WAL mode).
    var finish: () -> Void

    /// A recording, opened for writing when it can be (notes go into its journal).
    static func recording(_ file: String, runbooks: [String]) throws -> ReplayInput {
        let opened = try RecordingSetup.open(file, writable: true)
        guard !opened.events.isEmpty else {
            let why = opened.damage.map { ": \($0)" } ?? ""
            throw BurnwatchError(.recording, "the recording holds no events\(why)", at: SourcePosition(source: file))
        }
        let folders = opened.config.runbookFolders.filter { FileManager.default.fileExists(atPath: $0) } + runbooks
        let library = RunbookLoader.library(teamDirectories: folders).library
        return ReplayInput(events: opened.events, setup: try opened.setup(library: library), marks: opened.marks, library: library,
                           journal: ConsoleJournal.inside(opened.recording, environment: Platform.environment),
                           warnings: opened.warnings, finish: { opened.recording.finish() })
    }

    /// Timestamped metrics files and log files, merged by time (see `FileReplayEvents`).
    static func files(metrics: [String], logs: [String], config: String?, runbooks: [String]) throws -> ReplayInput {
        let sources = try SLOSources.load(config: config, sloFiles: [], autoLocate: true, requireSLOs: false)
        let configuration = sources.config ?? BurnwatchConfiguration(file: "")
        let library = RunbookLoader.library(teamDirectories: configuration.runbookFolders + runbooks).library
        let built = try FileReplayEvents.build(metrics: metrics, logs: logs) { SLOSources.warn($0) }
        guard !built.events.isEmpty else { throw BurnwatchError(.usage, "the files hold no timestamped samples or lines") }
        var setup = ReplayEngine.Setup(config: configuration, slos: sources.slos,
                                       signals: SignalEngine(runbooks: SignalEvaluation.runbookMap(library),
                                                             services: configuration.services.map(\.name), configs: configuration.signalConfigs),
                                       logInputs: logs.map { LogFeedInput(.file(pattern: $0, fromStart: true)) })
        setup.initialStore = built.store
        let journal = ConsoleJournal(journal: MemoryChecklistJournal(), marks: [:],
                                     warning: "replaying files: notes and ticks are kept in memory only",
                                     user: ConsoleJournal.user(Platform.environment))
        return ReplayInput(events: built.events, setup: setup, marks: [], library: library, journal: journal, warnings: [], finish: {})
    }
}

/// Runs the replay console until the user quits.
enum ReplayConsole {
    /// - Parameters:
    ///   - banner: a first status line (the demo names its keys).
    ///   - afterwards: what to print once the terminal is restored.
    static func run(_ input: ReplayInput, speed: Double?, start: String?, mouse: Bool, banner: String?,
                    afterwards: String? = nil) throws {
        for warning in input.warnings { CommandOutput.error("burnwatch replay: warning: \(warning)") }
        let environment = Platform.environment
        let setup = input.setup
        let first = Timestamp(milliseconds: input.events.first!.at), last = Timestamp(milliseconds: input.events.last!.at)
        var startTime: Timestamp?
        if let start {
            let status = ReplayStatus(start: first, end: last, position: last, speed: speed, paused: false, marks: [])
            guard let t = ReplayEffects.target(start, in: status) else {
                throw BurnwatchError(.usage, "--start: not a time: \(start) (RFC 3339, Unix seconds, HH:MM, or -10m)")
            }
            startTime = t
        }
        let session = ReplaySession(events: input.events, marks: input.marks, speed: speed, start: startTime) { ReplayEngine(setup: setup) }
        let journal = input.journal
        let console = try ConsoleTerminalSetup.open(mouse: mouse, environment: environment)
        defer { console.backend.end() }
        let screens = ConsoleScreens.make(slos: setup.slos, config: setup.config, library: input.library, journal: journal,
                                          glyphs: console.glyphs, bodySize: console.bodySize, hasLogs: !setup.logInputs.isEmpty)
        var app = AppState(screens: screens, size: console.size, glyphs: console.glyphs, mouseEnabled: mouse)
        app.replay = ReplayStatus(start: first, end: last, position: startTime ?? first, speed: speed, paused: false, marks: input.marks)
        app.now = startTime ?? first
        if let banner { app.status = StatusMessage(banner, role: .accent, expires: (startTime ?? first) + Interval(milliseconds: 120_000)) }
        else if let warning = input.warnings.first ?? journal.warning { app.status = StatusMessage(warning, role: .warning) }
        let loop = try ConsoleRunLoop(state: app, terminal: console.terminal, signals: console.signals, clock: { session.position }) { effect, loop in
            if session.handle(effect) { return }
            // transitions seen again are not journaled: the recording's journal has them from the live session
            if let note = WatchConsole.perform(effect, at: session.position, journalsTransitions: false, console: console,
                                               journal: journal, loop: loop) {
                session.addMark(ReplayMark(time: note.at, level: .info, text: note.text))
            }
        }
        session.start(channel: loop.channel)
        let exit = loop.run()
        console.backend.end()
        session.stop()
        input.finish()
        console.finish(exit)
        if let afterwards { CommandOutput.error(afterwards) }
    }
}
