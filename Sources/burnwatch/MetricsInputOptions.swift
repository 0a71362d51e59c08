import ArgumentParser
import BurnwatchCore
import BurnwatchRuntime

/// The INPUTS that `eval` and `query` share: exposition files and log files loaded into one series
/// store (log lines become the `log_*` series, with the time taken from each line).
struct MetricsInputOptions: ParsableArguments {
    @Option(name: .customLong("metrics"), help: "An exposition file (OpenMetrics or text 0.0.4, .gz accepted); repeatable.")
    var metrics: [String] = []

    @Option(name: .customLong("logs"), help: "A JSON or logfmt log file whose lines become log_* series (time from each line); repeatable.")
    var logs: [String] = []

    /// Whether any local input was given.
    var isEmpty: Bool { metrics.isEmpty && logs.isEmpty }

    /// A series store (400 days of retention, no per-series cap) holding every `--metrics` and `--logs` file.
    ///
    /// - Parameter warn: gets the first 20 problems of each file, then how many more there were.
    /// - Throws: `BurnwatchError` when a file cannot be read.
    /// - Complexity: O(total size of the files).
    func loadStore(warn: (String) -> Void) throws -> SeriesStore {
        var store = SeriesStore(retention: Retention(duration: Interval(milliseconds: 400 * 86_400_000), maxSamplesPerSeries: Int.max))
        for path in metrics {
            let report = try MetricsFileLoader.load(path, into: &store)
            for e in report.errors.prefix(20) { warn("\(e)") }
            if report.errors.count > 20 { warn("\(report.errors.count - 20) more problems in \(path)") }
        }
        for path in logs {
            let report = try LogSourceSeriesLoader.load(path, into: &store)
            for p in report.problems.prefix(20) { warn("\(path): \(p)") }
            if report.problems.count > 20 { warn("\(report.problems.count - 20) more problems in \(path)") }
        }
        return store
    }
}
