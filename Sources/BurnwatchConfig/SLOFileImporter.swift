import BurnwatchCore

/// An SLO read from a spec file that burnwatch cannot evaluate: its SLI is produced by a Sloth
/// SLI plugin (Go code Sloth runs when it generates rules), so there are no queries to run.
public struct UnevaluableSLO: Hashable, Sendable {
    public var service: String
    public var name: String
    /// The id of the SLI plugin (`sli.plugin.id`).
    public var sliPlugin: String
    /// The ids of the SLO plugins named for it (see `SLOSpec.plugins`).
    public var plugins: [String]
    public var origin: SourcePosition?

    public init(service: String, name: String, sliPlugin: String, plugins: [String] = [], origin: SourcePosition? = nil) {
        self.service = service; self.name = name; self.sliPlugin = sliPlugin; self.plugins = plugins; self.origin = origin
    }

    /// Why it is not evaluated, for a warning line.
    public var reason: String {
        "not evaluated: its SLI is given by the Sloth plugin `\(sliPlugin)`, which burnwatch cannot run"
    }
}

/// What an SLO spec file holds: the SLOs to evaluate and those that cannot be.
public struct SLOFileContents: Hashable, Sendable {
    public var specs: [SLOSpec]
    public var unevaluable: [UnevaluableSLO]

    public init(specs: [SLOSpec] = [], unevaluable: [UnevaluableSLO] = []) {
        self.specs = specs; self.unevaluable = unevaluable
    }
}

/// Reads SLO spec files in every form Sloth reads: Sloth `prometheus/v1`, Sloth's Kubernetes CRD
/// (`sloth.slok.dev/v1` `PrometheusServiceLevel`) and OpenSLO `v1` / `v1alpha`, one or several
/// `---` documents a file, each told apart by its version key.
public enum SLOFileImporter {
    /// Parses a spec file's text into the SLOs burnwatch evaluates (see `read` for the others).
    ///
    /// - Parameters:
    ///   - text: the YAML text.
    ///   - file: the path, for errors.
    /// - Throws: `.config` naming file, line, column and what was expected.
    public static func parse(_ text: String, file: String) throws -> [SLOSpec] {
        try read(text, file: file).specs
    }

    /// Parses a spec file's text: every document, each a Sloth spec, a Sloth CRD or an OpenSLO
    /// object (OpenSLO documents are read together, so an SLO may refer to an SLI of the file).
    ///
    /// - Parameters:
    ///   - text: the YAML text.
    ///   - file: the path, for errors.
    /// - Throws: `.config` naming file, line, column and what was expected.
    public static func read(_ text: String, file: String) throws -> SLOFileContents {
        let docs = try YAMLDocuments.parse(text, file: file).filter { !$0.isEmptyDocument }
        guard !docs.isEmpty else {
            throw BurnwatchError(.config, "empty SLO file: expected a Sloth prometheus/v1 or CRD, or an OpenSLO document",
                                 at: SourcePosition(source: file, line: 1, column: 1))
        }
        var entries: [SLOEntry] = []
        var openSLO: [YAMLNode] = []
        for doc in docs {
            let m = try doc.mapping(nil)
            if let v = m["version"] {
                let version = try v.string()
                guard version == SlothImporter.version else { throw v.error("expected Sloth version `\(SlothImporter.version)`, found `\(version)`") }
                entries += try SlothImporter.read(doc)
            } else if let v = m["apiVersion"] {
                let apiVersion = try v.string()
                if apiVersion == SlothCRDImporter.apiVersion {
                    entries += try SlothCRDImporter.read(doc)
                } else if OpenSLOImporter.apiVersions.contains(apiVersion) {
                    openSLO.append(doc)
                } else {
                    throw v.error("expected apiVersion `\(SlothCRDImporter.apiVersion)` (Sloth) or \(OpenSLOImporter.apiVersions.map { "`\($0)`" }.joined(separator: " or ")) (OpenSLO), found `\(apiVersion)`")
                }
            } else {
                throw doc.error("expected a Sloth file (`version: prometheus/v1`), a Sloth CRD (`apiVersion: sloth.slok.dev/v1`) or an OpenSLO file (`apiVersion: openslo/v1`)")
            }
        }
        if !openSLO.isEmpty { entries += try OpenSLOImporter.read(openSLO).map { .spec($0) } }
        var out = SLOFileContents()
        var seen = Set<String>()
        for entry in entries {
            guard seen.insert(entry.service + "\u{0}" + entry.name).inserted else {
                throw BurnwatchError(.config, "SLO `\(entry.name)` of service `\(entry.service)` is defined twice", at: entry.origin)
            }
            switch entry {
            case .spec(let s): out.specs.append(s)
            case .unevaluable(let u): out.unevaluable.append(u)
            }
        }
        return out
    }
}

/// Sloth `prometheus/v1`: `version`, `service`, `labels`, `slo_plugins`, `slos` (each with
/// `name`, `objective` in percent, `sli.events`, `sli.raw` or `sli.plugin`, `alerting`, `plugins`).
enum SlothImporter {
    static let version = "prometheus/v1"

    /// Reads one `prometheus/v1` document.
    ///
    /// - Throws: `.config` at the first problem.
    static func read(_ root: YAMLNode) throws -> [SLOEntry] {
        let m = try root.mapping(["version", "service", "labels", "slo_plugins", "slos"], spelling: .snake)
        return try SlothServiceReader.read(m, spelling: .snake)
    }
}

/// The part Sloth's two forms share: a service, its labels, its SLO plugins and its SLOs.
enum SlothServiceReader {
    /// Reads `service`, `labels`, `slo_plugins` and `slos` of a spec mapping.
    ///
    /// - Parameters:
    ///   - m: the mapping holding them (a `prometheus/v1` document or a CRD's `spec`).
    ///   - spelling: how the form spells its keys.
    /// - Throws: `.config` at the first problem.
    static func read(_ m: YAMLMapping, spelling: KeySpelling) throws -> [SLOEntry] {
        let service = try m.required("service").nonEmptyString()
        if let l = m["labels"] { _ = try l.stringMap() }
        let servicePlugins = try m["slo_plugins"].map(SlothPlugins.chain) ?? []
        let slosNode = try m.required("slos")
        let items = try slosNode.sequence()
        if items.isEmpty { throw slosNode.error("expected at least one SLO in `\(slosNode.path)`") }
        var out: [SLOEntry] = []
        for item in items {
            let entry = try SLOEntryReader.read(item, service: service, burnwatchKeys: false, spelling: spelling, servicePlugins: servicePlugins)
            if out.contains(where: { $0.name == entry.name }) { throw item.error("SLO `\(entry.name)` is defined twice") }
            out.append(entry)
        }
        return out
    }
}
