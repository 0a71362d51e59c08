import BurnwatchCore

/// Sloth's Kubernetes CRD: `apiVersion: sloth.slok.dev/v1`, `kind: PrometheusServiceLevel`,
/// `metadata`, and a `spec` holding what a `prometheus/v1` file holds (`service`, `labels`,
/// `sloPlugins`, `slos`), with camelCase keys (`errorQuery`, `pageAlert`…; snake_case read too).
enum SlothCRDImporter {
    static let apiVersion = "sloth.slok.dev/v1"
    static let kind = "PrometheusServiceLevel"

    /// Reads one CRD document.
    ///
    /// - Throws: `.config` at the first problem (another `kind`, an unknown key…).
    static func read(_ root: YAMLNode) throws -> [SLOEntry] {
        let m = try root.mapping(["apiVersion", "kind", "metadata", "spec", "status"])
        let kindNode = try m.required("kind")
        guard try kindNode.string() == kind else {
            throw kindNode.error("expected `kind: \(kind)` for apiVersion `\(apiVersion)`, found \(kindNode.kindDescription)")
        }
        if let meta = m["metadata"] { _ = try meta.mapping(nil) }
        let spec = try m.required("spec").mapping(["service", "labels", "slo_plugins", "slos"], spelling: .camel)
        return try SlothServiceReader.read(spec, spelling: .camel)
    }
}
