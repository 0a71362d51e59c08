import BurnwatchConfig
import BurnwatchCore
import BurnwatchRecording
import BurnwatchRunbooks
import BurnwatchRuntime
import BurnwatchUI
import Foundation

/// Creating a recording for a session, and opening one for `replay`, `eval` and `export`.
enum RecordingSetup {
    /// Who wrote a recording, as its `meta` table says.
    static let writer = "burnwatch record (schema v1: recording batches)"

    /// Creates `out` with the session's setup (the config with its secrets removed, the SLO files'
    /// texts, the followed `--logs` patterns) and starts its writer.
    ///
    /// - Throws: `BurnwatchError` (`.recording`) when the file exists or cannot be created.
    ///   - extra: more meta entries (an import's `retention_ms`).
    static func create(out: String, sources: SLOSources, config: BurnwatchConfiguration, logFiles: [String],
                       maxSize: Int64? = nil, extra more: [String: String] = [:]) throws -> (Recording, RecordingWriter) {
        var extra = more
        for file in config.sloFiles {
            if let text = try? String(contentsOfFile: file, encoding: .utf8) { extra["slo_file:" + file] = ConfigSecretScrubber.scrub(text) }
        }
        if !logFiles.isEmpty { extra["log_files"] = logFiles.joined(separator: "\n") }
        let configText = config.file.isEmpty ? "" : ((try? String(contentsOfFile: config.file, encoding: .utf8)) ?? "")
        let info = Recording.Info(createdMs: Platform.now().milliseconds, writer: writer, config: ConfigSecretScrubber.scrub(configText),
                                  configFile: config.file, maxSize: maxSize, extra: extra)
        let recording = try Recording.create(path: out, info: info)
        return (recording, RecordingWriter(recording: recording, maxSize: maxSize))
    }

    /// Commits what is left and closes the file; with `printing`, or when a write failed, says on
    /// stderr what was written.
    static func close(_ writer: RecordingWriter, printing: Bool) {
        writer.close()
        guard printing || writer.lastError != nil else { return }
        let w = writer.written
        var line = "burnwatch: recorded \(w.events) events in \(w.batches) batches to \(writer.recording.path): "
            + "\(bytes(w.rawBytes)) raw stored in \(bytes(w.storedBytes))"
        if w.rawBytes > 0 { line += String(format: " (%.2f×)", Double(w.storedBytes) / Double(w.rawBytes)) }
        if w.trimmedBatches > 0 { line += "; \(w.trimmedBatches) oldest batches dropped by --max-size" }
        if let error = writer.lastError { line += "; last write failed: \(error)" }
        CommandOutput.error(line)
    }

    static func bytes(_ n: Int) -> String {
        if n >= 10 << 20 { return "\(n >> 20) MB" }
        if n >= 10 << 10 { return "\(n >> 10) kB" }
        return "\(n) B"
    }

    /// A recording read for replaying: its events, setup and journal marks.
    struct Opened {
        let recording: Recording
        let info: Recording.Info
        let config: BurnwatchConfiguration
        let slos: [SLOSpec]
        let logFiles: [String]
        let events: [RecordedEvent]
        let damage: RecordingDamage?
        /// Alerts and signals the recording's journal holds.
        let marks: [ReplayMark]

        /// What the replay engine needs, with the detectors' runbook links from `library`.
        func setup(library: RunbookLibrary) throws -> ReplayEngine.Setup {
            let signals = SignalEngine(runbooks: SignalEvaluation.runbookMap(library), services: config.services.map(\.name),
                                       configs: config.signalConfigs)
            let inputs = try LogFeed.forWatch(config: config.logSources, files: logFiles, fromStart: true)?.inputs ?? []
            var setup = ReplayEngine.Setup(config: config, slos: slos, signals: signals, logInputs: inputs)
            // a live session kept the store's default retention; an import keeps all it imported
            if let ms = info.extra["retention_ms"].flatMap({ Int64($0) }) {
                setup.retention = Retention(duration: Interval(milliseconds: ms), maxSamplesPerSeries: .max)
            }
            return setup
        }

        /// What to tell the user before replaying: damage, and events dropped by a size bound.
        var warnings: [String] {
            var out: [String] = []
            if let damage { out.append("\(recording.path): \(damage)") }
            if let before = info.trimmedBeforeMs {
                out.append("\(recording.path): holds events from \(RFC3339.format(Timestamp(milliseconds: before))) on; "
                           + "\(info.trimmedBatches) older batches were dropped to keep it under its size bound")
            }
            return out
        }
    }

    /// Opens and reads a recording.
    ///
    /// - Parameter writable: keep it open for writing (a replay's notes go into its journal).
    /// - Throws: `BurnwatchError` when the file is not a recording, or its config does not load.
    static func open(_ path: String, writable: Bool) throws -> Opened {
        let recording = try Recording.open(path: path, writable: writable)
        let info = try recording.info()
        let config: BurnwatchConfiguration
        if info.config.isEmpty {
            config = BurnwatchConfiguration(file: "")
        } else {
            do { config = try ConfigLoader.parse(info.config, file: info.configFile.isEmpty ? path : info.configFile) } catch let e as BurnwatchError {
                throw BurnwatchError(.recording, "the recorded configuration does not load: \(e)", at: SourcePosition(source: path))
            }
        }
        var slos = config.slos
        for file in config.sloFiles {
            guard let text = info.extra["slo_file:" + file] else { continue }
            slos += try SLOFileImporter.read(text, file: file).specs
        }
        let logFiles = info.extra["log_files"].map { $0.split(separator: "\n").map(String.init) } ?? []
        let contents = recording.readEvents()
        let entries = (try? recording.journal.entries()) ?? []
        let marks = entries.filter { $0.kind == .signal || $0.kind == .alert }
            .map { ReplaySession.mark($0.kind, $0.text, $0.time) }
        return Opened(recording: recording, info: info, config: config, slos: slos, logFiles: logFiles,
                      events: contents.events, damage: contents.damage, marks: marks)
    }
}
