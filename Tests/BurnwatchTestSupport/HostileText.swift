import Foundation

/// Hostile terminal input for tests: every C0 and C1 control, CSI/OSC/DCS/APC sequences that
/// retitle, clear, recolour or write the clipboard, bidi overrides, invalid UTF-8, and long lines.
public enum HostileText {
    /// Payloads that would change the terminal if they reached it raw.
    public static let payloads: [[UInt8]] = {
        var out: [[UInt8]] = []
        let esc: UInt8 = 0x1B
        out.append([esc] + Array("]0;PWNED-TITLE".utf8) + [0x07])              // OSC 0: window title
        out.append([esc] + Array("]2;PWNED-TITLE".utf8) + [esc, 0x5C])         // OSC 2, ST-terminated
        out.append([esc] + Array("]52;c;cHduZWQ=".utf8) + [0x07])              // OSC 52: clipboard
        out.append([esc] + Array("[2J".utf8) + [esc] + Array("[H".utf8))       // clear + home
        out.append([esc] + Array("[31;1mRED".utf8) + [esc] + Array("[0m".utf8)) // SGR colour
        out.append([esc] + Array("[?1049h".utf8))                              // alternate screen
        out.append([esc] + Array("P1$qm".utf8) + [esc, 0x5C])                  // DCS query
        out.append([esc] + Array("_apc".utf8) + [esc, 0x5C])                   // APC
        out.append([0x9B] + Array("31m".utf8))                                  // raw C1 CSI byte
        out.append([0xC2, 0x9B] + Array("2J".utf8))                             // C1 CSI as UTF-8
        out.append([0xC2, 0x9D] + Array("0;PWNED-TITLE".utf8) + [0x07])         // C1 OSC as UTF-8
        out.append(Array("abc\u{202E}txt.exe\u{2066}x\u{2069}\u{200F}".utf8))   // bidi controls
        out.append([0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80]) // invalid UTF-8
        out.append(Array("cr\rback\u{08}\u{08}bell\u{07}tab\tff\u{0C}vt\u{0B}".utf8))
        out.append((UInt8(0)..<0x20).filter { $0 != 0x0A } + [0x7F])            // every C0 but LF, and DEL
        out.append(Array(UInt8(0x80)...UInt8(0x9F)))                            // every C1 as a raw byte
        out.append((UInt32(0x80)...0x9F).flatMap { Array(String(UnicodeScalar($0)!).utf8) }) // every C1 as UTF-8
        return out
    }()

    /// `count` log lines, JSON and logfmt mixed, each carrying payloads in the message and in other
    /// fields; every 250th line is about `longLineBytes` long. Lines end with `\n`.
    public static func logLines(count: Int = 1000, longLineBytes: Int = 1 << 20) -> [UInt8] {
        var out: [UInt8] = []
        for i in 0..<count {
            let p = payloads[i % payloads.count]
            let q = payloads[(i * 7 + 3) % payloads.count]
            let filler: [UInt8] = i % 250 == 249 ? Array(repeating: UInt8(ascii: "A"), count: longLineBytes) : []
            if i % 2 == 0 {
                out += Array("{\"level\":\"error\",\"status\":500,\"msg\":\"m\(i) ".utf8) + quotable(p) + filler
                out += Array("\",\"request_id\":\"".utf8) + quotable(q) + Array("\"}".utf8)
            } else {
                out += Array("level=error status=500 msg=\"m\(i) ".utf8) + quotable(p) + filler
                out += Array("\" request_id=".utf8) + quotable(q).filter { $0 != 0x20 }
            }
            out.append(0x0A)
        }
        return out
    }

    /// The payload with `"`, `\\` and line feeds removed so it stays inside one quoted JSON or
    /// logfmt value (controls kept raw: invalid JSON on purpose, still a line the raw modes print).
    public static func quotable(_ p: [UInt8]) -> [UInt8] { p.filter { $0 != 0x22 && $0 != 0x5C && $0 != 0x0A } }

    /// Whether `text` still holds anything a terminal would act on: ESC, a C0 control other than
    /// `\n`/`\t`, DEL, a C1 control or a bidi control.
    public static func containsTerminalControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { s in
            let v = s.value
            if v == 0x0A || v == 0x09 { return false }
            return v < 0x20 || (v >= 0x7F && v < 0xA0) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                || v == 0x200E || v == 0x200F || v == 0x061C
        }
    }
}
