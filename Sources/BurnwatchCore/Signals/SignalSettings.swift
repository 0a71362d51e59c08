/// The thresholds of one signal kind for one service: published defaults, changed in the config.
///
/// `info`, `warn` and `page` are the kind's main thresholds (a ratio, a share, a factor, as the
/// kind's documentation says); `parameters` holds its other named thresholds. `forDuration` is the
/// hysteresis: the condition must hold that long to fire, and be false that long to clear.
public struct SignalSettings: Hashable, Sendable {
    public var enabled: Bool
    public var info: Double?
    public var warn: Double?
    public var page: Double?
    public var forDuration: Interval
    public var parameters: [String: Double]

    public init(enabled: Bool = true, info: Double? = nil, warn: Double? = nil, page: Double? = nil,
                for forDuration: Interval, parameters: [String: Double] = [:]) {
        self.enabled = enabled; self.info = info; self.warn = warn; self.page = page
        self.forDuration = forDuration; self.parameters = parameters
    }

    /// A named parameter, or `fallback` when neither the config nor the defaults set it.
    public func parameter(_ name: String, _ fallback: Double) -> Double { parameters[name] ?? fallback }

    /// The severity of `value` against the thresholds (`value ≥ threshold`), nil below all.
    public func severity(of value: Double?) -> Severity? {
        guard let value, value.isFinite else { return nil }
        if let page, value >= page { return .page }
        if let warn, value >= warn { return .warning }
        if let info, value >= info { return .info }
        return nil
    }

    /// These settings with the keys a config entry sets laid over them.
    public func overlaid(with o: SignalSettingsOverride) -> SignalSettings {
        var out = self
        if let v = o.enabled { out.enabled = v }
        if let v = o.info { out.info = v }
        if let v = o.warn { out.warn = v }
        if let v = o.page { out.page = v }
        if let v = o.forDuration { out.forDuration = v }
        for (k, v) in o.parameters { out.parameters[k] = v }
        return out
    }
}

/// What a config's `signals: {kind: {…}}` entry changes; nil keeps the default.
public struct SignalSettingsOverride: Hashable, Sendable {
    public var enabled: Bool?
    public var info: Double?
    public var warn: Double?
    public var page: Double?
    public var forDuration: Interval?
    public var parameters: [String: Double]
    public var origin: SourcePosition?

    public init(enabled: Bool? = nil, info: Double? = nil, warn: Double? = nil, page: Double? = nil,
                for forDuration: Interval? = nil, parameters: [String: Double] = [:], origin: SourcePosition? = nil) {
        self.enabled = enabled; self.info = info; self.warn = warn; self.page = page
        self.forDuration = forDuration; self.parameters = parameters; self.origin = origin
    }
}

/// A retry source declared in the config: retries (or attempts) and requests as PromQL rates.
public struct RetrySourceConfig: Hashable, Sendable {
    public var name: String
    /// Retries per second; or nil when `attempts` is given.
    public var retries: String?
    /// Attempts (first tries plus retries) per second.
    public var attempts: String?
    /// Original (logical) requests per second.
    public var requests: String
    public var origin: SourcePosition?

    public init(name: String, retries: String? = nil, attempts: String? = nil, requests: String, origin: SourcePosition? = nil) {
        self.name = name; self.retries = retries; self.attempts = attempts; self.requests = requests; self.origin = origin
    }
}

/// A resource declared in the config: `used` against `limit`, or a `queue` (and its `capacity`).
public struct ResourceConfig: Hashable, Sendable {
    public var name: String
    public var used: String?
    public var limit: String?
    public var queue: String?
    public var capacity: String?
    public var origin: SourcePosition?

    public init(name: String, used: String? = nil, limit: String? = nil, queue: String? = nil, capacity: String? = nil,
                origin: SourcePosition? = nil) {
        self.name = name; self.used = used; self.limit = limit; self.queue = queue; self.capacity = capacity; self.origin = origin
    }
}

/// What the config says about one service's signals.
public struct ServiceSignalConfig: Hashable, Sendable {
    public var service: String
    public var retries: [RetrySourceConfig]
    public var resources: [ResourceConfig]
    public var overrides: [SignalKind: SignalSettingsOverride]

    public init(service: String, retries: [RetrySourceConfig] = [], resources: [ResourceConfig] = [],
                overrides: [SignalKind: SignalSettingsOverride] = [:]) {
        self.service = service; self.retries = retries; self.resources = resources; self.overrides = overrides
    }
}
