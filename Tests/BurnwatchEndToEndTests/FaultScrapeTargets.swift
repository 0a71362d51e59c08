import BurnwatchTestSupport
import Foundation

/// One misbehaving scrape target of the fault matrix: its service (job) name, URL, and the text
/// the metrics screen's row must show for it.
struct FaultScrapeCase {
    var job: String
    var url: String
    var shows: String
}

/// The scrape side of the fault matrix: one loopback server answering each path in its own wrong
/// way, a TLS server (`openssl s_server`) with a self-signed certificate for the wrong name, and a
/// name under the reserved `.invalid` TLD. Everything listens on 127.0.0.1; `stop()` ends it all.
final class FaultScrapeTargets {
    let cases: [FaultScrapeCase]
    private let server: LoopbackHTTPServer
    private let tls: ChildProcess

    /// Starts the servers; the certificate is made with `openssl` in `directory`.
    ///
    /// - Throws: when openssl is missing or a server does not start.
    init(directory: URL) throws {
        guard let openssl = TestPaths.which("openssl") else { throw WatchTestError("openssl is not installed (make deps)") }
        let body = Array("# TYPE fault_up gauge\nfault_up 1\n".utf8)
        // 60 MiB, over the 50 MiB body limit; sent in 64 KiB pieces, never held whole.
        let huge = 60 << 20, piece = Array(String(repeating: "# filler\n", count: 7282).utf8)
        server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/hang-after-headers": return .hangAfterHeaders(declaredLength: 4096)
            case "/trickle": return .trickle(body: body, interval: 1)
            case "/huge-announced": return .large(totalBytes: huge, chunk: piece, announced: true)
            case "/huge-streamed": return .large(totalBytes: huge, chunk: piece, announced: false)
            case "/close-mid-body": return .closeMidBody(declaredLength: 4096, body: body)
            case "/html": return .ok(Array("<html><body>Login</body></html>".utf8), contentType: "text/html; charset=utf-8")
            case "/json": return .ok(Array(#"{"status":"ok","up":true}"#.utf8), contentType: "application/json")
            case "/error": return .respond(status: 500, headers: [("Content-Type", "text/plain")], body: Array("internal error".utf8))
            case "/loop": return .respond(status: 302, headers: [("Location", "/loop")], body: [])
            default: return .ok(body)
            }
        }
        let key = directory.appendingPathComponent("tls-key.pem").path, cert = directory.appendingPathComponent("tls-cert.pem").path
        let made = try ProcessRunner.run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                                   "-days", "1", "-subj", "/CN=wrong-name.invalid"], timeout: 60)
        guard made.status == 0 else { server.stop(); throw WatchTestError("openssl req failed: \(made.stderrText)") }
        let tlsPort = FreePort.next()
        tls = try ChildProcess(openssl, ["s_server", "-accept", "127.0.0.1:\(tlsPort)", "-cert", cert, "-key", key, "-www", "-quiet"])
        guard FreePort.waitUntilListening(tlsPort, timeout: 15) else {
            server.stop(); tls.stop(grace: 1)
            throw WatchTestError("openssl s_server did not listen on \(tlsPort)")
        }
        let s = server
        cases = [
            FaultScrapeCase(job: "hang-after-headers", url: s.url("/hang-after-headers"), shows: "timed out after 1 s"),
            FaultScrapeCase(job: "trickle-1-byte-s", url: s.url("/trickle"), shows: "timed out after 1 s"),
            FaultScrapeCase(job: "huge-announced", url: s.url("/huge-announced"), shows: "body larger than the limit"),
            FaultScrapeCase(job: "huge-streamed", url: s.url("/huge-streamed"), shows: "body larger than the limit"),
            FaultScrapeCase(job: "close-mid-body", url: s.url("/close-mid-body"), shows: "connection closed mid-body"),
            FaultScrapeCase(job: "html-page", url: s.url("/html"), shows: "answered HTML"),
            FaultScrapeCase(job: "json-answer", url: s.url("/json"), shows: "not Prometheus exposition"),
            FaultScrapeCase(job: "http-500", url: s.url("/error"), shows: "HTTP 500: internal error"),
            FaultScrapeCase(job: "redirect-loop", url: s.url("/loop"), shows: "redirects"),
            FaultScrapeCase(job: "no-dns", url: "http://burnwatch-fault.invalid/metrics", shows: "does not resolve"),
            FaultScrapeCase(job: "bad-tls", url: "https://127.0.0.1:\(tlsPort)/metrics", shows: "TLS error"),
        ]
    }

    /// The one target that answers well (the matrix shows it up beside the failing ones).
    var goodURL: String { server.url("/metrics") }

    func stop() {
        server.stop()
        tls.stop(grace: 2)
    }
}
