import Foundation

/// A real HAProxy in front of lab backends, on free loopback ports: L7 retries (`retry-on 503`,
/// `retries 3`, redispatch to the other server on every retry), `maxconn` per server (requests
/// beyond it wait in HAProxy's queue), and its built-in Prometheus exporter.
public final class HAProxyProcess: @unchecked Sendable {
    /// Where clients send requests.
    public let frontendPort: Int
    /// Where `/metrics` is served.
    public let metricsPort: Int
    public let configText: String
    private var process: ChildProcess?
    private let directory: URL

    /// Starts HAProxy; it is stopped by `stop()` (or when the test process ends).
    ///
    /// - Parameters:
    ///   - backends: the servers' ports, named `a`, `b`, … in HAProxy's metrics.
    ///   - maxconn: requests each server is given at once.
    /// - Throws: when haproxy is missing or does not start listening.
    public init(backends: [Int], maxconn: Int = 4) throws {
        guard let binary = TestPaths.which("haproxy") else { throw LabError("haproxy is not installed (make deps)") }
        frontendPort = FreePort.next()
        metricsPort = FreePort.next()
        directory = try TestPaths.makeTemporaryDirectory("burnwatch-haproxy")
        let servers = backends.enumerated().map { i, port in
            "  server \(String(UnicodeScalar(UInt8(97 + i)))) 127.0.0.1:\(port) maxconn \(maxconn)"
        }
        configText = """
            global
              maxconn 1000
            defaults
              mode http
              timeout connect 1s
              timeout client 30s
              timeout server 10s
              timeout queue 10s
              retries 3
              option redispatch 1
              retry-on 503 conn-failure empty-response
            frontend orders
              bind 127.0.0.1:\(frontendPort)
              default_backend orders
            frontend metrics
              bind 127.0.0.1:\(metricsPort)
              http-request use-service prometheus-exporter if { path /metrics }
            backend orders
              balance roundrobin
            \(servers.joined(separator: "\n"))

            """
        let config = directory.appendingPathComponent("haproxy.cfg")
        try configText.write(to: config, atomically: true, encoding: .utf8)
        process = try ChildProcess(binary, ["-db", "-f", config.path])
        guard FreePort.waitUntilListening(metricsPort, timeout: 15), FreePort.waitUntilListening(frontendPort, timeout: 5) else {
            stop()
            throw LabError("haproxy did not listen on \(frontendPort)/\(metricsPort)")
        }
    }

    public var metricsURL: String { "http://127.0.0.1:\(metricsPort)/metrics" }

    public func stop() {
        process?.stop(grace: 10)
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A lab part that could not be set up.
public struct LabError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
