import BurnwatchCore

/// Reads a burnwatch YAML configuration from its text. Pure: the caller reads the file.
public enum ConfigLoader {
    static let topKeys = ["services", "log_sources", "slos", "slo_files", "runbooks"]

    /// Parses a configuration.
    ///
    /// - Parameters:
    ///   - text: the YAML text.
    ///   - file: the file's path, used in errors and to resolve relative paths.
    /// - Returns: the configuration; `slo_files` are not read here (see `SLOFileImporter`).
    /// - Throws: `BurnwatchError` (`.config`) naming file, line, column and what was expected.
    public static func parse(_ text: String, file: String) throws -> BurnwatchConfiguration {
        let docs = try YAMLDocuments.parse(text, file: file)
        guard docs.count <= 1 else { throw docs[1].error("expected one YAML document, found \(docs.count)") }
        var config = BurnwatchConfiguration(file: file)
        guard let root = docs.first else { return config }
        if case .scalar(let s) = root.node, s.string.isEmpty { return config }
        let m = try root.mapping(topKeys)
        let folder = directory(of: file)

        if let services = m["services"] {
            for item in try services.sequence() {
                let s = try item.mapping(["name", "targets", "query_api"] + SignalConfigReader.serviceKeys)
                let nameNode = try s.required("name")
                let name = try nameNode.nonEmptyString()
                if config.service(named: name) != nil { throw nameNode.error("service `\(name)` is defined twice") }
                var service = ServiceConfig(name: name, origin: item.position)
                if let targets = s["targets"] {
                    for t in try targets.sequence() { service.targets.append(try readTarget(t)) }
                }
                if let api = s["query_api"] {
                    let a = try api.mapping(["url", "timeout", "headers"])
                    let urlNode = try a.required("url")
                    var q = QueryAPIConfig(url: try readURL(urlNode))
                    if let t = a["timeout"] { q.timeout = try t.duration() }
                    if let h = a["headers"] { q.headers = try h.stringMap() }
                    service.queryAPI = q
                }
                // A service with neither is valid: its SLOs are evaluated over files (`eval --metrics`,
                // `query`, replays) or over what `watch` gathers from logs.
                if !service.targets.isEmpty && service.queryAPI != nil {
                    throw item.error("service `\(name)` has both `targets` and `query_api`; expected one of them")
                }
                service.signals = try SignalConfigReader.read(s, service: name)
                config.services.append(service)
            }
        }
        if let logs = m["log_sources"] {
            for item in try logs.sequence() {
                let l = try item.mapping(["service", "files", "command", "stdin", "preset"])
                let service = try l.required("service").nonEmptyString()
                let kinds = ["files", "command", "stdin"].filter { l[$0] != nil }
                guard kinds.count == 1 else { throw item.error("expected exactly one of files, command, stdin in `\(item.path)`") }
                let kind: LogSourceConfig.Kind
                switch kinds[0] {
                case "files": kind = .files(try l.required("files").strings().map { resolve($0, in: folder) })
                case "command": kind = .command(try l.required("command").strings())
                default:
                    let s = try l.required("stdin")
                    guard try s.bool() else { throw s.error("expected `stdin: true` at `\(s.path)`") }
                    kind = .stdin
                }
                config.logSources.append(LogSourceConfig(service: service, kind: kind, preset: try l["preset"]?.string(), origin: item.position))
            }
        }
        if let slos = m["slos"] {
            for item in try slos.sequence() {
                let entry = try SLOEntryReader.read(item, service: nil, burnwatchKeys: true)
                if config.slos.contains(where: { $0.service == entry.service && $0.name == entry.name })
                    || config.unevaluableSLOs.contains(where: { $0.service == entry.service && $0.name == entry.name }) {
                    throw item.error("SLO `\(entry.name)` of service `\(entry.service)` is defined twice")
                }
                switch entry {
                case .spec(let spec): config.slos.append(spec)
                case .unevaluable(let u): config.unevaluableSLOs.append(u)
                }
            }
        }
        if let files = m["slo_files"] { config.sloFiles = try files.strings().map { resolve($0, in: folder) } }
        if let folders = m["runbooks"] { config.runbookFolders = try folders.strings().map { resolve($0, in: folder) } }
        return config
    }

    static func readTarget(_ node: YAMLNode) throws -> ScrapeTargetConfig {
        if case .scalar = node.node { return ScrapeTargetConfig(url: try readURL(node)) }
        let t = try node.mapping(["url", "interval", "timeout", "labels"])
        var target = ScrapeTargetConfig(url: try readURL(try t.required("url")))
        if let i = t["interval"] { target.interval = try i.duration() }
        if let i = t["timeout"] { target.timeout = try i.duration() }
        if let l = t["labels"] { target.labels = try l.stringMap() }
        if target.timeout > target.interval {
            throw (t["timeout"] ?? node).error("scrape timeout \(target.timeout) is longer than the interval \(target.interval)")
        }
        return target
    }

    static func readURL(_ node: YAMLNode) throws -> String {
        let url = try node.nonEmptyString()
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw node.error("expected an http:// or https:// URL at `\(node.path)`, found `\(url)`")
        }
        return url
    }

    /// The folder part of a path (`.` when there is none).
    static func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }

    /// A path relative to `folder` unless absolute (or `~/…`, left to the caller).
    static func resolve(_ path: String, in folder: String) -> String {
        if path.hasPrefix("/") || path.hasPrefix("~") || folder == "." { return path }
        return folder + "/" + path
    }
}
