import BurnwatchCore

/// Reads SLO spec files: Sloth `prometheus/v1` and OpenSLO v1 (told apart by their version key).
public enum SLOFileImporter {
    /// Parses a Sloth or OpenSLO file's text into SLO specs.
    ///
    /// - Parameters:
    ///   - text: the YAML text (OpenSLO files may hold several documents).
    ///   - file: the path, for errors.
    /// - Throws: `.config` naming file, line, column and what was expected.
    public static func parse(_ text: String, file: String) throws -> [SLOSpec] {
        let docs = try YAMLDocuments.parse(text, file: file)
        guard let first = docs.first else { throw BurnwatchError(.config, "empty SLO file: expected a Sloth prometheus/v1 or OpenSLO v1 document", at: SourcePosition(source: file, line: 1, column: 1)) }
        let m = try first.mapping(nil)
        if let v = m["version"] {
            let version = try v.string()
            guard version == "prometheus/v1" else { throw v.error("expected Sloth version `prometheus/v1`, found `\(version)`") }
            guard docs.count == 1 else { throw docs[1].error("expected one document in a Sloth prometheus/v1 file") }
            return try SlothImporter.read(first)
        }
        if m["apiVersion"] != nil { return try OpenSLOImporter.read(docs) }
        throw first.error("expected a Sloth file (`version: prometheus/v1`) or an OpenSLO file (`apiVersion: openslo/v1`)")
    }
}

/// Sloth `prometheus/v1`: `version`, `service`, `labels`, `slos` (each with `name`, `objective`
/// in percent, `sli.events` or `sli.raw`, `alerting`).
enum SlothImporter {
    static func read(_ root: YAMLNode) throws -> [SLOSpec] {
        let m = try root.mapping(["version", "service", "labels", "slos"])
        let service = try m.required("service").nonEmptyString()
        if let l = m["labels"] { _ = try l.stringMap() }
        let items = try m.required("slos").sequence()
        if items.isEmpty { throw try m.required("slos").error("expected at least one SLO in `slos`") }
        var out: [SLOSpec] = []
        for item in items {
            let spec = try SLOEntryReader.read(item, service: service, burnwatchKeys: false)
            if out.contains(where: { $0.name == spec.name }) { throw item.error("SLO `\(spec.name)` is defined twice") }
            out.append(spec)
        }
        return out
    }
}
