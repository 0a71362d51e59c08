import CZlib

/// Decompresses a gzip stream (RFC 1952, members one after another, as `gzip -dc` reads them) a
/// block at a time; the only file of this target that calls zlib.
///
/// ```swift
/// var inflater = try GzipInflater()
/// try inflater.inflate(block) { out in ... }   // as the compressed bytes come
/// try inflater.finish()                        // throws if the stream was cut short
/// ```
final class GzipInflater {
    /// Why a stream could not be decompressed.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 1 << 18)
    /// Whether the stream is between members (all input so far formed whole members).
    private var atMemberEnd = true
    private var started = false
    /// Decompressed bytes produced so far.
    private(set) var totalOut = 0

    init() throws {
        // 15 + 16: a gzip header and trailer around a deflate stream with a 32 KiB window.
        let status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(description: "zlib could not start (status \(status))") }
    }

    deinit { inflateEnd(&stream) }

    /// Decompresses `input`, handing each piece of output to `body` (valid only during the call).
    /// - Throws: `Failure` when the bytes are not gzip or are corrupt.
    /// - Complexity: O(input + output).
    func inflate(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        var offset = 0
        while offset < input.count {
            if atMemberEnd {
                // Bytes after a member: another member, or trailing zeros (padding some tools write).
                if started, input[offset...].allSatisfy({ $0 == 0 }) { return }
                if started { inflateReset(&stream) }
                atMemberEnd = false
                started = true
            }
            stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self) + offset)
            stream.avail_in = uInt(input.count - offset)
            var status: Int32 = Z_OK
            repeat {
                let produced = try output.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                        throw Failure(description: "not a valid gzip stream: \(reason)")
                    }
                    return out.count - Int(stream.avail_out)
                }
                if produced > 0 {
                    totalOut += produced
                    try output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<produced])) }
                }
                if status == Z_BUF_ERROR && produced == 0 { break }
            } while status != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0)
            offset = input.count - Int(stream.avail_in)
            if status == Z_STREAM_END { atMemberEnd = true }
        }
    }

    /// Checks that the input ended at the end of a member.
    /// - Throws: `Failure` when the stream was cut short (or held no member at all).
    func finish() throws {
        guard started else { throw Failure(description: "empty gzip stream") }
        guard atMemberEnd else { throw Failure(description: "gzip stream cut short after \(totalOut) bytes of output") }
    }
}
