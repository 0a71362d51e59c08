import BurnwatchConfig
import BurnwatchCore
import BurnwatchRuntime
import Foundation

/// The SLOs to evaluate and where their queries run, from a config and SLO files.
struct SLOSources {
    var config: BurnwatchConfiguration?
    var slos: [SLOSpec] = []
    /// Problems that do not stop evaluation, such as tiers that can never fire.
    var warnings: [(SLOSpec, String)] = []
    /// SLOs whose SLI is a Sloth plugin: read, reported, never evaluated.
    var unevaluable: [UnevaluableSLO] = []

    /// Loads the config (given, or found when `autoLocate`) and every SLO file.
    static func load(config path: String?, sloFiles: [String], autoLocate: Bool, requireSLOs: Bool = true) throws -> SLOSources {
        var out = SLOSources()
        let env = ProcessInfo.processInfo.environment
        let located = path ?? (autoLocate ? ConfigLocator.locate(explicit: nil, environment: env, exists: { FileManager.default.fileExists(atPath: $0) }) : nil)
        var files = sloFiles
        if let located {
            let config = try ConfigLoader.parse(try read(located), file: located)
            out.config = config
            out.slos = config.slos
            out.unevaluable = config.unevaluableSLOs
            files = config.sloFiles + files
        }
        for file in files {
            let contents = try SLOFileImporter.read(try read(file), file: file)
            out.slos += contents.specs
            out.unevaluable += contents.unevaluable
        }
        var seen = Set<String>()
        for u in out.unevaluable where !seen.insert(u.service + "\u{0}" + u.name).inserted {
            throw BurnwatchError(.config, "SLO `\(u.name)` of service `\(u.service)` is defined twice", at: u.origin)
        }
        for spec in out.slos {
            let key = spec.service + "\u{0}" + spec.name
            if !seen.insert(key).inserted {
                throw BurnwatchError(.config, "SLO `\(spec.name)` of service `\(spec.service)` is defined twice", at: spec.origin)
            }
            if let config = out.config, !config.services.isEmpty, config.service(named: spec.service) == nil {
                out.warnings.append((spec, "service `\(spec.service)` is not in `services` of \(config.file); its queries run on local data"))
            }
            for tier in BurnRateTier.defaults(period: spec.period.nominalLength) where !tier.canFire(objective: spec.objective) {
                out.warnings.append((spec, "\(tier.severity.rawValue) tier \(SLOQueries.promDuration(tier.long))/\(SLOQueries.promDuration(tier.short)) at \(tier.factor)x can never fire: a \(spec.objective * 100)% SLO burns at most \(1 / spec.errorBudget)x"))
            }
        }
        if out.slos.isEmpty && out.unevaluable.isEmpty && requireSLOs {
            throw BurnwatchError(.usage, located == nil && sloFiles.isEmpty
                ? "no SLOs: give --config, --slos, or put a burnwatch.yaml in this folder"
                : "no SLOs in the given configuration")
        }
        return out
    }

    /// The querier for an SLO: the server of its service's `query_api` when no local data was
    /// given, else the embedded engine.
    func querier(for spec: SLOSpec, local: PromQLEngine, localData: Bool) throws -> any PromQLQuerier {
        if !localData, let api = config?.service(named: spec.service)?.queryAPI {
            return try RemoteQuerierFactory.make(api)
        }
        return local
    }

    /// The newest sample time in a store, or nil when it is empty.
    static func newestSample(_ store: SeriesStore) -> Timestamp? {
        var newest: Int64? = nil
        for id in 0..<store.seriesCount {
            if let (t, _) = store.lastSample(id: id, atOrBefore: Int64.max) { newest = max(newest ?? t, t) }
        }
        return newest.map { Timestamp(milliseconds: $0) }
    }

    static func read(_ path: String) throws -> String {
        var path = path
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { path = home + path.dropFirst() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BurnwatchError(.io, "cannot read the file", at: SourcePosition(source: path))
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Warns of every SLO that is read but not evaluated (its SLI is a Sloth plugin).
    func warnUnevaluable() {
        for u in unevaluable { Self.warn("\(u.service)/\(u.name): \(u.reason)") }
    }

    static func warn(_ message: String) {
        CommandOutput.error("burnwatch: warning: \(message)")
    }

    static func time(_ text: String, _ what: String) throws -> Timestamp {
        if let v = Double(text), v.isFinite { return Timestamp(seconds: v) }
        if let t = RFC3339.parse(text) { return t }
        throw BurnwatchError(.usage, "\(what): expected RFC 3339 or Unix seconds, found \(text)")
    }

    static func duration(_ text: String, _ what: String) throws -> Interval {
        if let v = Double(text), v.isFinite, v > 0 { return Interval(seconds: v) }
        if let d = Interval.parse(text), d.milliseconds > 0 { return d }
        throw BurnwatchError(.usage, "\(what): expected a duration such as 30s or 5m, found \(text)")
    }
}
