import ArgumentParser
import BurnwatchCore
import BurnwatchRuntime
import Foundation

/// `burnwatch query`: the embedded PromQL engine, printing Prometheus's HTTP API JSON.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Evaluate a PromQL expression over metrics files; prints Prometheus's /api/v1/query(_range) JSON.")

    @OptionGroup var inputs: MetricsInputOptions

    @Option(help: "Evaluation time of an instant query (RFC 3339 or Unix seconds); default now.")
    var at: String?

    @Option(help: "Start of a range query (RFC 3339 or Unix seconds).")
    var start: String?

    @Option(help: "End of a range query (RFC 3339 or Unix seconds).")
    var end: String?

    @Option(help: "Step of a range query (a duration such as 15s, or seconds).")
    var step: String?

    @Option(name: .customLong("promql-compat"), help: "PromQL semantics: 3 (default, left-open ranges) or 2 (closed ranges).")
    var promqlCompat: Int = 3

    @Argument(help: "The PromQL expression.")
    var expression: String

    func run() throws {
        do {
            guard promqlCompat == 2 || promqlCompat == 3 else { throw BurnwatchError(.usage, "--promql-compat must be 2 or 3") }
            let store = try inputs.loadStore { CommandOutput.error("burnwatch query: warning: \($0)") }
            let engine = PromQLEngine(store: store, options: PromQLOptions(compat: promqlCompat))
            let result: QueryValue
            if start != nil || end != nil || step != nil {
                guard at == nil else { throw BurnwatchError(.usage, "--at cannot be combined with --start/--end/--step") }
                guard let start, let end, let step else { throw BurnwatchError(.usage, "a range query needs --start, --end and --step") }
                result = try engine.rangeQuery(expression, start: try Self.time(start, "start"), end: try Self.time(end, "end"),
                                               step: try Self.duration(step))
            } else {
                let t = try at.map { try Self.time($0, "at") } ?? Timestamp(seconds: Date().timeIntervalSince1970)
                result = try engine.instantQuery(expression, at: t)
            }
            CommandOutput.json(PrometheusJSON.success(result))
        } catch let e as BurnwatchError {
            let type = (e.code == .query) ? "execution" : "bad_data"
            CommandOutput.json(PrometheusJSON.error(type: type, message: e.description))
            CommandOutput.error("burnwatch query: \(e)")
            throw ExitCode(1)
        }
    }

    static func time(_ text: String, _ what: String) throws -> Timestamp {
        if let v = Double(text), v.isFinite { return Timestamp(seconds: v) }
        if let t = RFC3339.parse(text) { return t }
        throw BurnwatchError(.usage, "invalid parameter \"\(what)\": cannot parse \"\(text)\" to a valid timestamp")
    }

    static func duration(_ text: String) throws -> Interval {
        if let v = Double(text), v.isFinite, v > 0 { return Interval(seconds: v) }
        if let d = Interval.parse(text), d.milliseconds > 0 { return d }
        throw BurnwatchError(.usage, "invalid parameter \"step\": cannot parse \"\(text)\" to a valid duration")
    }
}
