/// What a piece of text means on screen; a `Theme` turns roles into colours.
public enum StyleRole: UInt8, CaseIterable, Hashable, Sendable {
    case normal, header, border, title, muted, accent, ok, warning, page, info
    case selection, link, heading, code, quote, searchMatch, statusBar, prompt, tabActive, tabInactive

    /// One letter per role, for `ScreenBuffer.styleDump()` (`.` is normal).
    public var letter: Character {
        switch self {
        case .normal: "."
        case .header: "H"
        case .border: "B"
        case .title: "T"
        case .muted: "m"
        case .accent: "a"
        case .ok: "o"
        case .warning: "w"
        case .page: "p"
        case .info: "i"
        case .selection: "S"
        case .link: "l"
        case .heading: "h"
        case .code: "c"
        case .quote: "q"
        case .searchMatch: "M"
        case .statusBar: "s"
        case .prompt: "P"
        case .tabActive: "A"
        case .tabInactive: "t"
        }
    }
}

/// Text attributes that work on every terminal, with or without colour.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)
}

/// The style of one cell: a role plus attributes added on top of what the theme gives the role.
public struct Style: Hashable, Sendable {
    public var role: StyleRole
    public var attributes: TextAttributes

    /// Creates a style from a role and extra attributes.
    public init(_ role: StyleRole = .normal, _ attributes: TextAttributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let normal = Style(.normal)

    /// This style with `extra` attributes added.
    public func adding(_ extra: TextAttributes) -> Style { Style(role, attributes.union(extra)) }
}
