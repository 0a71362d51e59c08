import BurnwatchUI

/// The ncurses key codes burnwatch understands, as the values `curses.h` gives them.
///
/// The values are fixed by ncurses (octal in the header); `NCursesKeyCodesTests` checks them
/// against the header through the shim, so the table stays pure and testable without a terminal.
public enum NCursesKeyCode {
    public static let down: UInt32 = 0o402
    public static let up: UInt32 = 0o403
    public static let left: UInt32 = 0o404
    public static let right: UInt32 = 0o405
    public static let home: UInt32 = 0o406
    public static let backspace: UInt32 = 0o407
    public static let f0: UInt32 = 0o410
    public static let deleteCharacter: UInt32 = 0o512
    public static let insertCharacter: UInt32 = 0o513
    public static let pageDown: UInt32 = 0o522
    public static let pageUp: UInt32 = 0o523
    public static let enter: UInt32 = 0o527
    public static let backTab: UInt32 = 0o541
    public static let end: UInt32 = 0o550
    public static let mouse: UInt32 = 0o631
    public static let resize: UInt32 = 0o632
}

/// What one `get_wch` result means: a key, a resize, a mouse event to fetch, or nothing.
public enum TerminalInput: Hashable, Sendable {
    case key(Key)
    case resize
    case mouse
}

/// The pure translation from ncurses input codes to the UI's `Key`s.
public enum KeyTranslation {
    /// Translates one `get_wch` result.
    ///
    /// - Parameters:
    ///   - isFunctionKey: `true` when `get_wch` returned `KEY_CODE_YES` (a key code), `false` for a character.
    ///   - code: the key code or the character's code point.
    /// - Returns: the input, or `nil` for a code burnwatch does not use (it is ignored).
    /// - Complexity: O(1).
    public static func translate(isFunctionKey: Bool, code: UInt32) -> TerminalInput? {
        if isFunctionKey { return functionKey(code) }
        return character(code)
    }

    static func functionKey(_ code: UInt32) -> TerminalInput? {
        switch code {
        case NCursesKeyCode.up: return .key(.up)
        case NCursesKeyCode.down: return .key(.down)
        case NCursesKeyCode.left: return .key(.left)
        case NCursesKeyCode.right: return .key(.right)
        case NCursesKeyCode.home: return .key(.home)
        case NCursesKeyCode.end: return .key(.end)
        case NCursesKeyCode.pageUp: return .key(.pageUp)
        case NCursesKeyCode.pageDown: return .key(.pageDown)
        case NCursesKeyCode.backspace: return .key(.backspace)
        case NCursesKeyCode.deleteCharacter: return .key(.delete)
        case NCursesKeyCode.insertCharacter: return .key(.insert)
        case NCursesKeyCode.enter: return .key(.enter)
        case NCursesKeyCode.backTab: return .key(.backTab)
        case NCursesKeyCode.resize: return .resize
        case NCursesKeyCode.mouse: return .mouse
        case (NCursesKeyCode.f0 + 1)...(NCursesKeyCode.f0 + 12): return .key(.function(Int(code - NCursesKeyCode.f0)))
        default: return nil
        }
    }

    static func character(_ code: UInt32) -> TerminalInput? {
        switch code {
        case 0x09: return .key(.tab)
        case 0x0A, 0x0D: return .key(.enter)
        case 0x1B: return .key(.escape)
        case 0x08, 0x7F: return .key(.backspace)
        case 0x01...0x1A:
            // ctrl-a is 1 … ctrl-z is 26 (tab, enter and backspace are taken above).
            return .key(.ctrl(Character(Unicode.Scalar(UInt8(0x60 + code)))))
        case 0x00, 0x1C...0x1F: return nil
        default:
            guard let scalar = Unicode.Scalar(code), code >= 0x20, !(0x80...0x9F).contains(code) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }
}
