import ArgumentParser
import BurnwatchConfig
import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchRuntime
import BurnwatchTerminal
import BurnwatchUI
import Foundation

/// `burnwatch watch`: the live console over the configured targets, query APIs and SLOs.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch services live: SLO overview, metrics (targets, series, charts), runbooks.",
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
        let journal = ConsoleJournal.open(path: command.console.journal, environment: environment)
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
        let console = try ConsoleTerminalSetup.open(mouse: command.console.mouse, environment: environment)
        defer { console.backend.end() }
        let glyphs = console.glyphs

        var screens: [any ScreenModel] = []
        if !sources.slos.isEmpty {
            screens.append(SLOOverviewScreen(state: SLOOverviewState(specs: sources.slos, runbookSections: loaded.library.sections(for: .sloBurn),
                                                                     glyphs: glyphs)))
        }
        let targets = config.services.flatMap { service in
            service.targets.map { TargetHealth(job: service.name, instance: ScrapeTarget.defaultInstance($0.url), url: $0.url) }
        }
        screens.append(MetricsScreen(state: MetricsScreenState(targets: targets, glyphs: glyphs)))
        if !loaded.library.documents.isEmpty {
            let runbookState = RunbookScreenState(library: loaded.library, place: RunbookPlace(fileName: "README.md"),
                                                  marks: journal.marks, user: journal.user, glyphs: glyphs,
                                                  size: console.bodySize, warning: journal.warning)
            screens.append(RunbookScreen(state: runbookState))
        }
        if logFeed != nil {
            // Logs first when there is nothing to scrape and no SLO; else after the metrics screen.
            let logsFirst = sources.slos.isEmpty && targets.isEmpty
            screens.insert(LogsScreen(), at: logsFirst ? 0 : min(screens.count, sources.slos.isEmpty ? 1 : 2))
        }
        var app = AppState(screens: screens, size: console.size, glyphs: glyphs, mouseEnabled: command.console.mouse)
        if let first = sources.unevaluable.first {
            // SLOs whose SLI is a Sloth plugin are listed by check-config; say so here too, once.
            let more = sources.unevaluable.count > 1 ? " (and \(sources.unevaluable.count - 1) more; see check-config)" : ""
            app.status = StatusMessage("\(first.service)/\(first.name): \(first.reason)\(more)", role: .warning)
        }
        let loop = try ConsoleRunLoop(state: app, terminal: console.terminal, signals: console.signals) { effect, loop in
            if session.handle(effect) { return }
            if let request = SLOEffects.parse(effect) {
                loop.send(.external(request))
            } else {
                _ = console.performShared(effect, journal: journal.journal, loop: loop)
            }
        }
        session.start(channel: loop.channel)
        let exit = loop.run()
        console.backend.end()
        session.stop()
        console.finish(exit)
    }
}
