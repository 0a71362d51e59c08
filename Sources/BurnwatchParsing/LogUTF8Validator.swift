import BurnwatchCore

/// UTF-8 validation of log lines (ASCII runs checked eight bytes at a time).
public enum LogUTF8Validator {
    /// Whether `b` is valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
    ///
    /// - Complexity: O(n).
    public static func isValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        let n = b.count
        var i = 0
        while i < n {
            if i + 8 <= n, UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self) & ByteSearch.highs == 0 { i += 8; continue }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            guard let length = UTF8Scalar.length(base, at: i, count: n) else { return false }
            i += length
        }
        return true
    }
}
