import CZlib

/// zlib batches (codec `zlib`, RFC 1950 streams) of recordings written before batches were zstd:
/// still read, no longer written.
enum Deflate {
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
