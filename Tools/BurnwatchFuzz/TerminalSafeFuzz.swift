import BurnwatchCore
import BurnwatchUI

/// TerminalSafeText: whatever goes in, nothing that comes out is ESC, a C0 or C1 control (other
/// than a kept newline), DEL, or a bidi control.
enum TerminalSafeFuzz {
    /// Output buffers kept across inputs (emptied, capacity kept) rather than grown afresh each time.
    nonisolated(unsafe) static var scalars: [Unicode.Scalar] = []
    nonisolated(unsafe) static var out: [UInt8] = []

    static func run(_ data: UnsafeRawBufferPointer) {
        let text = fuzzText(data)
        checkSafe(TerminalSafeText.escape(text).unicodeScalars, newlines: false, "escape")
        checkSafe(TerminalSafeText.escape(text, keepingNewlines: true).unicodeScalars, newlines: true, "escape keepingNewlines")
        checkSafe(TerminalSafeText.jsonForTerminal(text).unicodeScalars, newlines: true, "jsonForTerminal")
        scalars.removeAll(keepingCapacity: true)
        TerminalSafeText.forEachSafeScalar(in: text) { scalars.append($0) }
        checkSafe(scalars, newlines: false, "forEachSafeScalar")
        out.removeAll(keepingCapacity: true)
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
        // A switch, not an array literal: this runs for every scalar of every output.
        switch s.value {
        case 0...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
