import Foundation

/// Clients of the incident lab that retry as real ones do: on a 5xx or no answer they try again
/// up to `maxAttempts` times after an exponential delay, with or without jitter (switchable while
/// they run), and log every attempt as a JSON line (`time`, `level`, `service`, `msg`,
/// `request_id`, `attempt`, `status`, `duration_ms`) to a file that burnwatch follows.
public final class LabRetryingClients: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var jitter = false
    private var threads = 0
    private let log: FileHandle
    private var sequence = 0
    private var byStatus: [Int: Int] = [:]

    /// Starts the clients.
    ///
    /// - Parameters:
    ///   - port: the frontend to call.
    ///   - logPath: the JSON log file (created or appended to).
    ///   - service: the `service` field of the log lines.
    ///   - clients: concurrent clients (bounded).
    ///   - perClient: requests per second each client starts at most.
    ///   - maxAttempts: attempts per request, the first included.
    ///   - baseDelayMilliseconds: the first retry's delay; each later one doubles it.
    public init(port: Int, logPath: String, service: String = "checkout", clients: Int = 8, perClient: Double = 4,
                maxAttempts: Int = 3, baseDelayMilliseconds: Double = 100, seed: UInt64 = 42) throws {
        if !FileManager.default.fileExists(atPath: logPath) { FileManager.default.createFile(atPath: logPath, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: logPath) else { throw LabError("cannot write \(logPath)") }
        handle.seekToEndOfFile()
        log = handle
        let pause = 1.0 / perClient
        for c in 0..<clients {
            lock.lock(); threads += 1; lock.unlock()
            let thread = Thread { [self] in
                var rng = SplitMix(seed: seed &+ UInt64(c))
                while !isStopped {
                    let started = Date()
                    request(port: port, service: service, maxAttempts: maxAttempts, base: baseDelayMilliseconds, rng: &rng)
                    let spent = Date().timeIntervalSince(started)
                    if spent < pause { Thread.sleep(forTimeInterval: pause - spent) }
                }
                lock.lock(); threads -= 1; lock.unlock()
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    /// Whether retries wait a random part of their delay (full jitter) rather than exactly it.
    public func setJitter(_ on: Bool) { lock.lock(); jitter = on; lock.unlock() }

    /// Final answers so far by HTTP status (0: no answer).
    public var statuses: [Int: Int] { lock.lock(); defer { lock.unlock() }; return byStatus }

    /// Stops the clients, waits for them and closes the log.
    public func stop() {
        lock.lock(); stopped = true; lock.unlock()
        while true {
            lock.lock(); let n = threads; lock.unlock()
            if n == 0 { break }
            usleep(10_000)
        }
        try? log.close()
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func request(port: Int, service: String, maxAttempts: Int, base: Double, rng: inout SplitMix) {
        lock.lock()
        sequence += 1
        let id = String(format: "req-%08x", sequence)
        lock.unlock()
        var status = 0
        for attempt in 1...maxAttempts {
            let started = Date()
            status = LoopbackHTTPClient.get(port: port, path: "/orders", accept: "*/*", timeout: 10)?.status ?? 0
            let ms = Date().timeIntervalSince(started) * 1000
            let failed = status == 0 || status >= 500
            write(service: service, id: id, attempt: attempt, status: status, durationMs: ms, failed: failed)
            if !failed || attempt == maxAttempts || isStopped { break }
            let delay = base * pow(2, Double(attempt - 1))
            lock.lock(); let jittered = jitter; lock.unlock()
            let wait = jittered ? delay * 2 * rng.unit() : delay
            Thread.sleep(forTimeInterval: wait / 1000)
        }
        lock.lock(); byStatus[status, default: 0] += 1; lock.unlock()
    }

    private func write(service: String, id: String, attempt: Int, status: Int, durationMs: Double, failed: Bool) {
        let now = Date().timeIntervalSince1970
        let ms = Int64(now * 1000)
        let time = Self.rfc3339(ms)
        let level = failed ? "error" : "info"
        let message = failed ? "GET /orders failed" : "GET /orders"
        let line = "{\"time\":\"\(time)\",\"level\":\"\(level)\",\"service\":\"\(service)\",\"msg\":\"\(message)\","
            + "\"request_id\":\"\(id)\",\"attempt\":\(attempt),\"route\":\"/orders\",\"status\":\(status),"
            + "\"duration_ms\":\(String(format: "%.1f", durationMs))}\n"
        lock.lock()
        log.write(Data(line.utf8))
        lock.unlock()
    }

    static func rfc3339(_ ms: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(ms) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!,
                      Int(ms % 1000))
    }
}

/// A small seeded generator for the clients' jitter.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
