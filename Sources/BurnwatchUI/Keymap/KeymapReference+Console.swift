import BurnwatchRunbooks

extension KeymapReference {
    /// The console's bindings: the global ones, then each screen's own (the runbook screen in
    /// checklist mode, where it has the most), then the replay's.
    public static var console: [Section] {
        var runbook = RunbookScreenState(library: RunbookLibrary(documents: []), place: RunbookPlace(fileName: "README.md"),
                                         marks: [:], user: "", glyphs: .unicode, size: TerminalSize(width: 80, height: 24))
        runbook.checklistMode = true
        return [
            Section(title: "Everywhere", keymap: .default),
            Section(title: "Runbooks", keymap: RunbookScreen(state: runbook).keymap),
            Section(title: "SLOs", keymap: SLOOverviewScreen(state: SLOOverviewState()).keymap),
            Section(title: "Signals", keymap: SignalsScreen.bindings),
            Section(title: "Metrics", keymap: MetricsScreen(state: MetricsScreenState()).keymap),
            Section(title: "Logs", keymap: LogsScreen().keymap),
            Section(title: "Replay (burnwatch replay, burnwatch demo: before every screen's own keys)", keymap: .replay),
        ]
    }
}
