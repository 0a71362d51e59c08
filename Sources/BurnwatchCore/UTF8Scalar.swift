/// One UTF-8 scalar in raw bytes: the single validity rule behind log-line validation and the
/// terminal escaper (no overlongs, no surrogates, nothing above U+10FFFF).
public enum UTF8Scalar {
    /// The byte length of the valid multi-byte scalar whose lead byte is at `i`, or `nil` when the
    /// bytes there are not valid UTF-8 (a stray continuation byte, a bad lead, a short sequence).
    ///
    /// - Parameters:
    ///   - base: the bytes; `base[i]` is at least 0x80.
    ///   - i: the lead byte's offset.
    ///   - count: how many bytes `base` holds.
    /// - Complexity: O(1).
    @inlinable
    public static func length(_ base: UnsafePointer<UInt8>, at i: Int, count: Int) -> Int? {
        let need: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch base[i] {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; upper = 0x9F
        case 0xF0: need = 3; lower = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; upper = 0x8F
        default: return nil
        }
        guard i + need < count else { return nil }
        let second = base[i + 1]
        guard second >= lower, second <= upper else { return nil }
        var k = 2
        while k <= need { guard base[i + k] & 0xC0 == 0x80 else { return nil }; k += 1 }
        return need + 1
    }

    /// The scalar of the valid sequence of `length` bytes at `i` (as `length(_:at:count:)` found it).
    ///
    /// - Complexity: O(1).
    public static func decode(_ base: UnsafePointer<UInt8>, at i: Int, length: Int) -> Unicode.Scalar {
        var value = UInt32(base[i]) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { value = value << 6 | UInt32(base[i + k] & 0x3F) }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}
