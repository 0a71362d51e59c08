import BurnwatchCore
import BurnwatchUI

/// TerminalSafeText: whatever goes in, nothing that comes out is ESC, a C0 or C1 control (other
/// than a kept newline), DEL, or a bidi control.
enum TerminalSafeFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        let text = fuzzText(data)
        checkSafe(TerminalSafeText.escape(text).unicodeScalars, newlines: false, "escape")
        checkSafe(TerminalSafeText.escape(text, keepingNewlines: true).unicodeScalars, newlines: true, "escape keepingNewlines")
        checkSafe(TerminalSafeText.jsonForTerminal(text).unicodeScalars, newlines: true, "jsonForTerminal")
        var scalars: [Unicode.Scalar] = []
        TerminalSafeText.forEachSafeScalar(in: text) { scalars.append($0) }
        checkSafe(scalars, newlines: false, "forEachSafeScalar")
        var out: [UInt8] = []
        TerminalSafeText.appendEscaped(data, to: &out)
        checkSafe(String(decoding: out, as: UTF8.self).unicodeScalars, newlines: true, "appendEscaped")
        fuzzCheck(String(validating: out, as: UTF8.self) != nil, "appendEscaped wrote invalid UTF-8")
    }

    static func checkSafe(_ scalars: some Sequence<Unicode.Scalar>, newlines: Bool, _ what: String) {
        for s in scalars where !(newlines && s == "\n") {
            fuzzCheck(!isUnsafe(s), "\(what) let U+\(String(s.value, radix: 16)) through")
        }
    }

    /// The reference list, written out independently of `TerminalEscaping.needsEscape`.
    static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v <= 0x1F || (0x7F...0x9F).contains(v) || [0x061C, 0x200E, 0x200F, 0x2028, 0x2029].contains(v)
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}
