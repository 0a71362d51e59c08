import BurnwatchCore

/// A whole burnwatch configuration file (DESIGN.md §4).
public struct BurnwatchConfiguration: Hashable, Sendable {
    /// The file it was read from.
    public var file: String
    public var services: [ServiceConfig]
    public var logSources: [LogSourceConfig]
    /// SLOs written in this file (Sloth keys plus burnwatch's own).
    public var slos: [SLOSpec]
    /// SLOs written in this file whose SLI is a Sloth plugin: reported, not evaluated.
    public var unevaluableSLOs: [UnevaluableSLO] = []
    /// Sloth or OpenSLO files to import, resolved against the config file's folder.
    public var sloFiles: [String]
    /// Runbook folders, resolved against the config file's folder.
    public var runbookFolders: [String]

    public init(file: String, services: [ServiceConfig] = [], logSources: [LogSourceConfig] = [], slos: [SLOSpec] = [],
                sloFiles: [String] = [], runbookFolders: [String] = []) {
        self.file = file; self.services = services; self.logSources = logSources; self.slos = slos
        self.sloFiles = sloFiles; self.runbookFolders = runbookFolders
    }

    /// The service of a name, if configured.
    public func service(named name: String) -> ServiceConfig? { services.first { $0.name == name } }

    /// The signal configuration of every service.
    public var signalConfigs: [ServiceSignalConfig] { services.map(\.signals) }
}

/// One service: where its metrics come from.
public struct ServiceConfig: Hashable, Sendable {
    public var name: String
    /// Endpoints scraped by burnwatch; SLO queries run on the embedded engine.
    public var targets: [ScrapeTargetConfig]
    /// A Prometheus-compatible query API; SLO queries run on the server.
    public var queryAPI: QueryAPIConfig?
    /// Retry sources, resources and threshold changes for the signal detectors.
    public var signals: ServiceSignalConfig
    public var origin: SourcePosition?

    public init(name: String, targets: [ScrapeTargetConfig] = [], queryAPI: QueryAPIConfig? = nil, origin: SourcePosition? = nil) {
        self.name = name; self.targets = targets; self.queryAPI = queryAPI; self.origin = origin
        self.signals = ServiceSignalConfig(service: name)
    }
}

/// A metrics endpoint to scrape.
public struct ScrapeTargetConfig: Hashable, Sendable {
    public var url: String
    public var interval: Interval
    public var timeout: Interval
    /// Extra labels put on every scraped series (`job` and `instance` are added from the URL).
    public var labels: [String: String]

    public init(url: String, interval: Interval = Interval(milliseconds: 15_000), timeout: Interval = Interval(milliseconds: 5_000),
                labels: [String: String] = [:]) {
        self.url = url; self.interval = interval; self.timeout = timeout; self.labels = labels
    }
}

/// A Prometheus-compatible HTTP query API (Prometheus, Thanos, Mimir, VictoriaMetrics).
public struct QueryAPIConfig: Hashable, Sendable {
    /// The base URL, e.g. `http://127.0.0.1:9090` (the client appends `/api/v1/query`).
    public var url: String
    public var timeout: Interval
    public var headers: [String: String]

    public init(url: String, timeout: Interval = Interval(milliseconds: 10_000), headers: [String: String] = [:]) {
        self.url = url; self.timeout = timeout; self.headers = headers
    }
}

/// Where a service's JSON log lines come from.
public struct LogSourceConfig: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Files matching globs, followed across rotation.
        case files([String])
        /// A command's standard output (e.g. `kubectl logs -f deploy/api`), as argv.
        case command([String])
        /// Standard input.
        case stdin
    }

    public var service: String
    public var kind: Kind
    /// A log preset name (e.g. `zap`, `slog`, `logrus`), or nil to detect.
    public var preset: String?
    public var origin: SourcePosition?

    public init(service: String, kind: Kind, preset: String? = nil, origin: SourcePosition? = nil) {
        self.service = service; self.kind = kind; self.preset = preset; self.origin = origin
    }
}
