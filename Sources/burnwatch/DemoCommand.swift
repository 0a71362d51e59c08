import ArgumentParser
import BurnwatchCore
import BurnwatchRunbookFiles
import BurnwatchRuntime
import Foundation

/// `burnwatch demo`: the first thing a new user runs: the bundled incident, replayed in the console.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Replay the bundled incident: a retry storm, saturation and SLO burn recorded from real servers.",
        discussion: """
            The recording (Demo/README.md says how it was made) is copied to the state folder first, so \
            the notes and ticks you add go into the copy: `burnwatch export` it afterwards.
            """)

    @Option(help: "Recording seconds per real second (1 … 1000), or `max`.")
    var speed: String = "5"

    @Option(help: "Where the copy of the recording goes (default: $XDG_STATE_HOME/burnwatch/demo.burnwatch).")
    var copy: String?

    @Flag(help: "Report mouse wheel and clicks.")
    var mouse = false

    static let banner = "demo: space pause · +/- speed · n/N next/prev signal · :goto 14:05 · Enter runbook · :note TEXT · ? keys · q quit"

    func run() throws {
        let speedValue = try ReplayCommand.parseSpeed(speed)
        guard let bundled = BundledDemo.recording, FileManager.default.fileExists(atPath: bundled.path) else {
            throw BurnwatchError(.recording, "the bundled demo recording is missing (run `make demo-record` in the repository)")
        }
        let environment = Platform.environment
        let target = copy ?? (JournalLocation.defaultPath(environment: environment) as NSString).deletingLastPathComponent + "/demo.burnwatch"
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        try FileManager.default.copyItem(atPath: bundled.path, toPath: target)
        try runConsole {
            try ReplayConsole.run(try ReplayInput.recording(target, runbooks: []), speed: speedValue, start: nil, mouse: mouse, banner: Self.banner,
                                  afterwards: "burnwatch demo: your notes and ticks are in \(target); `burnwatch export \(target)` writes the timeline")
        }
    }
}
