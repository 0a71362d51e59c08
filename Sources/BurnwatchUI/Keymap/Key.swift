/// A key press (or mouse button) as the terminal backend decodes it.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character, including space; `Shift` is folded in (`"G"`, `"?"`).
    case char(Character)
    /// Control plus a letter, lowercased: `.ctrl("d")`.
    case ctrl(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case escape, enter, tab, backTab, backspace, delete, insert
    /// Function key F1–F12.
    case function(Int)
    /// A mouse button or the wheel (the position travels in `MouseEvent`).
    case mouse(MouseButton)

    /// A short human spelling for help screens: `j`, `Down`, `C-d`, `S-Tab`, `F1`, `Space`.
    public var description: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "C-" + String(c)
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .escape: "Esc"
        case .enter: "Enter"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .insert: "Ins"
        case .function(let n): "F\(n)"
        case .mouse(let b): b.description
        }
    }

    /// Parses a spelling as `description` gives it, or `ctrl-x`, `shift-tab`, `f5`, `space`, `esc`.
    ///
    /// - Returns: the key, or nil for an unknown name.
    public static func parse(_ text: String) -> Key? {
        if text.count == 1, let c = text.first { return .char(c) }
        let lower = text.lowercased()
        for prefix in ["c-", "ctrl-", "ctrl+", "^"] where lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            if rest.count == 1, let c = rest.first { return .ctrl(c) }
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { return .function(n) }
        switch lower {
        case "space": return .char(" ")
        case "up": return .up
        case "down": return .down
        case "left": return .left
        case "right": return .right
        case "pgup", "pageup": return .pageUp
        case "pgdn", "pagedown": return .pageDown
        case "home": return .home
        case "end": return .end
        case "esc", "escape": return .escape
        case "enter", "return": return .enter
        case "tab": return .tab
        case "s-tab", "shift-tab", "backtab": return .backTab
        case "backspace", "bs": return .backspace
        case "del", "delete": return .delete
        case "ins", "insert": return .insert
        case "wheelup": return .mouse(.wheelUp)
        case "wheeldown": return .mouse(.wheelDown)
        default: return nil
        }
    }

    /// Whether this key types text in a prompt (a printable character).
    public var isPrintable: Bool {
        if case .char = self { return true }
        return false
    }
}

/// A mouse button or wheel direction.
public enum MouseButton: Hashable, Sendable, CustomStringConvertible {
    case left, middle, right, wheelUp, wheelDown
    public var description: String {
        switch self {
        case .left: "Click"
        case .middle: "MiddleClick"
        case .right: "RightClick"
        case .wheelUp: "WheelUp"
        case .wheelDown: "WheelDown"
        }
    }
}

/// A mouse report: which button and where (cell coordinates of the whole screen).
public struct MouseEvent: Hashable, Sendable {
    public var button: MouseButton
    public var x: Int
    public var y: Int
    public init(button: MouseButton, x: Int, y: Int) { self.button = button; self.x = x; self.y = y }
}
