/// What a key asks the console to do. Screens interpret the movement actions for their own content.
public enum Action: Hashable, Sendable {
    case quit, back, help
    case commandPrompt, searchPrompt, nextMatch, previousMatch
    case nextScreen, previousScreen
    /// Go to the screen at this 1-based tab position.
    case screen(Int)
    case up, down, left, right
    case pageUp, pageDown, halfPageUp, halfPageDown, top, bottom
    case toggle, open
    case redraw
    /// A screen-specific action, by name (screens add bindings of their own with these).
    case custom(String)
}

/// One entry of the keymap: keys, the action they trigger, and how help describes it.
public struct KeyBinding: Hashable, Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    public var group: String

    public init(keys: [Key], action: Action, help: String, group: String) {
        self.keys = keys
        self.action = action
        self.help = help
        self.group = group
    }
}

/// The keymap as data: an ordered list of bindings; the first binding of a key wins.
public struct Keymap: Hashable, Sendable {
    public var bindings: [KeyBinding]

    public init(_ bindings: [KeyBinding]) { self.bindings = bindings }

    /// The action bound to `key`, if any.
    ///
    /// - Complexity: O(n) in the number of bindings (a few dozen).
    public func action(for key: Key) -> Action? {
        for binding in bindings where binding.keys.contains(key) { return binding.action }
        return nil
    }

    /// This keymap with `other`'s bindings taking precedence (a screen's own keys over the global ones).
    public func overlaid(by other: Keymap) -> Keymap { Keymap(other.bindings + bindings) }

    /// Group names in first-appearance order, for the help overlay.
    public var groups: [String] {
        var seen: [String] = []
        for b in bindings where !seen.contains(b.group) { seen.append(b.group) }
        return seen
    }

    /// The default keymap: arrows and vim keys, `?` help, `q` quit, `Esc` back, `:` and `/` prompts.
    public static let `default` = Keymap([
        KeyBinding(keys: [.up, .char("k")], action: .up, help: "move up", group: "Move"),
        KeyBinding(keys: [.down, .char("j")], action: .down, help: "move down", group: "Move"),
        KeyBinding(keys: [.left, .char("h")], action: .left, help: "move left / collapse", group: "Move"),
        KeyBinding(keys: [.right, .char("l")], action: .right, help: "move right / expand", group: "Move"),
        KeyBinding(keys: [.pageUp, .ctrl("b")], action: .pageUp, help: "page up", group: "Move"),
        KeyBinding(keys: [.pageDown, .ctrl("f")], action: .pageDown, help: "page down", group: "Move"),
        KeyBinding(keys: [.ctrl("u")], action: .halfPageUp, help: "half page up", group: "Move"),
        KeyBinding(keys: [.ctrl("d")], action: .halfPageDown, help: "half page down", group: "Move"),
        KeyBinding(keys: [.char("g"), .home], action: .top, help: "go to top", group: "Move"),
        KeyBinding(keys: [.char("G"), .end], action: .bottom, help: "go to bottom", group: "Move"),
        KeyBinding(keys: [.mouse(.wheelUp)], action: .up, help: "scroll up", group: "Move"),
        KeyBinding(keys: [.mouse(.wheelDown)], action: .down, help: "scroll down", group: "Move"),
        KeyBinding(keys: [.enter], action: .open, help: "open", group: "Act"),
        KeyBinding(keys: [.char(" ")], action: .toggle, help: "toggle / tick", group: "Act"),
        KeyBinding(keys: [.char("/")], action: .searchPrompt, help: "search", group: "Search"),
        KeyBinding(keys: [.char("n")], action: .nextMatch, help: "next match", group: "Search"),
        KeyBinding(keys: [.char("N")], action: .previousMatch, help: "previous match", group: "Search"),
        KeyBinding(keys: [.tab], action: .nextScreen, help: "next screen", group: "Screens"),
        KeyBinding(keys: [.backTab], action: .previousScreen, help: "previous screen", group: "Screens"),
        KeyBinding(keys: (1...9).map { .char(Character(String($0))) }, action: .screen(0),
                   help: "go to screen 1-9", group: "Screens"),
        KeyBinding(keys: [.escape], action: .back, help: "back / close", group: "Screens"),
        KeyBinding(keys: [.char(":")], action: .commandPrompt, help: "command", group: "General"),
        KeyBinding(keys: [.char("?"), .function(1)], action: .help, help: "help", group: "General"),
        KeyBinding(keys: [.ctrl("l")], action: .redraw, help: "redraw", group: "General"),
        KeyBinding(keys: [.char("q")], action: .quit, help: "quit", group: "General"),
    ])

    /// The action for `key`, resolving the digit binding (`.screen(0)`) to the digit's tab position.
    public func resolvedAction(for key: Key) -> Action? {
        guard let action = action(for: key) else { return nil }
        if case .screen = action, case .char(let c) = key, let n = c.wholeNumberValue { return .screen(n) }
        return action
    }
}
