import Foundation

/// Writes JSON log lines (slog's shape, each with its file's sequence number) at a fixed total
/// rate across several files, rotating each one every `rotateSeconds` by rename and reopen, as
/// logrotate does with a service that reopens its log; paces itself every 10 ms and counts the
/// ticks at which it was more than 100 ms behind.
final class SoakLogWriter: @unchecked Sendable {
    /// What the writer did up to now.
    struct Counts {
        var written = 0
        var rotations = 0
        /// Ticks at which the lines owed exceeded 100 ms of the rate.
        var behindTicks = 0
        /// The most lines ever owed at a tick.
        var maxBacklog = 0
        /// Seconds spent writing.
        var seconds = 0.0
    }

    let paths: [String]
    let linesPerSecond: Double
    let rotateSeconds: Double
    private let lock = NSLock()
    private var counts = Counts()
    private var stopped = false
    private var finished = false

    /// Creates the files (empty) that the writer will fill: `directory/app-K.log`.
    ///
    /// - Throws: when a file cannot be created.
    init(directory: String, files: Int, linesPerSecond: Double, rotateSeconds: Double) throws {
        paths = (0..<files).map { "\(directory)/app-\($0).log" }
        self.linesPerSecond = linesPerSecond
        self.rotateSeconds = rotateSeconds
        for path in paths { SoakSystem.close(try SoakSystem.create(path)) }
    }

    /// The glob that names the files the writer writes now (not the rotated ones).
    var glob: String { (paths[0] as NSString).deletingLastPathComponent + "/app-*.log" }

    var snapshot: Counts { lock.lock(); defer { lock.unlock() }; return counts }

    /// Starts writing on a thread of its own.
    func start() {
        let thread = Thread { [self] in
            do { try run() } catch { FileHandle.standardError.write(Data("soak: log writer: \(error)\n".utf8)) }
            lock.lock(); finished = true; lock.unlock()
        }
        thread.name = "soak-log-writer"
        thread.start()
    }

    /// Stops writing (after the tick under way) and waits for the thread.
    func stop() {
        lock.lock(); stopped = true; lock.unlock()
        while true {
            lock.lock(); let done = finished; lock.unlock()
            if done { return }
            usleep(5_000)
        }
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func run() throws {
        // The files exist (empty) and are followed already; open them for appending from the start.
        var fds = try paths.map { try SoakSystem.create($0) }
        defer { fds.forEach(SoakSystem.close) }
        var sequence = [Int](repeating: 0, count: paths.count)
        let begin = Date()
        // Rotations are staggered so that the files do not all rotate at once.
        var nextRotation = paths.indices.map { rotateSeconds * Double($0 + 1) / Double(paths.count) }
        var written = 0
        var next = 0
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var buffers = [[UInt8]](repeating: [], count: paths.count)
        while !isStopped {
            let elapsed = Date().timeIntervalSince(begin)
            for k in paths.indices where elapsed >= nextRotation[k] {
                nextRotation[k] += rotateSeconds
                _ = SoakSystem.rename(paths[k], paths[k] + ".1")
                SoakSystem.close(fds[k])
                fds[k] = try SoakSystem.create(paths[k])
                lock.lock(); counts.rotations += 1; lock.unlock()
            }
            let owed = Int(elapsed * linesPerSecond) - written
            let time = iso.string(from: Date())
            if owed > 0 {
                for k in buffers.indices { buffers[k].removeAll(keepingCapacity: true) }
                for _ in 0..<owed {
                    let k = next % paths.count
                    next += 1
                    buffers[k] += Self.line(time: time, file: k, sequence: sequence[k])
                    sequence[k] += 1
                }
                for k in buffers.indices where !buffers[k].isEmpty {
                    guard SoakSystem.writeAll(fds[k], buffers[k]) else { throw SoakError("cannot write \(paths[k])") }
                }
                written += owed
            }
            lock.lock()
            counts.written = written
            counts.seconds = Date().timeIntervalSince(begin)
            counts.maxBacklog = max(counts.maxBacklog, owed)
            if Double(owed) > linesPerSecond / 10 { counts.behindTicks += 1 }
            lock.unlock()
            let spent = Date().timeIntervalSince(begin) - elapsed
            if spent < 0.01 { usleep(UInt32((0.01 - spent) * 1_000_000)) }
        }
    }

    /// One access-log line of file `file`, number `sequence` (one in a hundred is a 503).
    static func line(time: String, file: Int, sequence: Int) -> [UInt8] {
        let status = sequence % 100 == 7 ? 503 : 200
        let level = status == 200 ? "INFO" : "ERROR"
        let text = #"{"time":"\#(time)","level":"\#(level)","msg":"handled request","service":"checkout","method":"GET","#
            + #""path":"/api/items/\#(sequence % 997)","status":\#(status),"duration_ms":\#(1 + sequence % 37),"#
            + #""request_id":"r\#(file)-\#(sequence)","file":\#(file),"seq":\#(sequence)}"# + "\n"
        return Array(text.utf8)
    }
}
