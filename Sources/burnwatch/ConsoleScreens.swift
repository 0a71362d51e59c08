import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
import BurnwatchRunbooks
import BurnwatchRuntime
import BurnwatchUI

/// The screens of a watch or replay console, in tab order.
enum ConsoleScreens {
    /// The SLO overview first when there are SLOs, else metrics, else logs (nothing scraped, no
    /// SLO); the signals screen second (why it burns), then the rest, the runbooks last.
    static func make(slos: [SLOSpec], config: BurnwatchConfiguration, library: RunbookLibrary, journal: ConsoleJournal,
                     glyphs: Glyphs, bodySize: TerminalSize, hasLogs: Bool) -> [any ScreenModel] {
        var screens: [any ScreenModel] = []
        if !slos.isEmpty {
            screens.append(SLOOverviewScreen(state: SLOOverviewState(specs: slos, runbookSections: library.sections(for: .sloBurn),
                                                                     glyphs: glyphs)))
        }
        let targets = config.services.flatMap { service in
            service.targets.map { TargetHealth(job: service.name, instance: ScrapeTarget.defaultInstance($0.url), url: $0.url) }
        }
        let signals = SignalsScreen(state: SignalsScreenState(user: journal.user, glyphs: glyphs))
        let metrics = MetricsScreen(state: MetricsScreenState(targets: targets, glyphs: glyphs))
        if slos.isEmpty, targets.isEmpty, hasLogs {
            screens += [LogsScreen(), signals, metrics] as [any ScreenModel]
        } else {
            screens += slos.isEmpty ? [metrics, signals] as [any ScreenModel] : [signals, metrics]
            if hasLogs { screens.append(LogsScreen()) }
        }
        if !library.documents.isEmpty {
            let runbookState = RunbookScreenState(library: library, place: RunbookPlace(fileName: "README.md"),
                                                  marks: journal.marks, user: journal.user, glyphs: glyphs,
                                                  size: bodySize, warning: journal.warning)
            screens.append(RunbookScreen(state: runbookState))
        }
        return screens
    }
}

/// Writes the session's journal lines (alerts, and signals when headless) from its threads.
final class JournalLineWriter: @unchecked Sendable {
    private let journal: ChecklistJournal
    init(_ journal: ChecklistJournal) { self.journal = journal }

    /// Records one line as `burnwatch` (the session, not a person, saw it).
    @Sendable func write(_ kind: JournalEntry.Kind, _ text: String, _ runbook: String?, _ at: Timestamp) {
        try? journal.recordEntry(kind: kind.rawValue, text: text, by: "burnwatch", at: at, runbookRef: runbook)
    }
}
