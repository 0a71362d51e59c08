import BurnwatchTestSupport
import Foundation
import Testing

/// The real exposition and log fixtures raise nothing above `info` of the dependency, taxonomy,
/// correlation, duplicate, poison, tenant and deploy kinds (`burnwatch eval` over each pair).
///
/// The HAProxy fixture was taken while its backends were failing and retrying: `be_orders` had
/// many 5xx in its counters, but one scrape gives no rate, so `dependency_failure` has nothing to judge.
@Suite struct OtherSignalFixtureTests {
    static let kinds: Set<String> = ["dependency_failure", "error_taxonomy_shift", "missing_correlation", "duplicate_side_effect",
                                     "poison_message", "tenant_hotspot", "deploy_regression"]
    static let fixtures = "/work/shared/fixtures"

    @Test(arguments: ["caddy", "haproxy", "node_exporter", "prometheus"])
    func exposition(_ name: String) throws {
        let logs = ["caddy": "caddy.jsonl", "haproxy": "haproxy.jsonl", "node_exporter": "node_exporter.json.log",
                    "prometheus": "prometheus.json.log"][name]!
        try check(["--metrics", "\(Self.fixtures)/exposition/\(name).txt"])
        try check(["--logs", "\(Self.fixtures)/logs/\(logs)"])
        if name == "prometheus" { try check(["--logs", "\(Self.fixtures)/logs/prometheus.logfmt.log"]) }
    }

    private func check(_ inputs: [String]) throws {
        guard FileManager.default.fileExists(atPath: inputs[1]) else { return }
        let r = try ProcessRunner.run(TestPaths.binary.path, ["eval"] + inputs)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdoutText.utf8)) as? [String: Any]
        let signals = json?["signals"] as? [[String: Any]] ?? []
        let loud = signals.filter { Self.kinds.contains($0["kind"] as? String ?? "") && ($0["severity"] as? String ?? "info") != "info" }
        #expect(json != nil, "\(r.stdoutText)")
        #expect(loud.isEmpty, "\(inputs): \(loud)")
    }
}
