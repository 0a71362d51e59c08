import BurnwatchTestSupport
import Foundation

/// A test precondition that failed (a missing tool, a server that did not start).
struct WatchTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A real `prometheus-node-exporter` on a free loopback port with only fast collectors.
final class NodeExporterProcess {
    let port: Int
    private var process: ChildProcess?

    init() throws {
        guard let binary = TestPaths.which("prometheus-node-exporter") else {
            throw WatchTestError("prometheus-node-exporter is not installed (make deps)")
        }
        port = FreePort.next()
        process = try ChildProcess(binary, ["--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults",
                                            "--collector.loadavg", "--collector.meminfo", "--collector.time"])
        guard FreePort.waitUntilListening(port, timeout: 15) else {
            stop()
            throw WatchTestError("node_exporter did not listen on \(port)")
        }
    }

    func stop() {
        process?.stop()
    }
}

/// Counters that a test server serves and a test changes: each scrape adds 100 requests, and
/// `errorsPerScrape` of them fail with a 500.
final class ChangingCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var errors = 0
    private var errorsPerScrape = 0

    func setErrorsPerScrape(_ n: Int) { lock.lock(); errorsPerScrape = n; lock.unlock() }

    /// The next exposition body (text 0.0.4).
    func nextBody() -> [UInt8] {
        lock.lock()
        total += 100
        errors += errorsPerScrape
        let body = """
            # HELP http_requests_total Requests by status code.
            # TYPE http_requests_total counter
            http_requests_total{code="200"} \(total - errors)
            http_requests_total{code="500"} \(errors)
            # TYPE app_info gauge
            app_info{version="1.2.3",note="back\\\\slash \\"quoted\\""} 1

            """
        lock.unlock()
        return Array(body.utf8)
    }
}
