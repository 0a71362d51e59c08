import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchUI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Time to first frame of `burnwatch runbook` on a pseudo-terminal, and the cost of one full
/// runbook-screen frame at 200×60; each a median over many runs.
///
/// Run with `burnwatch-bench startup` (or no argument). The binary is `$BURNWATCH_BIN`, else
/// `.build/release/burnwatch`, else `.build/debug/burnwatch`.
enum StartupBench {
    static func run(_ arguments: [String]) {
        guard arguments.count < 2 || arguments.contains("startup") else { return }
        firstFrame(runs: 15)
        frameRender(width: 200, height: 60, runs: 200)
    }

    static var binary: String? {
        if let path = ProcessInfo.processInfo.environment["BURNWATCH_BIN"] { return path }
        for config in ["release", "debug"] {
            let path = FileManager.default.currentDirectoryPath + "/.build/\(config)/burnwatch"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Spawns the console on a 120×40 pty and measures until the status line ("q quit") arrives.
    static func firstFrame(runs: Int) {
        guard let binary else { print("startup: no burnwatch binary (swift build -c release first)"); return }
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("bw-bench-\(getpid()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        var samples: [Double] = []
        for _ in 0..<runs {
            if let ms = oneStart(binary: binary, journal: journal) { samples.append(ms) }
        }
        guard !samples.isEmpty else { print("startup: the console never drew a frame"); return }
        samples.sort()
        print(String(format: "startup: time to first frame of `burnwatch runbook` (120x40 pty, %@): median %.1f ms, min %.1f, max %.1f (%d runs)",
                     binary.contains("/release/") ? "release build" : "debug build",
                     samples[samples.count / 2], samples[0], samples[samples.count - 1], samples.count))
    }

    static func oneStart(binary: String, journal: String) -> Double? {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { return nil }
        defer { close(master) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_adddup2(&actions, slave, fd) }
        posix_spawn_file_actions_addclose(&actions, master)
        let args = [binary, "runbook", "--journal", journal]
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env["LANG"] = env["LANG"] ?? "C.UTF-8"
        let argv = args.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let rc = argv.withUnsafeBufferPointer { a in
            envp.withUnsafeBufferPointer { e in posix_spawn(&pid, binary, &actions, nil, a.baseAddress!, e.baseAddress!) }
        }
        close(slave)
        guard rc == 0 else { return nil }
        defer {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        var seen: [UInt8] = []
        let marker = Array("q quit".utf8)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = start + 20_000_000_000
        while DispatchTime.now().uptimeNanoseconds < deadline {
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) >= 0 else { return nil }
            if pfd.revents == 0 { continue }
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { return nil }
            seen += buffer[0..<n]
            if contains(seen, marker) {
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            }
        }
        return nil
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }

    /// Renders the whole console with the runbook screen at `width`×`height`; median of `runs`.
    static func frameRender(width: Int, height: Int, runs: Int) {
        let loaded = RunbookLoader.library()
        guard let first = loaded.library.documents.first else { print("render: no bundled runbooks"); return }
        let size = TerminalSize(width: width, height: height)
        let state = RunbookScreenState(library: loaded.library, place: RunbookPlace(fileName: first.fileName), marks: [:],
                                       user: "bench", glyphs: .unicode, size: TerminalSize(width: width, height: height - 2))
        var app = AppState(screens: [RunbookScreen(state: state)], size: size)
        var samples: [Double] = []
        var checksum = 0
        for i in 0..<runs {
            // Alternate a key so that each frame is a real re-render of changed state.
            app = reduce(app, .key(i % 2 == 0 ? .char("j") : .char("k"))).0
            let start = DispatchTime.now().uptimeNanoseconds
            let frame = view(app, size: size)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            checksum &+= frame.cells.count
        }
        samples.sort()
        print(String(format: "render: full runbook-screen frame %dx%d (%@): median %.3f ms, min %.3f, max %.3f (%d runs, %d cells)",
                     width, height, first.fileName, samples[samples.count / 2], samples[0], samples[samples.count - 1], runs,
                     checksum / runs))
    }
}
