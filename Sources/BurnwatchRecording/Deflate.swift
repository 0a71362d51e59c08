import CZlib

/// zlib compression of recording batches (RFC 1950 streams through `compress2` / `uncompress`).
enum Deflate {
    /// `bytes` compressed at level 1 (fast: a recorder must keep up with the live load).
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in
                compress2(o.baseAddress, &size, i.baseAddress, uLong(i.count), 1)
            }
        }
        // compress2 fails only without memory or with a too-small buffer (compressBound rules that out).
        precondition(status == Z_OK, "zlib compress2 failed: \(status)")
        out.removeSubrange(Int(size)...)
        return out
    }

    /// The `rawSize` bytes that `bytes` decompress to, or nil when they are not such a zlib stream.
    static func decompress(_ bytes: [UInt8], rawSize: Int) -> [UInt8]? {
        guard rawSize >= 0, rawSize <= 1 << 31 else { return nil }
        var size = uLong(rawSize)
        var out = [UInt8](repeating: 0, count: max(1, rawSize))
        let status = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in
                uncompress(o.baseAddress, &size, i.baseAddress, uLong(i.count))
            }
        }
        guard status == Z_OK, Int(size) == rawSize else { return nil }
        if rawSize == 0 { return [] }
        return out
    }
}
