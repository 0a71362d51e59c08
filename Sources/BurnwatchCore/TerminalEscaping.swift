/// The one rule for showing untrusted text on a terminal: controls and bidi overrides become text.
///
/// C0 controls and DEL are shown as `\x1b`, `\x07`, …; C1 controls as `\u009b`; bidi embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069), the implicit marks U+200E/U+200F/U+061C
/// and the line/paragraph separators U+2028/U+2029 as `\u202e` and so on; bytes that are not UTF-8
/// (byte input only) as `\xff`. `ESC [ 2 J` therefore shows as the harmless text `\x1b[2J`.
/// The console's screen buffer, the headless commands on a terminal and every diagnostic use it.
public enum TerminalEscaping {
    /// Whether `scalar` must be shown escaped rather than sent to the terminal.
    @inlinable
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return true }
        if v < 0x61C { return false }
        switch v {
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// The visible form of `text` (unchanged when nothing needs escaping).
    ///
    /// - Parameters:
    ///   - text: untrusted text.
    ///   - keepingNewlines: leave `\n` as a line break (for multi-line reports and diagnostics).
    /// - Complexity: O(n) in the number of scalars.
    public static func escape(_ text: some StringProtocol, keepingNewlines: Bool = false) -> String {
        rewrite(text, escaping: { needsEscape($0) && !(keepingNewlines && $0 == "\n") }, as: escapeSequence(for:))
    }

    /// The escaped spelling of one scalar: `\xNN` below U+0080, `\uNNNN` above.
    public static func escapeSequence(for scalar: Unicode.Scalar) -> String {
        let v = scalar.value
        if v < 0x80 { return "\\x" + hex(v, digits: 2) }
        return "\\u" + hex(v, digits: 4)
    }

    /// Appends the terminal-safe form of raw bytes to `out`: line breaks kept, every unsafe scalar
    /// escaped, and every byte that is not part of valid UTF-8 written as `\xNN`.
    ///
    /// - Parameters:
    ///   - bytes: untrusted bytes (log lines separated by `\n`).
    ///   - out: the output buffer.
    /// - Complexity: O(n) in the bytes.
    public static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        out.reserveCapacity(out.count + bytes.count)
        let n = bytes.count
        var i = 0
        while i < n {
            let b = base[i]
            if b >= 0x20 && b < 0x7F || b == 0x0A { out.append(b); i += 1; continue }
            guard b >= 0x80, let length = UTF8Scalar.length(base, at: i, count: n) else {
                appendASCII("\\x" + hex(UInt32(b), digits: 2), to: &out); i += 1; continue
            }
            let scalar = UTF8Scalar.decode(base, at: i, length: length)
            if needsEscape(scalar) {
                appendASCII(escapeSequence(for: scalar), to: &out)
            } else {
                out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: length))
            }
            i += length
        }
    }

    /// Text meant for JSON output made terminal-safe: every unsafe scalar except `\n` becomes
    /// `\uXXXX`, which is the same JSON value (unsafe scalars can only occur inside JSON strings).
    ///
    /// - Complexity: O(n) in the number of scalars.
    public static func jsonForTerminal(_ json: String) -> String {
        rewrite(json, escaping: { needsEscape($0) && $0 != "\n" }, as: { "\\u" + hex($0.value, digits: 4) })
    }

    /// `text` with every scalar for which `escaping` holds replaced by its `spelling`.
    private static func rewrite(_ text: some StringProtocol, escaping: (Unicode.Scalar) -> Bool,
                                as spelling: (Unicode.Scalar) -> String) -> String {
        if !text.unicodeScalars.contains(where: escaping) { return String(text) }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if escaping(scalar) { out.append(contentsOf: spelling(scalar).unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    private static func appendASCII(_ s: String, to out: inout [UInt8]) { out.append(contentsOf: s.utf8) }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
