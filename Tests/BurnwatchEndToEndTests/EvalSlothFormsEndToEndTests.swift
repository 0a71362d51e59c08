import BurnwatchTestSupport
import Foundation
import Testing

/// The example specs in Sloth's other forms (plugins and several documents, the Kubernetes CRD,
/// OpenSLO v1alpha) evaluate unchanged; an SLI plugin is skipped with a message, SLO plugins are
/// listed by check-config as not evaluated.
@Suite struct EvalSlothFormsEndToEndTests {
    let examples = EvalExamplesEndToEndTests()
    var folder: URL { TestPaths.packageRoot.appendingPathComponent("Examples/slos") }

    @Test func everyFormEvaluatesOnItsData() throws {
        let dir = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("examples.om")
        try examples.writeData(data, ratio: 0.02)
        let files = ["sloth-plugins-multidoc.yaml", "sloth-crd-checkout.yaml", "openslo-v1alpha-checkout.yaml"]
        let run = try EvalTestData.eval(files.flatMap { ["--slos", folder.appendingPathComponent($0).path] }
                                        + ["--metrics", data.path, "--at", "\(examples.T)"])
        #expect(run.status == 2, "\(run.stderr)")  // 2% errors page a 99.9% SLO
        #expect(run.stderr.contains("burnwatch: warning: payments-api/gateway-availability: not evaluated: its SLI is given by the Sloth plugin `sloth-common/kubernetes/apiserver/availability`"))
        let slos = try #require(run.objects.first?["slos"] as? [[String: Any]])
        #expect(slos.map { "\($0["service"]!)/\($0["name"]!)" } == [
            "payments-api/charges-availability", "payments-api/charges-error-ratio", "search-api/queries-availability",
            "checkout-web/orders-availability", "checkout-web/orders-error-ratio", "search-web/results-availability",
            "checkout-store/store-availability-good", "checkout-store/store-availability-strict", "checkout-store/store-monthly"])
        for slo in slos {
            let ratio = try #require(slo.window("1h", "error_ratio"), "\(slo["name"]!)")
            #expect(abs(ratio - 0.02) < 1e-9, "\(slo["name"]!)")
        }
        func severities(_ i: Int) -> [String] { ((slos[i]["alerts"] as? [[String: Any]]) ?? []).compactMap { $0["severity"] as? String } }
        #expect(severities(0) == ["page", "page"])            // ticket_alert.disable
        #expect(severities(1) == ["ticket", "ticket"])        // pageAlert.disable in a prometheus/v1 file
        #expect(severities(4) == ["ticket", "ticket"])        // CRD pageAlert.disable
        #expect(severities(5) == ["page", "page"])            // CRD ticketAlert.disable
        #expect(slos[3]["state"] as? String == "page")
        #expect(slos[6]["period_seconds"] as? Int == 14 * 86_400)
        #expect(slos[7]["objective"] as? Double == 0.999)
    }

    @Test func checkConfigListsPluginsAsNotEvaluated() throws {
        let r = try ProcessRunner.burnwatch(["check-config", folder.appendingPathComponent("sloth-plugins-multidoc.yaml").path])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.contains("payments-api/charges-availability: Sloth SLO plugins not evaluated (the SLO is computed without them): sloth.dev/contrib/info_labels/v1, sloth.dev/core/debug/v1\n"))
        #expect(r.stdoutText.contains(": ok: 0 services, 0 log sources, 3 SLOs (1 not evaluated)\n"))
        #expect(r.stderrText == "burnwatch: warning: payments-api/gateway-availability: not evaluated: its SLI is given by the Sloth plugin `sloth-common/kubernetes/apiserver/availability`, which burnwatch cannot run\n")
        for file in ["sloth-crd-checkout.yaml", "openslo-v1alpha-checkout.yaml"] {
            let r = try ProcessRunner.burnwatch(["check-config", folder.appendingPathComponent(file).path])
            #expect(r.status == 0 && r.stderrText.isEmpty, "\(file): \(r.stderrText)")
            #expect(r.stdoutText.contains(": ok: 0 services, 0 log sources, 3 SLOs\n"), "\(file)")
        }
    }
}
