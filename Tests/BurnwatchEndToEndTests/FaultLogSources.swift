import BurnwatchTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The log side of the fault matrix: followed files that the test deletes, rotates, truncates,
/// replaces by a directory and fills up on a 1 MiB tmpfs, and log commands (shell scripts) that
/// die, flood stderr, or never exit (ignoring SIGTERM). Each command writes its pids to a file so
/// that the test can check nothing of it outlives the console.
final class FaultLogSources {
    let directory: URL
    /// The tmpfs for the full-disk case, or nil when this machine does not let the test mount one.
    private(set) var tmpfs: String?
    /// Why the full-disk case is not run, when it is not.
    private(set) var tmpfsUnavailable: String?

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    var fullDiskLog: String? { tmpfs.map { $0 + "/full.log" } }

    /// Writes the files and scripts into `directory` and mounts the tmpfs if it can.
    init(directory: URL) throws {
        self.directory = directory
        for name in ["deleted.log", "rotated.log", "truncated.log", "directory.log"] {
            try TestFiles.append(path(name), (1...20).map { #"{"level":"info","msg":"before the fault \#(name) \#($0)"}"# })
        }
        let scripts = [
            "dies.sh": #"echo '{"level":"error","msg":"about to die"}'; exit 3"#,
            "flood.sh": "seq 1 50000 | sed 's/^/stderr flood /' >&2; sleep 600 & echo $! >> '\(path("flood.pids"))'; wait",
            "never.sh": "echo $$ >> '\(path("never.pids"))'; trap '' TERM HUP INT; echo '{\"level\":\"info\",\"msg\":\"never exits\"}';"
                + " while :; do sleep 1; done",
        ]
        for (name, text) in scripts { try (text + "\n").write(toFile: path(name), atomically: true, encoding: .utf8) }
        mountTmpfs()
    }

    /// The config's `log_sources:` lines.
    var configLines: String {
        var lines = ["deleted.log", "rotated.log", "truncated.log", "directory.log"].map { "  - {service: files, files: ['\(path($0))']}" }
        if let full = fullDiskLog { lines.append("  - {service: files, files: ['\(full)']}") }
        for script in ["dies.sh", "flood.sh", "never.sh"] { lines.append("  - {service: cmd, command: [sh, '\(path(script))']}") }
        return "log_sources:\n" + lines.joined(separator: "\n") + "\n"
    }

    /// `mount -t tmpfs -o size=1m`, recording why not when the machine refuses.
    private func mountTmpfs() {
        let point = path("tmpfs")
        try? FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        guard let mount = TestPaths.which("mount") else { tmpfsUnavailable = "no mount command"; return }
        let result = try? ProcessRunner.run(mount, ["-t", "tmpfs", "-o", "size=1m", "tmpfs", point], timeout: 20)
        if result?.status == 0 {
            tmpfs = point
            try? TestFiles.append(point + "/full.log", [#"{"level":"info","msg":"on a small disk"}"#])
        } else {
            tmpfsUnavailable = "mount -t tmpfs failed: \(result?.stderrText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "did not run")"
        }
    }

    /// The faults on the files: delete, rotate (rename + new file), truncate to nothing, replace by a directory.
    func breakFiles() throws {
        try FileManager.default.removeItem(atPath: path("deleted.log"))
        try FileManager.default.moveItem(atPath: path("rotated.log"), toPath: path("rotated.log.1"))
        try TestFiles.append(path("rotated.log"), [#"{"level":"info","msg":"AFTER-ROTATE"}"#])
        try Data().write(to: URL(fileURLWithPath: path("truncated.log")))
        try FileManager.default.removeItem(atPath: path("directory.log"))
        try FileManager.default.createDirectory(atPath: path("directory.log"), withIntermediateDirectories: false)
    }

    /// Appends lines to the tmpfs file until the disk is full (bounded: 1 MiB at most).
    ///
    /// - Returns: whether a write failed for lack of space.
    @discardableResult
    func fillDisk() -> Bool {
        guard let full = fullDiskLog, let handle = FileHandle(forWritingAtPath: full) else { return false }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        let line = Data((#"{"level":"warn","msg":"filling the disk"}"# + String(repeating: " ", count: 980) + "\n").utf8)
        for _ in 0..<2048 {
            do { try handle.write(contentsOf: line) } catch { return true }
        }
        return false
    }

    /// Pids the commands wrote that are still alive.
    func livingCommandPids() -> [pid_t] {
        ["flood.pids", "never.pids"].flatMap { name in
            ((try? String(contentsOfFile: path(name), encoding: .utf8)) ?? "").split(separator: "\n").compactMap { pid_t($0) }
        }.filter { kill($0, 0) == 0 }
    }

    /// Kills what is left of the commands (a failed test must not leave them), unmounts the tmpfs.
    func stop() {
        for pid in livingCommandPids() { kill(pid, SIGKILL) }
        if let tmpfs, let umount = TestPaths.which("umount") { _ = try? ProcessRunner.run(umount, [tmpfs], timeout: 20) }
    }
}
