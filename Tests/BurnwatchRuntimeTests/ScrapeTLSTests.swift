import BurnwatchCore
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import Foundation
import Testing

/// A CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl CLI.
struct TestPKI {
    let dir: URL
    var ca: String { dir.appendingPathComponent("ca.pem").path }
    var serverCert: String { dir.appendingPathComponent("srv.pem").path }
    var serverKey: String { dir.appendingPathComponent("srv.key").path }
    var clientCert: String { dir.appendingPathComponent("cli.pem").path }
    var clientKey: String { dir.appendingPathComponent("cli.key").path }

    init() throws {
        dir = try TestPaths.makeTemporaryDirectory("bw-pki")
        let openssl = try #require(TestPaths.which("openssl"))
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try "subjectAltName=IP:127.0.0.1\n".write(to: dir.appendingPathComponent("srv.ext"), atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=bw-test-ca"],
            ["req"] + ec + ["-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem", "-days", "1", "-extfile", "srv.ext"],
            ["req"] + ec + ["-keyout", "cli.key", "-out", "cli.csr", "-subj", "/CN=client"],
            ["x509", "-req", "-in", "cli.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "cli.pem", "-days", "1"],
        ]
        for step in steps {
            let result = try ProcessRunner.run(openssl, step, currentDirectory: dir, timeout: 30)
            guard result.status == 0 else { throw BurnwatchError(.io, "openssl \(step.joined(separator: " ")): \(result.stderrText)") }
        }
    }
}

@Suite(.serialized) struct ScrapeTLSTests {
    @Test func caFileClientCertificateAndSkipVerify() throws {
        let pki = try TestPKI()
        defer { try? FileManager.default.removeItem(at: pki.dir) }
        try "tls_metric 1\n".write(to: pki.dir.appendingPathComponent("metrics"), atomically: true, encoding: .utf8)
        let port = FreePort.next()
        // openssl's test server: serves files from its directory over TLS and requires a client certificate.
        let server = try ChildProcess(try #require(TestPaths.which("openssl")),
                                      ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", pki.serverCert, "-key", pki.serverKey,
                                       "-CAfile", pki.ca, "-Verify", "1", "-WWW", "-quiet"], currentDirectory: pki.dir.path)
        defer { server.stop(grace: 0) }  // s_server ignores SIGTERM
        #expect(FreePort.waitUntilListening(port))

        func target(ca: Bool, client: Bool, insecure: Bool = false) -> ScrapeTarget {
            var t = ScrapeTarget(url: "https://127.0.0.1:\(port)/metrics", job: "tls", intervalSeconds: 5, timeoutSeconds: 5)
            if ca { t.auth.caFile = pki.ca }
            if client { t.auth.certFile = pki.clientCert; t.auth.keyFile = pki.clientKey }
            t.auth.insecureSkipVerify = insecure
            return t
        }
        let good = TargetScraper(target: target(ca: true, client: true)).scrape(at: Timestamp(milliseconds: 0))
        #expect(good.isUp, "\(String(describing: good.failure))")
        #expect(good.points.first?.labels == Labels(["__name__": "tls_metric", "job": "tls", "instance": "127.0.0.1:\(port)"]))

        let untrusted = TargetScraper(target: target(ca: false, client: true)).scrape(at: Timestamp(milliseconds: 0))
        #expect(untrusted.failure?.message.hasPrefix("scrape failed: TLS error:") == true, "\(String(describing: untrusted.failure))")

        let skipped = TargetScraper(target: target(ca: false, client: true, insecure: true)).scrape(at: Timestamp(milliseconds: 0))
        #expect(skipped.isUp, "\(String(describing: skipped.failure))")

        let noClientCert = TargetScraper(target: target(ca: true, client: false)).scrape(at: Timestamp(milliseconds: 0))
        #expect(!noClientCert.isUp)
        #expect(noClientCert.failure?.position?.source == "https://127.0.0.1:\(port)/metrics")
    }
}
