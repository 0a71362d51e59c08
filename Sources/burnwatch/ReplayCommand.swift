import ArgumentParser
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

    @Argument(help: "The .burnwatch recording.")
    var file: String

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
            try ReplayConsole.run(file: file, speed: speedValue, start: start, runbooks: runbookDirectories, mouse: mouse, banner: nil)
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

/// Opens a recording and runs the replay console until the user quits.
enum ReplayConsole {
    /// - Parameters:
    ///   - banner: a first status line (the demo names its keys).
    ///   - afterwards: what to print once the terminal is restored.
    static func run(file: String, speed: Double?, start: String?, runbooks: [String], mouse: Bool, banner: String?,
                    afterwards: String? = nil) throws {
        let opened = try RecordingSetup.open(file, writable: true)
        guard !opened.events.isEmpty else {
            let why = opened.damage.map { ": \($0)" } ?? ""
            throw BurnwatchError(.recording, "the recording holds no events\(why)", at: SourcePosition(source: file))
        }
        for warning in opened.warnings { CommandOutput.error("burnwatch replay: warning: \(warning)") }
        let environment = Platform.environment
        let loaded = RunbookLoader.library(teamDirectories: opened.config.runbookFolders.filter { FileManager.default.fileExists(atPath: $0) } + runbooks)
        let setup = try opened.setup(library: loaded.library)
        let first = Timestamp(milliseconds: opened.events.first!.at), last = Timestamp(milliseconds: opened.events.last!.at)
        var startTime: Timestamp?
        if let start {
            let status = ReplayStatus(start: first, end: last, position: last, speed: speed, paused: false, marks: [])
            guard let t = ReplayEffects.target(start, in: status) else {
                throw BurnwatchError(.usage, "--start: not a time: \(start) (RFC 3339, Unix seconds, HH:MM, or -10m)")
            }
            startTime = t
        }
        let session = ReplaySession(events: opened.events, marks: opened.marks, speed: speed, start: startTime) { ReplayEngine(setup: setup) }
        let journal = ConsoleJournal.inside(opened.recording, environment: environment)
        let console = try ConsoleTerminalSetup.open(mouse: mouse, environment: environment)
        defer { console.backend.end() }
        let screens = ConsoleScreens.make(slos: opened.slos, config: opened.config, library: loaded.library, journal: journal,
                                          glyphs: console.glyphs, bodySize: console.bodySize, hasLogs: !setup.logInputs.isEmpty)
        var app = AppState(screens: screens, size: console.size, glyphs: console.glyphs, mouseEnabled: mouse)
        app.replay = ReplayStatus(start: first, end: last, position: startTime ?? first, speed: speed, paused: false, marks: opened.marks)
        app.now = startTime ?? first
        if let banner { app.status = StatusMessage(banner, role: .accent, expires: (startTime ?? first) + Interval(milliseconds: 120_000)) }
        else if let warning = opened.warnings.first { app.status = StatusMessage(warning, role: .warning) }
        let loop = try ConsoleRunLoop(state: app, terminal: console.terminal, signals: console.signals, clock: { session.position }) { effect, loop in
            if session.handle(effect) { return }
            if let request = SLOEffects.parse(effect) {
                loop.send(.external(request))
            } else if let request = SignalEffects.parse(effect) {
                loop.send(.external(request))
            } else if SignalEffects.parseJournal(effect) != nil {
                // transitions seen again: the recording's journal has them from the live session
            } else if let ack = SignalEffects.parseAcknowledge(effect) {
                WatchConsole.journal("signal \(ack.kind) on \(ack.service) acknowledged", kind: .acknowledgement, runbook: nil,
                                     at: session.position, journal: journal, loop: loop)
            } else if let note = ReplayEffects.parseNote(effect) {
                WatchConsole.journal(note.text, kind: .comment, runbook: nil, at: note.at, journal: journal, loop: loop)
                session.addMark(ReplayMark(time: note.at, level: .info, text: note.text))
            } else {
                _ = console.performShared(effect, journal: journal.journal, loop: loop)
            }
        }
        session.start(channel: loop.channel)
        let exit = loop.run()
        console.backend.end()
        session.stop()
        opened.recording.finish()
        console.finish(exit)
        if let afterwards { CommandOutput.error(afterwards) }
    }
}
