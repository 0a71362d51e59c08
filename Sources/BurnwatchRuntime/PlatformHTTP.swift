import BurnwatchCore
import CCurl
#if canImport(Glibc)
import Glibc
#endif

// The only file of BurnwatchRuntime's scrape and remote-query sources that calls C: libcurl, the
// clocks, file reads and resource usage. (The console's own OS calls live in Platform.swift.)

/// What one HTTP request should do.
public struct HTTPRequestOptions: Sendable, Hashable {
    /// Whole-request timeout in seconds.
    public var timeoutSeconds: Double = 10
    /// Connect timeout in seconds (never longer than the whole timeout).
    public var connectTimeoutSeconds: Double = 5
    /// Largest accepted (decompressed) body in bytes; a bigger body aborts the transfer.
    public var maxBodyBytes: Int = 50 << 20
    /// Extra request headers, e.g. `Accept`.
    public var headers: [String] = []
    /// Sends `Accept-Encoding: gzip` and decompresses transparently.
    public var acceptGzip = true
    /// Basic auth user and password.
    public var basicUser: String?
    public var basicPassword: String?
    /// PEM file of CA certificates to trust.
    public var caFile: String?
    /// PEM client certificate and key.
    public var certFile: String?
    public var keyFile: String?
    /// Skips TLS certificate and host name checks (testing only).
    public var insecureSkipVerify = false
    /// HTTP method body for POST (form-encoded); nil for GET.
    public var postBody: String?

    public init() {}
    public static func == (a: HTTPRequestOptions, b: HTTPRequestOptions) -> Bool {
        a.timeoutSeconds == b.timeoutSeconds && a.connectTimeoutSeconds == b.connectTimeoutSeconds && a.maxBodyBytes == b.maxBodyBytes
            && a.headers == b.headers && a.acceptGzip == b.acceptGzip && a.basicUser == b.basicUser && a.basicPassword == b.basicPassword
            && a.caFile == b.caFile && a.certFile == b.certFile && a.keyFile == b.keyFile && a.insecureSkipVerify == b.insecureSkipVerify
            && a.postBody == b.postBody
    }
    public func hash(into h: inout Hasher) { h.combine(timeoutSeconds); h.combine(headers); h.combine(postBody) }
}

/// How one HTTP request ended.
public struct HTTPResponse: Sendable {
    /// The HTTP status, 0 when no response arrived.
    public var status: Int
    public var contentType: String?
    /// The (decompressed) body, possibly partial when `error` is set.
    public var body: [UInt8]
    /// Why the transfer failed, in words; nil on a completed transfer (whatever its status).
    public var error: HTTPTransferError?
    /// Seconds from start to end.
    public var duration: Double
}

/// Why a transfer failed.
public enum HTTPTransferError: Sendable, Hashable, CustomStringConvertible {
    case timeout(seconds: Double)
    case connectionRefused
    case nameDoesNotResolve(host: String)
    case bodyTooLarge(limit: Int)
    case closedMidBody(received: Int)
    case badContentEncoding
    case tls(String)
    case other(String)

    public var description: String {
        switch self {
        case .timeout(let s): return "timed out after \(Self.format(s)) s"
        case .connectionRefused: return "connection refused"
        case .nameDoesNotResolve(let host): return "host name '\(host)' does not resolve"
        case .bodyTooLarge(let limit): return "body larger than the limit of \(limit) bytes; transfer aborted"
        case .closedMidBody(let received): return "connection closed mid-body after \(received) bytes"
        case .badContentEncoding: return "bad gzip content encoding"
        case .tls(let detail): return "TLS error: \(detail)"
        case .other(let detail): return detail
        }
    }

    static func format(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}

/// Receives the body of one transfer; libcurl calls into it through an opaque pointer.
final class CurlBodySink {
    var body: [UInt8] = []
    var limit = 0
    var overflowed = false
}

/// One libcurl easy handle: reused for every request of one target, so that connections stay alive.
///
/// Not thread-safe: one request at a time (the scrape manager guarantees it per target).
public final class CurlEasyHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer?
    private let sink = CurlBodySink()
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    private static let globalInit: Bool = { curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK }()

    public init() {
        _ = Self.globalInit
        handle = curl_easy_init()
    }

    deinit { if let handle { curl_easy_cleanup(handle) } }

