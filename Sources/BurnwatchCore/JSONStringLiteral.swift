/// Writing JSON string literals: the one escaper behind the JSON texts Core renders.
enum JSONStringLiteral {
    /// A JSON string literal (with its quotes) of `s`.
    ///
    /// Escapes `"`, `\`, `\n`, `\r` and `\t` by name, every other scalar below U+0020 as `\u00xx`,
    /// and every scalar for which `alsoEscape` is true as `\uxxxx` (lowercase hex).
    /// - Parameters:
    ///   - s: the text.
    ///   - alsoEscape: scalars (besides the control characters) that must be written as `\uxxxx`.
    /// - Complexity: O(n) in the scalars of `s`.
    static func quote(_ s: String, alsoEscaping alsoEscape: (Unicode.Scalar) -> Bool) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || alsoEscape(u) { out += "\\u" + hex4(u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// `v` as at least four lowercase hex digits, zero-padded.
    static func hex4(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
