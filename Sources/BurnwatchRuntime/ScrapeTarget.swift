import BurnwatchConfig
import BurnwatchCore

/// One HTTP(S) metrics endpoint to scrape and how.
public struct ScrapeTarget: Sendable, Hashable {
    /// The full URL, e.g. `http://127.0.0.1:9100/metrics`.
    public var url: String
    /// The `job` label of every series of this target.
    public var job: String
    /// The `instance` label; by default `host:port` of the URL.
    public var instance: String
    /// Extra target labels put on every series (like Prometheus's static_configs labels); a scraped
    /// label of the same name is kept as `exported_<name>`.
    public var extraLabels: [String: String] = [:]
    /// Seconds between scrapes.
    public var intervalSeconds: Double = 15
    /// Whole-scrape timeout in seconds (at most the interval).
    public var timeoutSeconds: Double = 10
    /// Largest accepted (decompressed) body in bytes.
    public var maxBodyBytes: Int = 50 << 20
    /// Basic auth, bearer token file (re-read before every scrape) and TLS.
    public var auth = HTTPClientAuth()

    /// Creates a target; `instance` defaults to the URL's `host:port`.
    public init(url: String, job: String, instance: String? = nil, intervalSeconds: Double = 15, timeoutSeconds: Double = 10) {
        self.url = url
        self.job = job
        self.instance = instance ?? ScrapeTarget.defaultInstance(url)
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = min(timeoutSeconds, intervalSeconds)
    }

    /// A target from the configuration file; `job` is the service name.
    public init(config: ScrapeTargetConfig, job: String) {
        self.init(url: config.url, job: job, intervalSeconds: config.interval.seconds, timeoutSeconds: config.timeout.seconds)
        extraLabels = config.labels.filter { $0.key != "job" && $0.key != "instance" }
        if let instance = config.labels["instance"] { self.instance = instance }
    }

    /// `host:port` of a URL, with the scheme's default port when none is written (as Prometheus does).
    public static func defaultInstance(_ url: String) -> String {
        var rest = Substring(url)
        var port = "80"
        if rest.hasPrefix("https://") { port = "443"; rest = rest.dropFirst(8) } else if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
        if let at = rest.firstIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let hostPort = rest[..<end]
        if hostPort.hasSuffix("]") || !hostPort.contains(":") { return "\(hostPort):\(port)" }
        return String(hostPort)
    }

    /// The `Accept` header Prometheus sends: OpenMetrics preferred, then text 0.0.4.
    public static let acceptHeader = "Accept: application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1"

    /// Request options for one scrape (the bearer token is read now).
    ///
    /// - Throws: `BurnwatchError(.io)` when the bearer token file cannot be read.
    func requestOptions() throws -> HTTPRequestOptions {
        var options = HTTPRequestOptions()
        options.timeoutSeconds = timeoutSeconds
        options.connectTimeoutSeconds = min(timeoutSeconds, 5)
        options.maxBodyBytes = maxBodyBytes
        options.headers = [Self.acceptHeader, "X-Prometheus-Scrape-Timeout-Seconds: \(timeoutSeconds)"]
        if let bearer = try auth.bearerHeader() { options.headers.append(bearer) }
        auth.apply(to: &options)
        return options
    }
}
