/// How many colours the terminal draws with (ncurses' view; the UI theme is chosen from it).
public enum TerminalPalette: Int, Hashable, Sendable, Comparable, CustomStringConvertible {
    case none = 0
    case ansi8 = 8
    case ansi16 = 16
    case indexed256 = 256

    public static func < (a: TerminalPalette, b: TerminalPalette) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .none: return "no colour"
        case .ansi8: return "8 colours"
        case .ansi16: return "16 colours"
        case .indexed256: return "256 colours"
        }
    }
}

/// The pure decisions about what the terminal can show, from the environment and what ncurses reports.
public enum TerminalCapabilities {
    /// Whether `NO_COLOR` asks for no colour: any non-empty value does (https://no-color.org).
    public static func noColorRequested(_ environment: [String: String]) -> Bool {
        guard let value = environment["NO_COLOR"] else { return false }
        return !value.isEmpty
    }

    /// Why burnwatch cannot run a full-screen console on this `TERM`, or `nil` when it can try.
    ///
    /// - Parameter term: the value of `TERM` (nil when unset).
    /// - Returns: a message naming the problem and what to do.
    public static func unusableTermReason(_ term: String?) -> String? {
        guard let term, !term.isEmpty else {
            return "TERM is not set; burnwatch needs a full-screen terminal (try TERM=xterm-256color)"
        }
        if term == "dumb" || term == "unknown" {
            return "TERM=\(term) cannot move the cursor; burnwatch needs a full-screen terminal (try TERM=xterm-256color)"
        }
        return nil
    }

    /// The colour depth to use.
    ///
    /// - Parameters:
    ///   - hasColors: what `has_colors()` says.
    ///   - colors: ncurses' `COLORS`.
    ///   - noColor: whether `NO_COLOR` asked for none.
    /// - Returns: 256 when the terminal has 256 or more, 16 when it has 16 or more, 8 with 8, else none.
    public static func palette(hasColors: Bool, colors: Int, noColor: Bool) -> TerminalPalette {
        if noColor || !hasColors { return .none }
        if colors >= 256 { return .indexed256 }
        if colors >= 16 { return .ansi16 }
        if colors >= 8 { return .ansi8 }
        return .none
    }

    /// Whether the locale's codeset (from `nl_langinfo(CODESET)`) is UTF-8, so line and graph glyphs may be Unicode.
    public static func isUTF8(codeset: String) -> Bool {
        let folded = codeset.lowercased().filter { $0 != "-" && $0 != "_" }
        return folded == "utf8"
    }

    /// Maps a 256-colour index to the nearest colour of a smaller palette.
    ///
    /// - Parameters:
    ///   - index: an xterm 256-colour index (0–15 the ANSI colours, 16–231 the 6×6×6 cube, 232–255 greys).
    ///   - depth: the palette to map into.
    /// - Returns: the index in that palette, or `nil` for `.none`.
    /// - Complexity: O(1).
    public static func reduce(_ index: Int, to depth: TerminalPalette) -> Int? {
        switch depth {
        case .none: return nil
        case .indexed256: return index
        case .ansi16: return to16(index)
        case .ansi8: return to16(index) % 8
        }
    }

    static func to16(_ index: Int) -> Int {
        if index < 16 { return max(0, index) }
        let (r, g, b): (Int, Int, Int)
        if index >= 232 {
            let level = 8 + (index - 232) * 10
            (r, g, b) = (level, level, level)
        } else {
            let cube = index - 16
            let steps = [0, 95, 135, 175, 215, 255]
            (r, g, b) = (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
        }
        let maxChannel = max(r, g, b)
        let minChannel = min(r, g, b)
        if maxChannel - minChannel < 40 {
            // A grey: black, dark grey, light grey, white.
            switch maxChannel {
            case ..<60: return 0
            case ..<150: return 8
            case ..<220: return 7
            default: return 15
            }
        }
        let threshold = (maxChannel + minChannel) / 2
        let bits = (r >= threshold ? 1 : 0) | (g >= threshold ? 2 : 0) | (b >= threshold ? 4 : 0)
        return maxChannel >= 200 ? bits + 8 : bits
    }
}
