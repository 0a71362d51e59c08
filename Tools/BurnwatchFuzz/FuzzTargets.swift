/// One fuzz target: a name, what it checks, and the function that runs one input through it.
struct FuzzTarget: Sendable {
    let name: String
    let checks: String
    let run: @Sendable (UnsafeRawBufferPointer) -> Void
}

/// Every target of `burnwatch-fuzz`, by name (`BURNWATCH_FUZZ_TARGET`, or the replayer's first argument).
enum FuzzTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "exposition", checks: "0.0.4 whole, byte by byte and random chunks agree; error lines in range",
                   run: { ExpositionFuzz.run($0, format: .prometheusText) }),
        FuzzTarget(name: "openmetrics", checks: "OpenMetrics whole, byte by byte and random chunks agree; error lines in range",
                   run: { ExpositionFuzz.run($0, format: .openMetrics) }),
        FuzzTarget(name: "json-log", checks: "scanner spans inside the line; field selector from the first line; every preset parses",
                   run: JSONLogFuzz.run),
        FuzzTarget(name: "logfmt", checks: "logfmt pairs and the logfmt preset never trap", run: LogfmtFuzz.run),
        FuzzTarget(name: "log-time", checks: "preset time and duration parsing never trap", run: LogTimeFuzz.run),
        FuzzTarget(name: "log-filter", checks: "filter grammar: errors in range, printed filter parses to the same filter",
                   run: LogFilterFuzz.run),
        FuzzTarget(name: "promql", checks: "parse, print, parse again; evaluate on a small store; error positions in range",
                   run: PromQLFuzz.run),
        FuzzTarget(name: "promregex", checks: "PromRegex agrees with NSRegularExpression on patterns both accept",
                   run: PromRegexFuzz.run),
        FuzzTarget(name: "config", checks: "YAML config loader never traps; errors carry in-range positions", run: ConfigFuzz.run),
        FuzzTarget(name: "slo-import", checks: "Sloth / OpenSLO importers never trap; errors carry in-range positions",
                   run: SLOImportFuzz.run),
        FuzzTarget(name: "runbook", checks: "runbook Markdown and annotations never trap; findings in range", run: RunbookFuzz.run),
        FuzzTarget(name: "recording", checks: "event batch decoding: failures in range; decode(encode(x)) == x",
                   run: RecordingFuzz.run),
        FuzzTarget(name: "terminal-safe", checks: "TerminalSafeText output holds no ESC, C0, C1 or bidi control",
                   run: TerminalSafeFuzz.run),
    ]

    /// The target called `name`, if any.
    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Stops the run with `message` when a property does not hold (libFuzzer records the input).
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property failed: " + message()) }
}

/// The input as text (invalid UTF-8 repaired), for the parsers that take a `String`.
func fuzzText(_ data: UnsafeRawBufferPointer) -> String {
    String(decoding: data, as: UTF8.self)
}
