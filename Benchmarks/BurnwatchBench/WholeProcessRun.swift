import Foundation

/// Runs a command to its end and reports its wall time and peak resident memory (from `wait4`).
enum WholeProcessRun {
    struct Outcome {
        var seconds: Double
        var peakRSSBytes: Int
        var status: Int32
    }

    /// Runs `arguments` (the first is the executable path) with output discarded.
    ///
    /// The command runs under GNU time, which reports its peak memory: Linux carries a process's
    /// peak across exec, so a child spawned straight from this (large) bench would report the
    /// bench's own peak.
    static func run(_ arguments: [String]) -> Outcome? {
        let report = "/tmp/bw-bench-time-\(getpid())"
        defer { unlink(report) }
        let arguments = ["/usr/bin/time", "-f", "%M", "-o", report] + arguments
        var pid: pid_t = 0
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, arguments[0], &actions, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid else { return nil }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let kilobytes = (try? String(contentsOfFile: report, encoding: .utf8))?.split(separator: "\n").last.flatMap { Int($0) } ?? 0
        return Outcome(seconds: seconds, peakRSSBytes: kilobytes * 1024, status: status)
    }

    /// The median of `runs` runs (by time) with the largest peak memory seen.
    static func median(_ arguments: [String], runs: Int) -> Outcome? {
        var outcomes: [Outcome] = []
        for _ in 0..<runs {
            guard let o = run(arguments) else { return nil }
            outcomes.append(o)
        }
        var middle = outcomes.sorted { $0.seconds < $1.seconds }[runs / 2]
        middle.peakRSSBytes = outcomes.map(\.peakRSSBytes).max() ?? 0
        middle.status = outcomes.map(\.status).max() ?? 0
        return middle
    }
}
