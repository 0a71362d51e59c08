import ArgumentParser
import BurnwatchCore
import BurnwatchRecording
import BurnwatchRunbooks
import BurnwatchRuntime

/// `burnwatch export`: a recording's incident timeline for the postmortem.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a recording's incident timeline: alerts, signals with evidence, acknowledgements, checklists, notes, durations.",
        discussion: """
            Markdown pastes into a postmortem; JSON is documented in docs/recording.md and stable. The \
            signals' evidence is computed by replaying the recording, so it is the evidence they fired with.
            """)

    @Argument(help: "The .burnwatch recording.")
    var file: String

    @Option(help: "markdown (default) or json.")
    var format: String = "markdown"

    func run() throws {
        do {
            guard format == "markdown" || format == "md" || format == "json" else {
                throw BurnwatchError(.usage, "--format must be markdown or json, found \(format)")
            }
            let timeline = try Self.timeline(file)
            if format == "json" { CommandOutput.json(IncidentTimelineFormat.json(timeline)) }
            else { CommandOutput.report(IncidentTimelineFormat.markdown(timeline), terminator: "") }
        } catch let e as BurnwatchError {
            CommandOutput.error("burnwatch export: \(e)")
            throw ExitCode(1)
        }
    }

    /// Replays the recording headless for the signals' evidence and reads its journal.
    static func timeline(_ path: String) throws -> IncidentTimeline {
        let opened = try RecordingSetup.open(path, writable: false)
        for warning in opened.warnings { SLOSources.warn(warning) }
        let library = RunbookLoader.library(teamDirectories: []).library
        let engine = ReplayEngine(setup: try opened.setup(library: library))
        var transitions: [SignalTransition] = []
        for event in opened.events {
            engine.apply(event, sink: nil)
            if case .round(let r) = event, r.signals { transitions += engine.lastSignalTransitions }
        }
        var totals: [String: Int] = [:]
        for document in library.documents { totals[document.fileName] = document.checklistItems.count }
        let entries = try opened.recording.journal.entries()
        return IncidentTimeline(recording: path, start: Timestamp(milliseconds: opened.events.first?.at ?? 0),
                                end: Timestamp(milliseconds: opened.events.last?.at ?? 0), entries: entries,
                                transitions: transitions, checklistTotals: totals)
    }
}
