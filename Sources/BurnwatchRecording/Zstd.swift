import CZstd

/// Zstandard compression of recording batches (the codec `zstd`): several times faster than zlib
/// at a better ratio, so a recorder keeps up with a heavy live load.
enum Zstd {
    /// `bytes` compressed at level 1.
    static func compress(_ bytes: [UInt8]) -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        var out = [UInt8](repeating: 0, count: bound)
        let written = out.withUnsafeMutableBytes { o in
            bytes.withUnsafeBytes { i in ZSTD_compress(o.baseAddress, bound, i.baseAddress, i.count, 1) }
        }
        // fails only without memory or with a too-small buffer (the bound rules that out)
        precondition(ZSTD_isError(written) == 0, "zstd compress failed")
        out.removeSubrange(written...)
        return out
    }

    /// The `rawSize` bytes that `bytes` decompress to, or nil when they are not such a frame.
    static func decompress(_ bytes: [UInt8], rawSize: Int) -> [UInt8]? {
        guard rawSize >= 0, rawSize <= 1 << 31 else { return nil }
        var out = [UInt8](repeating: 0, count: max(1, rawSize))
        let n = out.withUnsafeMutableBytes { o in
            bytes.withUnsafeBytes { i in ZSTD_decompress(o.baseAddress, rawSize, i.baseAddress, i.count) }
        }
        guard ZSTD_isError(n) == 0, n == rawSize else { return nil }
        if rawSize == 0 { return [] }
        return out
    }
}
