import ArgumentParser
import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
import BurnwatchRuntime
import Foundation

/// `burnwatch import`: recordings made from other sources.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a recording from another source (a Prometheus-compatible server).",
        subcommands: [ImportPrometheusCommand.self])
}

/// `burnwatch import prometheus`: an incident window of a Prometheus, Thanos, Mimir or
/// VictoriaMetrics server as a recording that `replay`, `eval --recording` and `export` read.
struct ImportPrometheusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prometheus",
        abstract: "Import a time window from a Prometheus-compatible query API into a recording.",
        discussion: """
            Reads the raw samples (range vector queries, an hour at a time) of every series the config's SLOs \
            query, of every series of its services' jobs ({job="NAME"}, what the detectors read), and of \
            each --match selector; writes them as scrapes per target (job, instance) with their own \
            timestamps, and evaluation rounds every --round.
            """)

    @Option(help: "The query API's base URL (http://prometheus:9090).")
    var url: String

    @Option(help: "Start of the window (RFC 3339 or Unix seconds).")
    var from: String

    @Option(help: "End of the window.")
    var to: String

    @Option(help: "The configuration (SLOs, services, signals) the recording replays with.")
    var config: String?

    @Option(help: "The new recording file (.burnwatch).")
    var out: String

    @Option(name: .customLong("match"), help: "Another series selector to import (repeatable), e.g. '{job=\"db\"}'.")
    var matches: [String] = []

    @Option(help: "Evaluation rounds every this long (the detectors every fourth): 15s by default.")
    var round: String = "15s"

    @Option(name: .customLong("header"), help: "An HTTP header for the query API, `Name: value` (repeatable).")
    var headers: [String] = []

    func run() throws {
        do { try importWindow() } catch let e as BurnwatchError {
            CommandOutput.error("burnwatch import prometheus: \(e)")
            throw ExitCode(1)
        }
    }

    private func importWindow() throws {
        let start = try SLOSources.time(from, "--from"), end = try SLOSources.time(to, "--to")
        guard end > start else { throw BurnwatchError(.usage, "--to must be after --from") }
        let every = try SLOSources.duration(round, "--round")
        let sources = try SLOSources.load(config: config, sloFiles: [], autoLocate: true, requireSLOs: false)
        let configuration = sources.config ?? BurnwatchConfiguration(file: "")
        var selectors = PrometheusImport.selectors(of: sources.slos)
        for service in configuration.services { selectors.append("{job=\"\(Labels.escape(service.name))\"}") }
        selectors += matches
        guard !selectors.isEmpty else {
            throw BurnwatchError(.usage, "nothing to import: the config has no SLO and no service, and no --match is given")
        }
        var options = RemoteQueryClient.Options()
        options.headers = headers
        let client = RemoteQueryClient(baseURL: url, options: options)
        let result = try PrometheusImport.read(querier: client, selectors: selectors, from: start, to: end, roundEvery: every)
        guard result.samples > 0 else {
            throw BurnwatchError(.usage, "the server holds no samples for \(selectors.joined(separator: ", ")) between \(start) and \(end)")
        }
        // the replay keeps every imported sample (a live session keeps its store's default 6 h)
        let retention = max(end.milliseconds - start.milliseconds, 0) + 86_400_000
        let (recording, writer) = try RecordingSetup.create(out: out, sources: sources, config: configuration, logFiles: [],
                                                            extra: ["retention_ms": String(retention)])
        // a batch per second of the window, as the recorder writes them
        var batchEnd = start.milliseconds + 1000
        for event in result.events {
            if event.at >= batchEnd {
                writer.flush()
                batchEnd = event.at + 1000
            }
            writer.append(event)
        }
        RecordingSetup.close(writer, printing: false)
        _ = recording
        CommandOutput.error("burnwatch import prometheus: \(result.series) series, \(result.samples) samples from \(result.targets) targets "
                            + "between \(start) and \(end) into \(out)")
    }
}