    /// Performs one GET (or POST when `options.postBody` is set) of `url`.
    ///
    /// - Complexity: blocks the calling thread for at most `options.timeoutSeconds`.
    public func perform(url: String, options: HTTPRequestOptions) -> HTTPResponse {
        guard let h = handle else { return HTTPResponse(status: 0, body: [], error: .other("cannot create a libcurl handle"), duration: 0) }
        curl_easy_reset(h)
        sink.body.removeAll(keepingCapacity: sink.body.capacity <= options.maxBodyBytes)
        sink.limit = options.maxBodyBytes
        sink.overflowed = false
        for i in errorBuffer.indices { errorBuffer[i] = 0 }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        for header in options.headers { headerList = curl_slist_append(headerList, header) }
        defer { curl_slist_free_all(headerList) }

        _ = bw_curl_setopt_string(h, CURLOPT_URL, url)
        _ = bw_curl_setopt_string(h, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = bw_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        _ = bw_curl_setopt_long(h, CURLOPT_TIMEOUT_MS, Int(options.timeoutSeconds * 1000))
        _ = bw_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(min(options.connectTimeoutSeconds, options.timeoutSeconds) * 1000))
        _ = bw_curl_setopt_offset(h, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxBodyBytes))
        _ = bw_curl_setopt_string(h, CURLOPT_USERAGENT, "burnwatch/0.1")
        _ = bw_curl_setopt_long(h, CURLOPT_FOLLOWLOCATION, 1)
        _ = bw_curl_setopt_long(h, CURLOPT_MAXREDIRS, 5)
        if options.acceptGzip { _ = bw_curl_setopt_string(h, CURLOPT_ACCEPT_ENCODING, "gzip") }
        if let headerList { _ = bw_curl_setopt_slist(h, CURLOPT_HTTPHEADER, headerList) }
        if let user = options.basicUser {
            _ = bw_curl_setopt_long(h, CURLOPT_HTTPAUTH, 1 /* CURLAUTH_BASIC */)
            _ = bw_curl_setopt_string(h, CURLOPT_USERNAME, user)
            _ = bw_curl_setopt_string(h, CURLOPT_PASSWORD, options.basicPassword ?? "")
        }
        if let ca = options.caFile { _ = bw_curl_setopt_string(h, CURLOPT_CAINFO, ca) }
        if let cert = options.certFile { _ = bw_curl_setopt_string(h, CURLOPT_SSLCERT, cert) }
        if let key = options.keyFile { _ = bw_curl_setopt_string(h, CURLOPT_SSLKEY, key) }
        if options.insecureSkipVerify {
            _ = bw_curl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0)
            _ = bw_curl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let post = options.postBody {
            _ = bw_curl_setopt_long(h, CURLOPT_POST, 1)
            _ = bw_curl_setopt_string(h, CURLOPT_COPYPOSTFIELDS, post)
        }
        let result: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errors in
            _ = bw_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, errors.baseAddress)
            _ = bw_curl_setopt_pointer(h, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
            _ = bw_curl_setopt_write_function(h, { data, size, count, user in
                let sink = Unmanaged<CurlBodySink>.fromOpaque(user!).takeUnretainedValue()
                let n = size * count
                if sink.body.count + n > sink.limit { sink.overflowed = true; return 0 }
                if let data { data.withMemoryRebound(to: UInt8.self, capacity: n) { sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) } }
                return n
            })
            let code = curl_easy_perform(h)
            _ = bw_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, nil)
            return code
        }
        var status = 0
        _ = bw_curl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        var total = 0.0
        _ = bw_curl_getinfo_double(h, CURLINFO_TOTAL_TIME, &total)
        var typePointer: UnsafeMutablePointer<CChar>? = nil
        _ = bw_curl_getinfo_string(h, CURLINFO_CONTENT_TYPE, &typePointer)
        let contentType = typePointer.map { String(cString: $0) }
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let error: HTTPTransferError?
        switch result {
        case CURLE_OK: error = nil
        case CURLE_OPERATION_TIMEDOUT where detail.hasPrefix("Resolving timed out"):
            error = .nameDoesNotResolve(host: Self.host(of: url))
        case CURLE_OPERATION_TIMEDOUT: error = .timeout(seconds: options.timeoutSeconds)
        case CURLE_COULDNT_CONNECT:
            var osErrno = 0
            _ = bw_curl_getinfo_long(h, CURLINFO_OS_ERRNO, &osErrno)
            error = osErrno == Int(ECONNREFUSED) ? .connectionRefused : .other("cannot connect: \(detail)")
        case CURLE_COULDNT_RESOLVE_HOST: error = .nameDoesNotResolve(host: Self.host(of: url))
        case CURLE_FILESIZE_EXCEEDED: error = .bodyTooLarge(limit: options.maxBodyBytes)
        case CURLE_WRITE_ERROR where sink.overflowed: error = .bodyTooLarge(limit: options.maxBodyBytes)
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_GOT_NOTHING: error = .closedMidBody(received: sink.body.count)
        case CURLE_BAD_CONTENT_ENCODING: error = .badContentEncoding
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE:
            error = .tls(detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail)
        default: error = .other(detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail)
        }
        return HTTPResponse(status: status, contentType: contentType, body: sink.body, error: error, duration: total)
    }

    /// The host part of a URL, for messages.
    static func host(of url: String) -> String {
        var rest = Substring(url)
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") { rest = rest[rest.index(colon, offsetBy: 3)...] }
        if let at = rest.firstIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let end = rest.firstIndex { $0 == "/" || $0 == ":" || $0 == "?" } ?? rest.endIndex
        return String(rest[..<end])
    }
}

/// Clocks, file reads and CPU usage for the scrape and query sources.
public enum PlatformHTTP {
    /// Wall-clock time now (for live mode; tests inject their own clock).
    public static func wallClock() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }

    /// Monotonic nanoseconds, for scheduling and durations.
    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Reads a small text file (a bearer token), trimming surrounding white space.
    ///
    /// - Throws: `BurnwatchError(.io)` naming the file.
    public static func readTextFile(_ path: String, limit: Int = 1 << 20) throws -> String {
        guard let file = fopen(path, "rb") else {
            throw BurnwatchError(.io, "cannot read \(path): \(String(cString: strerror(errno)))", at: SourcePosition(source: path))
        }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: limit)
        let n = fread(&bytes, 1, limit, file)
        let text = String(decoding: bytes[0..<n], as: UTF8.self)
        return text.trimmingWhitespace()
    }

    /// CPU seconds (user + system) this process has used.
    public static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Sleeps the calling thread.
    public static func sleep(nanoseconds: UInt64) {
        var ts = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        _ = nanosleep(&ts, nil)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
