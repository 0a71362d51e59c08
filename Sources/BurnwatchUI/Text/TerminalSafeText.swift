/// Makes untrusted text safe to put on a terminal: controls and bidi overrides become visible text.
///
/// C0 controls and DEL are shown as `\x1b`, `\x07`, …; C1 controls as `\u009b`; bidi embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069), the implicit marks U+200E/U+200F/U+061C
/// and the line/paragraph separators U+2028/U+2029 as `\u202e` and so on. An escape sequence such as
/// `ESC [ 3 1 m` therefore shows as the harmless text `\x1b[31m`. Every text-writing API of
/// `ScreenBuffer` goes through this type, so nothing untrusted can reach the terminal raw.
public enum TerminalSafeText {
    /// Whether `scalar` must be shown escaped rather than sent to the terminal.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return true }
        if v < 0x61C { return false }
        switch v {
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// The visible, printable form of `text` (unchanged when nothing needs escaping).
    ///
    /// - Complexity: O(n) in the number of scalars.
    public static func escape(_ text: some StringProtocol) -> String {
        if !text.unicodeScalars.contains(where: needsEscape) { return String(text) }
        var out = String.UnicodeScalarView()
        forEachSafeScalar(in: text) { out.append($0) }
        return String(out)
    }

    /// Calls `body` with each scalar of the escaped form of `text`, without building a string.
    ///
    /// - Complexity: O(n) in the number of scalars.
    @inlinable
    public static func forEachSafeScalar(in text: some StringProtocol, _ body: (Unicode.Scalar) -> Void) {
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                for s in escapeSequence(for: scalar).unicodeScalars { body(s) }
            } else {
                body(scalar)
            }
        }
    }

    /// The escaped spelling of one scalar: `\xNN` below U+0080, `\uNNNN` above.
    public static func escapeSequence(for scalar: Unicode.Scalar) -> String {
        let v = scalar.value
        if v < 0x80 { return "\\x" + hex(v, digits: 2) }
        return "\\u" + hex(v, digits: 4)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
