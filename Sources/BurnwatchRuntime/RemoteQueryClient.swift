import BurnwatchCore
import Foundation

/// A Prometheus-compatible query API (Prometheus, Thanos, Mimir, VictoriaMetrics) as a `PromQLQuerier`.
///
/// Sends `POST /api/v1/query` and `/api/v1/query_range` (form-encoded) over libcurl with an explicit
/// timeout, retries transport errors, HTTP 429 and 5xx with exponential backoff and full jitter, and
/// decodes the JSON into `QueryValue`. A bad expression (HTTP 400 `bad_data`) is not retried.
public final class RemoteQueryClient: PromQLQuerier, @unchecked Sendable {
    /// Timeouts, retries, auth and TLS.
    public struct Options: Sendable {
        public var timeoutSeconds: Double = 30
        /// Extra tries after the first for retryable failures.
        public var retries: Int = 2
        /// First backoff step in seconds; the k-th retry waits a random time in [0, min(max, base × 2^k)].
        public var backoffBaseSeconds: Double = 0.2
        public var maxBackoffSeconds: Double = 5
        public var maxBodyBytes: Int = 100 << 20
        /// Basic auth, bearer token file (re-read before every request) and TLS.
        public var auth = HTTPClientAuth()
        /// Extra headers such as `X-Scope-OrgID: tenant` (Mimir).
        public var headers: [String] = []
        public init() {}
    }

    public let baseURL: String
    public let options: Options
    private let lock = NSLock()
    private let handle = CurlEasyHandle()
    private var rng = SeededRandom(seed: 0xC0FFEE)

    /// Creates a client for `baseURL` (e.g. `http://prometheus:9090`, or a Mimir `/prometheus` prefix).
    public init(baseURL: String, options: Options = Options()) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.options = options
    }

    public func instantQuery(_ expression: String, at time: Timestamp) throws -> QueryValue {
        try request("/api/v1/query", [("query", expression), ("time", Self.seconds(time))])
    }

    public func rangeQuery(_ expression: String, start: Timestamp, end: Timestamp, step: Interval) throws -> QueryValue {
        try request("/api/v1/query_range", [("query", expression), ("start", Self.seconds(start)), ("end", Self.seconds(end)),
                                            ("step", Self.seconds(Timestamp(milliseconds: step.milliseconds)))])
    }

    /// Unix seconds with millisecond precision, as the API wants them.
    static func seconds(_ t: Timestamp) -> String {
        let ms = t.milliseconds
        let sign = ms < 0 ? "-" : ""
        let a = abs(ms)
        let frac = a % 1000
        return "\(sign)\(a / 1000)." + String(repeating: "0", count: frac < 10 ? 2 : frac < 100 ? 1 : 0) + "\(frac)"
    }

    /// Form-encodes one value (RFC 3986 unreserved characters stay).
    static func formEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    private func request(_ path: String, _ parameters: [(String, String)]) throws -> QueryValue {
        let url = baseURL + path
        let position = SourcePosition(source: url)
        var http = HTTPRequestOptions()
        http.timeoutSeconds = options.timeoutSeconds
        http.connectTimeoutSeconds = min(options.timeoutSeconds, 10)
        http.maxBodyBytes = options.maxBodyBytes
        http.headers = ["Accept: application/json", "Content-Type: application/x-www-form-urlencoded"] + options.headers
        options.auth.apply(to: &http)
        http.postBody = parameters.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        var lastError = BurnwatchError(.network, "query failed", at: position)
        for attempt in 0...max(0, options.retries) {
            if attempt > 0 {
                let cap = min(options.maxBackoffSeconds, options.backoffBaseSeconds * Double(1 << min(attempt, 20)))
                lock.lock()
                let wait = cap > 0 ? Double(rng.next() % UInt64(max(1, cap * 1e6))) / 1e6 : 0
                lock.unlock()
                PlatformHTTP.sleep(nanoseconds: UInt64(wait * 1e9))
            }
            if let bearer = try options.auth.bearerHeader() {
                http.headers.removeAll { $0.hasPrefix("Authorization:") }
                http.headers.append(bearer)
            }
            lock.lock()
            let response = handle.perform(url: url, options: http)
            lock.unlock()
            if let error = response.error {
                lastError = BurnwatchError(.network, "query failed: \(error)", at: position)
                if case .bodyTooLarge = error { throw lastError }
                continue
            }
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
            if response.status == 429 || response.status >= 500 {
                let detail = (json?["error"] as? String).map { ": \($0)" } ?? ""
                lastError = BurnwatchError(.network, "query failed: HTTP \(response.status)\(detail)", at: position)
                continue
            }
            guard let json else {
                throw BurnwatchError(.network, "query failed: HTTP \(response.status) with a body that is not JSON", at: position)
            }
            if json["status"] as? String != "success" {
                let kind = json["errorType"] as? String ?? "error"
                let message = json["error"] as? String ?? "HTTP \(response.status)"
                throw BurnwatchError(.query, "\(kind): \(message)", at: position)
            }
            return try Self.decode(json["data"], at: position)
        }
        throw lastError
    }

    /// Decodes the API's `data` object into a `QueryValue`.
    ///
    /// - Throws: `BurnwatchError(.query)` when the shape is not the API's.
    static func decode(_ data: Any?, at position: SourcePosition) throws -> QueryValue {
        func bad(_ what: String) -> BurnwatchError { BurnwatchError(.query, "unexpected query API answer: \(what)", at: position) }
        guard let data = data as? [String: Any], let type = data["resultType"] as? String else { throw bad("no resultType") }
        func point(_ any: Any?) throws -> (Timestamp, Double) {
            guard let pair = any as? [Any], pair.count == 2, let t = (pair[0] as? NSNumber)?.doubleValue,
                  let text = pair[1] as? String, let v = Self.parseValue(text) else { throw bad("bad sample \(String(describing: any))") }
            return (Timestamp(seconds: t), v)
        }
        func labels(_ any: Any?) -> Labels { Labels((any as? [String: String]) ?? [:]) }
        switch type {
        case "scalar":
            let (t, v) = try point(data["result"])
            return .scalar(t, v)
        case "string":
            guard let pair = data["result"] as? [Any], pair.count == 2, let t = (pair[0] as? NSNumber)?.doubleValue,
                  let s = pair[1] as? String else { throw bad("bad string result") }
            return .string(Timestamp(seconds: t), s)
        case "vector":
            guard let items = data["result"] as? [[String: Any]] else { throw bad("bad vector") }
            return .vector(try items.map { item in
                let (t, v) = try point(item["value"])
                return VectorSample(labels: labels(item["metric"]), timestamp: t, value: v)
            })
        case "matrix":
            guard let items = data["result"] as? [[String: Any]] else { throw bad("bad matrix") }
            return .matrix(try items.map { item in
                MatrixSeries(labels: labels(item["metric"]), points: try ((item["values"] as? [Any]) ?? []).map(point))
            })
        default:
            throw bad("resultType \(type)")
        }
    }

    /// Parses the API's number strings (`"1.5"`, `"NaN"`, `"+Inf"`, `"-Inf"`).
    static func parseValue(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
