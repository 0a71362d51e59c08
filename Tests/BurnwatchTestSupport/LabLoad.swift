import Foundation

/// Closed-loop load on 127.0.0.1: `clients` threads, each sending `GET /` and pausing so that it
/// asks at most `perClient` requests per second; a slow server slows them (as real clients are).
public final class LabLoad: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var byStatus: [Int: Int] = [:]
    private var threads = 0

    /// Starts the clients.
    ///
    /// - Parameters:
    ///   - port: the frontend to load.
    ///   - clients: concurrent clients (bounded: tests keep this small).
    ///   - perClient: requests per second each client asks at most.
    public init(port: Int, clients: Int = 12, perClient: Double = 4) {
        let pause = UInt32(1_000_000 / perClient)
        for _ in 0..<clients {
            lock.lock(); threads += 1; lock.unlock()
            let thread = Thread { [self] in
                while !isStopped {
                    let started = Date()
                    let status = LoopbackHTTPClient.get(port: port, path: "/", accept: "*/*", timeout: 15)?.status ?? 0
                    lock.lock(); byStatus[status, default: 0] += 1; lock.unlock()
                    let spent = UInt32(max(0, Date().timeIntervalSince(started)) * 1_000_000)
                    if spent < pause { usleep(pause - spent) }
                }
                lock.lock(); threads -= 1; lock.unlock()
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    /// Answers so far by HTTP status (0: no answer).
    public var statuses: [Int: Int] { lock.lock(); defer { lock.unlock() }; return byStatus }

    /// Stops the clients and waits for them (each within its request timeout).
    public func stop() {
        lock.lock(); stopped = true; lock.unlock()
        while true {
            lock.lock(); let n = threads; lock.unlock()
            if n == 0 { return }
            usleep(10_000)
        }
    }
}
