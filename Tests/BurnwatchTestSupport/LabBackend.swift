import Foundation

/// A small service for the incident lab: answers `GET /` with a bounded worker pool and serves its
/// own metrics on `GET /metrics` (pool size, busy workers, waiting requests, requests by code).
///
/// Its behaviour is switched while it runs: healthy, failing (503 at once, as a service whose
/// dependency is down answers), or slow (each request holds a worker for `delay`).
public final class LabBackend: @unchecked Sendable {
    /// What the backend does with a request now.
    public enum Mode: Sendable, Equatable {
        case healthy
        case failing
        case slow(milliseconds: Int)
    }

    public let name: String
    public let workers: Int
    private let lock = NSCondition()
    private var mode: Mode = .healthy
    private var busy = 0
    private var waiting = 0
    private var byCode: [Int: Int] = [:]
    private var server: LoopbackHTTPServer!

    /// Starts the backend on a free loopback port.
    ///
    /// - Parameters:
    ///   - name: its `instance` name in metrics (`a`, `b`).
    ///   - workers: the pool size: at most this many requests are worked on at once; others wait.
    /// - Throws: when the port cannot be bound.
    public init(name: String, workers: Int = 4) throws {
        self.name = name
        self.workers = workers
        server = try LoopbackHTTPServer { [unowned self] request in
            request.path.hasPrefix("/metrics") ? .ok(Array(metrics().utf8)) : work()
        }
    }

    public var port: Int { server.port }

    public func set(_ mode: Mode) { lock.lock(); self.mode = mode; lock.unlock() }

    public func stop() { server.stop() }

    /// One request: wait for a worker, do the work of the current mode, answer.
    private func work() -> LoopbackHTTPServer.Reply {
        lock.lock()
        waiting += 1
        while busy >= workers { lock.wait() }
        waiting -= 1
        busy += 1
        let mode = self.mode
        lock.unlock()
        var status = 200
        switch mode {
        case .healthy: usleep(2_000)
        case .failing: status = 503
        case .slow(let ms): usleep(UInt32(ms) * 1000)
        }
        lock.lock()
        busy -= 1
        byCode[status, default: 0] += 1
        lock.broadcast()
        lock.unlock()
        let body = status == 200 ? "{\"ok\":true}\n" : "{\"error\":\"dependency unavailable\"}\n"
        return .respond(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    /// The exposition body of the backend's own metrics.
    private func metrics() -> String {
        lock.lock()
        let (busy, waiting, codes) = (self.busy, self.waiting, byCode)
        lock.unlock()
        var out = """
            # HELP app_worker_pool_workers Workers in the request pool.
            # TYPE app_worker_pool_workers gauge
            app_worker_pool_workers \(workers)
            # HELP app_worker_pool_busy_workers Workers handling a request now.
            # TYPE app_worker_pool_busy_workers gauge
            app_worker_pool_busy_workers \(busy)
            # HELP app_worker_pool_queue_depth Requests waiting for a worker.
            # TYPE app_worker_pool_queue_depth gauge
            app_worker_pool_queue_depth \(waiting)
            # HELP http_requests_total Requests answered, by status code.
            # TYPE http_requests_total counter

            """
        for code in [200, 503] { out += "http_requests_total{code=\"\(code)\"} \(codes[code] ?? 0)\n" }
        return out
    }
}
