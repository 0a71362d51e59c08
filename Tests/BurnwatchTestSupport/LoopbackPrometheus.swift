import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `prometheus` (Debian 2.42) on a free loopback port with a temporary data directory.
///
/// Always `stop()` it (use `defer`); the data directory is removed on stop.
public final class LoopbackPrometheus: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private var process: ChildProcess?

    /// Starts Prometheus with `config` (YAML) and waits until it answers HTTP.
    ///
    /// - Throws: when the binary is missing or it does not start within 30 s.
    public init(config: String, extraArguments: [String] = []) throws {
        guard let binary = TestPaths.which("prometheus") else {
            throw NSError(domain: "LoopbackPrometheus", code: 1, userInfo: [NSLocalizedDescriptionKey: "prometheus not installed (make deps)"])
        }
        directory = try TestPaths.makeTemporaryDirectory("bw-prometheus")
        let configURL = directory.appendingPathComponent("prometheus.yml")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        port = FreePort.next()
        process = try ChildProcess(binary, ["--config.file=\(configURL.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                                            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn"] + extraArguments)
        guard FreePort.waitUntilListening(port, timeout: 30) else {
            stop()
            throw NSError(domain: "LoopbackPrometheus", code: 2, userInfo: [NSLocalizedDescriptionKey: "prometheus did not start"])
        }
    }

    deinit { stop() }

    /// Stops the server and removes its data directory.
    public func stop() {
        process?.stop(grace: 10)
        try? FileManager.default.removeItem(at: directory)
    }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// GETs an API path with query parameters and decodes the JSON `data` field.
    public func api(_ path: String, _ parameters: [(String, String)] = []) -> Any? {
        var components = URLComponents()
        components.path = path
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        let encoded = (components.percentEncodedPath) + "?" + (components.percentEncodedQuery ?? "")
            .replacingOccurrences(of: "+", with: "%2B")
        guard let reply = LoopbackHTTPClient.get(port: port, path: encoded, accept: "application/json"), reply.status == 200,
              let json = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any] else { return nil }
        return json["data"]
    }

    /// The instant vector of `query` now: each series' labels and its value as Prometheus printed it.
    public func instantVector(_ query: String) -> [(labels: [String: String], value: String)]? {
        guard let data = api("/api/v1/query", [("query", query)]) as? [String: Any],
              let result = data["result"] as? [[String: Any]] else { return nil }
        return result.compactMap { item in
            guard let metric = item["metric"] as? [String: String], let pair = item["value"] as? [Any], pair.count == 2,
                  let value = pair[1] as? String else { return nil }
            return (metric, value)
        }
    }

    /// Polls `condition` every 200 ms until it holds or `timeout` seconds pass.
    public func wait(timeout: TimeInterval = 30, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(200_000)
        }
        return condition()
    }
}
