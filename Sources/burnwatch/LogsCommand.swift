import ArgumentParser
import BurnwatchCore
import BurnwatchParsing
import BurnwatchRuntime

/// `burnwatch logs FILE… [--preset P] [--filter EXPR] [--raw | --pretty | --count-by FIELD | --stats]`.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Filter and summarise JSON and logfmt log files fast (stdin when no file is given).",
        discussion: """
        Filter grammar: comparisons `field OP value` joined by `and`, `or`, `not` and parentheses; \
        OP is one of = != < <= > >= ~ (contains, case-insensitive) !~.

        Example: status>=500 and level=error and msg~"timeout" and not tenant=acme

        Normalised names (level, msg, status, method, path, route, duration, service, request_id, \
        trace_id, tenant, …) read each format's own field; other names are dotted JSON paths.

        Presets: \(LogPreset.allCases.map(\.rawValue).joined(separator: ", ")). See docs/logs.md.
        """)

    @Argument(help: "Log files (globs are expanded); stdin when none.")
    var files: [String] = []

    @Option(help: "The format of the lines (default: detected from each file's first lines).")
    var preset: String?

    @Option(help: "Keep only lines matching this filter expression.")
    var filter: String?

    @Option(name: .customLong("field"), help: "Map a normalised field to a path, e.g. --field status=http.code or --field duration=took:ms.")
    var fieldMappings: [String] = []

    @Flag(help: "Print matching lines byte for byte (the default).")
    var raw = false

    @Flag(help: "Print matching lines as escaped, human-readable events.")
    var pretty = false

    @Option(name: .customLong("count-by"), help: "Print the number of matching lines per value of FIELD.")
    var countBy: String?

    @Flag(help: "Print totals, rate, levels, status classes and latency quantiles of matching lines.")
    var stats = false

    @Flag(name: [.short, .long], help: "Keep reading: follow the files like tail -F (rotation, new files), printing new matching lines.")
    var follow = false

    @Option(help: "Worker threads (default: processors online).")
    var workers: Int?

    @Option(name: .customLong("block-size"), help: ArgumentHelp("Bytes per worker per round (for tests).", visibility: .hidden))
    var blockSize: Int?

    @Option(name: .customLong("max-line"), help: "Longest line in bytes; longer lines are counted and cut (default 1 MiB).")
    var maxLine: Int = LineSplitter.defaultMaxLineLength

    func validate() throws {
        let modes = [raw, pretty, countBy != nil, stats].filter { $0 }.count
        if modes > 1 { throw ValidationError("choose one of --raw, --pretty, --count-by, --stats") }
        if let preset, LogPreset(rawValue: preset) == nil {
            throw ValidationError("unknown preset '\(preset)'; expected one of \(LogPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if maxLine < 1 { throw ValidationError("--max-line must be positive") }
        if follow, countBy != nil || stats { throw ValidationError("--follow prints lines: use it with --raw or --pretty") }
    }

    func run() throws {
        PlatformFiles.ignoreBrokenPipe()
        var options = LogBatchScanOptions()
        do {
            options.filter = try LogFilter(parsing: filter ?? "")
        } catch let error as BurnwatchError {
            let column = error.position?.column ?? 1
            var message = "burnwatch logs: \(error.message) (column \(column))\n  \(filter ?? "")\n  "
            message += String(repeating: " ", count: max(0, column - 1)) + "^\n"
            CommandOutput.error(message)
            throw ExitCode(2)
        }
        options.preset = preset.flatMap(LogPreset.init(rawValue:))
        for mapping in fieldMappings {
            guard let eq = mapping.firstIndex(of: "=") else { throw ValidationError("--field expects NAME=PATH, got '\(mapping)'") }
            options.mapping[String(mapping[..<eq])] = String(mapping[mapping.index(after: eq)...])
        }
        if pretty { options.mode = .pretty } else if let countBy { options.mode = .countBy(countBy) } else if stats { options.mode = .stats }
        if let workers { options.workers = max(1, workers) }
        options.maxLineLength = maxLine
        if let blockSize { options.blockSize = max(64, blockSize) }
        options.escapeForTerminal = CommandOutput.stdoutIsTerminal
        if follow { try runFollow(options) }
        let scan = LogBatchScan(options: options)
        var failed = false
        if files.isEmpty {
            try scan.scan(fd: 0, name: "stdin", outputFD: 1)
        } else {
            for pattern in files {
                let paths = PlatformFiles.glob(pattern)
                if paths.isEmpty { CommandOutput.error("burnwatch logs: \(pattern): no such file\n"); failed = true; continue }
                for path in paths {
                    if PlatformFiles.isDirectory(path) { CommandOutput.error("burnwatch logs: \(path): is a directory\n"); failed = true; continue }
                    var error = ""
                    guard let fd = PlatformFiles.openForReading(path, error: &error) else {
                        CommandOutput.error("burnwatch logs: \(path): \(error)\n"); failed = true; continue
                    }
                    defer { PlatformFiles.close(fd) }
                    try scan.scan(fd: fd, name: path, outputFD: 1)
                }
            }
        }
        switch options.mode {
        case .countBy: CommandOutput.data(scan.countReport())
        case .stats: CommandOutput.data(scan.stats.report)
        default: break
        }
        let s = scan.stats
        let problems = [("unstructured", s.unstructured), ("invalid JSON", s.invalidJSON), ("truncated", s.truncated)].filter { $0.1 > 0 }
        if !problems.isEmpty, case .stats = options.mode {} else if !problems.isEmpty {
            CommandOutput.error("burnwatch logs: \(s.lines) lines, " + problems.map { "\($0.1) \($0.0)" }.joined(separator: ", ") + "\n")
        }
        if failed { throw ExitCode(1) }
    }
}

extension LogsCommand {
    /// `--follow`: every file (or stdin) as a live source; matching lines printed as they arrive
    /// until the process is interrupted. Without `--preset`, every preset's fields are tried.
    func runFollow(_ options: LogBatchScanOptions) throws -> Never {
        let preset = options.preset ?? .json
        let mapping = options.mapping.isEmpty ? nil : try preset.mapping.overriding(options.mapping)
        var matcher = LogLineMatcher(filter: options.filter, preset: preset, mapping: mapping)
        var parser = LogLineParser(preset: preset, mapping: mapping)
        let runner = LogSourceRunner(queue: LogSourceQueue(capacity: 100_000))
        if files.isEmpty { runner.start(.stdin, maxLineLength: options.maxLineLength) }
        for f in files { runner.start(.files(glob: f, fromStart: false), maxLineLength: options.maxLineLength) }
        var reported: [String: Int] = [:]
        while true {
            let items = runner.queue.pop(max: 10_000)
            if items.isEmpty { usleepShim(20_000); continue }
            var out: [UInt8] = []
            for item in items {
                switch item {
                case .line(_, let bytes, _):
                    let keep = bytes.withUnsafeBufferPointer { matcher.matches($0) }
                    guard keep else { continue }
                    if options.mode == .pretty {
                        let event = bytes.withUnsafeBufferPointer { parser.parse($0) }.event
                        out += Array(LogPrettyFormatter.format(event).utf8)
                    } else {
                        out += bytes
                    }
                    out.append(0x0A)
                case .error(let source, let message), .notice(let source, let message):
                    CommandOutput.error("burnwatch logs: \(source): \(message)\n")
                }
            }
            for (source, n) in runner.queue.dropped where reported[source] != n {
                CommandOutput.error("burnwatch logs: \(source): \(n) lines dropped (queue full)\n")
                reported[source] = n
            }
            let ok = LogOutputWriter.write(out, to: 1, escapingForTerminal: options.escapeForTerminal)
            if !ok { runner.stop(); throw ExitCode(0) }
        }
    }

    private func usleepShim(_ microseconds: UInt32) { PlatformFiles.sleep(microseconds: microseconds) }
}
