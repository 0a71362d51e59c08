import ArgumentParser
import BurnwatchConfig
import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchRuntime
import Foundation

/// `burnwatch eval`: SLOs (and later signals) without a terminal, as JSON or a table.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate SLOs and signals over metrics and log files or a query API; exit 2 when something pages.",
        discussion: """
            With --at, prints one JSON object; with --from/--to/--every, one object per line. Each holds
            the SLOs and the signals active at that time (detectors warm up over the 10 minutes before).
            Exit codes: 0 nothing pages at the last evaluated time, 2 a page alert or signal fires, 1 an error.
            """)

    @OptionGroup var inputs: MetricsInputOptions

    @Option(help: "A .burnwatch recording: the numbers and signals the recorded session had at each time.")
    var recording: String?

    @Option(help: "The configuration file (default ./burnwatch.yaml, then $XDG_CONFIG_HOME/burnwatch/config.yaml).")
    var config: String?

    @Option(name: .customLong("slos"), help: "A Sloth prometheus/v1 or OpenSLO v1 file; repeatable.")
    var sloFiles: [String] = []

    @Option(help: "Evaluation time (RFC 3339 or Unix seconds); default the newest sample, or now.")
    var at: String?

    @Option(help: "First evaluation time of a range.")
    var from: String?

    @Option(help: "Last evaluation time of a range.")
    var to: String?

    @Option(help: "Step of a range (a duration such as 1m, or seconds).")
    var every: String?

    @Option(help: "Output: json (default) or text.")
    var format: String = "json"

    @Option(name: .customLong("promql-compat"), help: "PromQL semantics for local data: 3 (default) or 2 (Prometheus 2.x).")
    var promqlCompat: String = "3"

    func run() throws {
        do {
            let code = try evaluate()
            if code != 0 { throw ExitCode(code) }
        } catch let e as BurnwatchError {
            CommandOutput.error("burnwatch eval: \(e)")
            throw ExitCode(1)
        }
    }

    /// Evaluates and prints; returns the exit code (0 or 2).
    func evaluate() throws -> Int32 {
        guard format == "json" || format == "text" else { throw BurnwatchError(.usage, "--format must be json or text, found \(format)") }
        guard let compat = Int(promqlCompat), compat == 2 || compat == 3 else {
            throw BurnwatchError(.usage, "--promql-compat must be 2 or 3, found \(promqlCompat)")
        }
        if let recording {
            guard inputs.isEmpty, config == nil, sloFiles.isEmpty else {
                throw BurnwatchError(.usage, "--recording brings its own configuration and data: give it alone")
            }
            return try evaluate(recording: recording)
        }
        let sources = try SLOSources.load(config: config, sloFiles: sloFiles, autoLocate: sloFiles.isEmpty, requireSLOs: inputs.isEmpty)
        for (spec, warning) in sources.warnings { SLOSources.warn("\(spec.service)/\(spec.name): \(warning)") }
        sources.warnUnevaluable()

        let store = try inputs.loadStore { SLOSources.warn($0) }
        let local = PromQLEngine(store: store, options: PromQLOptions(compat: compat))

        let (start, end, step) = try times(defaultTime: inputs.isEmpty ? nil : SLOSources.newestSample(store))
        var perSLO: [[SLOStatus]] = []
        for spec in sources.slos {
            let querier = try sources.querier(for: spec, local: local, localData: !inputs.isEmpty)
            var machine = SLOAlertStateMachine()
            perSLO.append(try SLOEvaluator(querier: querier).evaluate(spec, from: start, to: end, every: step, machine: &machine, lookBack: true).statuses)
        }
        let count = perSLO.first?.count ?? Self.steps(start, end, step)
        var signals = SignalEvaluation(config: sources.config, querier: try signalQuerier(sources, local: local))
        signals.warmUp(before: start, step: step)
        var paging = false
        for k in 0..<count {
            let statuses = perSLO.map { $0[k] }
            let at = statuses.first?.at ?? Timestamp(milliseconds: start.milliseconds + Int64(k) * step.milliseconds)
            let active = signals.evaluate(at: at, statuses: statuses)
            paging = report(at: at, statuses: statuses, active: active, last: k == count - 1)
        }
        return paging ? 2 : 0
    }

    /// Prints one evaluation time in the chosen format.
    ///
    /// - Returns: whether something pages (the exit code of the last time).
    func report(at: Timestamp, statuses: [SLOStatus], active: [Signal], last: Bool) -> Bool {
        if format == "json" {
            CommandOutput.json(SLOReportFormat.json(at: at, statuses: statuses, signalsJSON: SignalReportFormat.json(active)))
        } else {
            CommandOutput.report(SLOReportFormat.text(at: at, statuses: statuses) + SignalReportFormat.text(active),
                                 terminator: last ? "" : "\n")
        }
        return statuses.contains { $0.state == .page } || active.contains { $0.severity == .page }
    }

    /// Replays a recording to each evaluation time and prints what its session showed then: the
    /// statuses and signals of its last evaluation round at or before the time.
    func evaluate(recording path: String) throws -> Int32 {
        let opened = try RecordingSetup.open(path, writable: false)
        for warning in opened.warnings { SLOSources.warn(warning) }
        guard let last = opened.events.last else { throw BurnwatchError(.recording, "the recording holds no events", at: SourcePosition(source: path)) }
        let library = RunbookLoader.library(teamDirectories: []).library
        let engine = ReplayEngine(setup: try opened.setup(library: library))
        let (start, end, step) = try times(defaultTime: Timestamp(milliseconds: last.at))
        var next = 0
        var paging = false
        var reported = Set<String>()
        let count = Self.steps(start, end, step)
        for k in 0..<count {
            let t = Timestamp(milliseconds: start.milliseconds + Int64(k) * step.milliseconds)
            while next < opened.events.count, opened.events[next].at <= t.milliseconds {
                engine.apply(opened.events[next], sink: nil)
                if case .round(let r) = opened.events[next], r.signals {
                    for p in engine.signalProblems where reported.insert(p.expression).inserted {
                        SLOSources.warn("signal query `\(p.expression)` failed: \(p.error)")
                    }
                }
                next += 1
            }
            let round = engine.lastRound
            let at = round?.at ?? t
            let statuses = round?.statuses ?? [], active = round?.active ?? []
            if round == nil { SLOSources.warn("no evaluation round at or before \(t): the recording starts at \(Timestamp(milliseconds: opened.events[0].at))") }
            paging = report(at: at, statuses: statuses, active: active, last: k == count - 1)
        }
        return paging ? 2 : 0
    }

    /// Where the detectors query: the local data when given, else the first service's query API.
    func signalQuerier(_ sources: SLOSources, local: PromQLEngine) throws -> any PromQLQuerier {
        if inputs.isEmpty, let api = sources.config?.services.lazy.compactMap(\.queryAPI).first {
            return try RemoteQuerierFactory.make(api)
        }
        return local
    }

    /// The evaluation times: `--at`, or `--from/--to/--every`.
    func times(defaultTime: Timestamp?) throws -> (Timestamp, Timestamp, Interval) {
        if from != nil || to != nil || every != nil {
            guard at == nil else { throw BurnwatchError(.usage, "--at cannot be combined with --from/--to/--every") }
            guard let from, let to, let every else { throw BurnwatchError(.usage, "a range needs --from, --to and --every") }
            let start = try SLOSources.time(from, "--from"), end = try SLOSources.time(to, "--to")
            guard end >= start else { throw BurnwatchError(.usage, "--to is before --from") }
            let step = try SLOSources.duration(every, "--every")
            guard Self.steps(start, end, step) <= 1_000_000 else { throw BurnwatchError(.usage, "more than 1,000,000 evaluation steps; use a larger --every") }
            return (start, end, step)
        }
        let t = try at.map { try SLOSources.time($0, "--at") } ?? defaultTime ?? Timestamp(seconds: Date().timeIntervalSince1970.rounded(.down))
        return (t, t, Interval(milliseconds: 1000))
    }

    static func steps(_ start: Timestamp, _ end: Timestamp, _ step: Interval) -> Int {
        Int((end.milliseconds - start.milliseconds) / step.milliseconds) + 1
    }
}
