import ArgumentParser
import BurnwatchConfig
import BurnwatchCore
import Foundation

/// `burnwatch check-config F`: validates a configuration (and the SLO files it names).
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file or a Sloth/OpenSLO file; errors name file:line:column.")

    @Argument(help: "The configuration file (or a Sloth prometheus/v1 or CRD file, or an OpenSLO v1/v1alpha file).")
    var file: String

    func run() throws {
        do {
            let text = try SLOSources.read(file)
            // A spec file (Sloth prometheus/v1 or CRD, OpenSLO) has a version key at the top of a document.
            let isSLOFile = text.split(separator: "\n").contains { $0.hasPrefix("version:") || $0.hasPrefix("apiVersion:") }
            let sources = isSLOFile ? try SLOSources.load(config: nil, sloFiles: [file], autoLocate: false)
                                    : try SLOSources.load(config: file, sloFiles: [], autoLocate: false, requireSLOs: false)
            for (spec, warning) in sources.warnings { SLOSources.warn("\(spec.service)/\(spec.name): \(warning)") }
            sources.warnUnevaluable()
            for spec in sources.slos where !spec.plugins.isEmpty {
                CommandOutput.report("\(spec.service)/\(spec.name): Sloth SLO plugins not evaluated (the SLO is computed without them): \(spec.plugins.joined(separator: ", "))")
            }
            let services = sources.config?.services.count ?? 0
            let logs = sources.config?.logSources.count ?? 0
            let skipped = sources.unevaluable.isEmpty ? "" : " (\(sources.unevaluable.count) not evaluated)"
            let signals = sources.config?.signalConfigs ?? []
            let retries = signals.reduce(0) { $0 + $1.retries.count }, resources = signals.reduce(0) { $0 + $1.resources.count }
            let changed = signals.reduce(0) { $0 + $1.overrides.count }
            let signalPart = retries + resources + changed == 0 ? ""
                : ", \(retries) retry sources, \(resources) resources, \(changed) signal settings changed"
            CommandOutput.report("\(file): ok: \(services) services, \(logs) log sources, \(sources.slos.count) SLOs\(skipped)\(signalPart)")
        } catch let e as BurnwatchError {
            CommandOutput.error("burnwatch check-config: \(e.description)")
            throw ExitCode(1)
        }
    }
}
