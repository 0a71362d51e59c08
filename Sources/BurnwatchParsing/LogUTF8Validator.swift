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
            let need: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; upper = 0x9F
            case 0xF0: need = 3; lower = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; upper = 0x8F
            default: return false
            }
            guard i + need < n else { return false }
            let second = b[i + 1]
            guard second >= lower, second <= upper else { return false }
            var k = 2
            while k <= need { guard b[i + k] & 0xC0 == 0x80 else { return false }; k += 1 }
            i += need + 1
        }
        return true
    }
}
