import BurnwatchCore

/// How an HTTP client proves who it is and whom it trusts: basic auth, a bearer token file, and TLS.
///
/// Shared by scrape targets and the remote query client.
public struct HTTPClientAuth: Sendable, Hashable {
    /// Basic auth user and password.
    public var basicUser: String?
    public var basicPassword: String?
    /// A file holding a bearer token; re-read before every request so that rotation works.
    public var bearerTokenFile: String?
    /// TLS: CA bundle, client certificate and key, and the (test-only) skip of verification.
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var insecureSkipVerify = false

    public init() {}

    /// Copies basic auth and the TLS settings into `http` (the bearer token is a header: see `bearerHeader()`).
    public func apply(to http: inout HTTPRequestOptions) {
        http.basicUser = basicUser
        http.basicPassword = basicPassword
        http.caFile = caFile
        http.certFile = certFile
        http.keyFile = keyFile
        http.insecureSkipVerify = insecureSkipVerify
    }

    /// The `Authorization: Bearer …` header with the token read now, or nil without a token file.
    ///
    /// - Throws: `BurnwatchError(.io)` when the token file cannot be read.
    public func bearerHeader() throws -> String? {
        guard let file = bearerTokenFile else { return nil }
        return "Authorization: Bearer \(try PlatformHTTP.readTextFile(file))"
    }
}
