/// A terminal colour: the terminal's default, one of the 16 ANSI colours, or one of the 256 xterm colours.
public enum TerminalColor: Hashable, Sendable {
    case `default`
    /// ANSI colour 0–15 (8–15 bright).
    case ansi(UInt8)
    /// xterm 256-colour index.
    case indexed(UInt8)
}

/// How many colours the terminal can show; the backend picks the theme from it.
public enum ColorDepth: Hashable, Sendable {
    case none, ansi16, xterm256

    /// The depth for a terminal reporting `colors` colours (honour `NO_COLOR` by passing 0).
    public init(colors: Int) {
        if colors >= 256 { self = .xterm256 } else if colors >= 8 { self = .ansi16 } else { self = .none }
    }
}

/// What a role looks like on a particular terminal: colours plus attributes.
public struct ResolvedStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var attributes: TextAttributes

    public init(foreground: TerminalColor = .default, background: TerminalColor = .default,
                attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// Maps style roles to colours and attributes for one colour depth.
public struct Theme: Hashable, Sendable {
    public var depth: ColorDepth
    private var roles: [StyleRole: ResolvedStyle]

    /// Creates a theme from a role table; roles left out look like `.normal`.
    public init(depth: ColorDepth, roles: [StyleRole: ResolvedStyle]) {
        self.depth = depth
        self.roles = roles
    }

    /// The look of `style`: the role's look with the style's own attributes added.
    public func resolve(_ style: Style) -> ResolvedStyle {
        var r = roles[style.role] ?? ResolvedStyle()
        r.attributes.formUnion(style.attributes)
        return r
    }

    /// The standard theme for `depth`.
    public static func standard(for depth: ColorDepth) -> Theme {
        switch depth {
        case .xterm256: xterm256
        case .ansi16: ansi16
        case .none: monochrome
        }
    }

    /// 256 colours: muted greys, a calm accent, distinct ok/warning/page.
    public static let xterm256 = Theme(depth: .xterm256, roles: [
        .header: ResolvedStyle(foreground: .indexed(255), background: .indexed(236), attributes: [.bold]),
        .border: ResolvedStyle(foreground: .indexed(240)),
        .title: ResolvedStyle(foreground: .indexed(75), attributes: [.bold]),
        .muted: ResolvedStyle(foreground: .indexed(244)),
        .accent: ResolvedStyle(foreground: .indexed(75)),
        .ok: ResolvedStyle(foreground: .indexed(71)),
        .warning: ResolvedStyle(foreground: .indexed(214), attributes: [.bold]),
        .page: ResolvedStyle(foreground: .indexed(231), background: .indexed(160), attributes: [.bold]),
        .info: ResolvedStyle(foreground: .indexed(110)),
        .selection: ResolvedStyle(foreground: .indexed(231), background: .indexed(24)),
        .link: ResolvedStyle(foreground: .indexed(81), attributes: [.underline]),
        .heading: ResolvedStyle(foreground: .indexed(223), attributes: [.bold]),
        .code: ResolvedStyle(foreground: .indexed(186), background: .indexed(235)),
        .quote: ResolvedStyle(foreground: .indexed(246), attributes: [.italic]),
        .searchMatch: ResolvedStyle(foreground: .indexed(16), background: .indexed(220)),
        .statusBar: ResolvedStyle(foreground: .indexed(252), background: .indexed(238)),
        .prompt: ResolvedStyle(foreground: .indexed(231), attributes: [.bold]),
        .tabActive: ResolvedStyle(foreground: .indexed(231), background: .indexed(24), attributes: [.bold]),
        .tabInactive: ResolvedStyle(foreground: .indexed(250), background: .indexed(236)),
    ])

    /// 16 colours: the ANSI palette only.
    public static let ansi16 = Theme(depth: .ansi16, roles: [
        .header: ResolvedStyle(foreground: .ansi(15), background: .ansi(4), attributes: [.bold]),
        .border: ResolvedStyle(foreground: .ansi(8)),
        .title: ResolvedStyle(foreground: .ansi(14), attributes: [.bold]),
        .muted: ResolvedStyle(foreground: .ansi(8)),
        .accent: ResolvedStyle(foreground: .ansi(6)),
        .ok: ResolvedStyle(foreground: .ansi(2)),
        .warning: ResolvedStyle(foreground: .ansi(3), attributes: [.bold]),
        .page: ResolvedStyle(foreground: .ansi(15), background: .ansi(1), attributes: [.bold]),
        .info: ResolvedStyle(foreground: .ansi(6)),
        .selection: ResolvedStyle(attributes: [.reverse]),
        .link: ResolvedStyle(foreground: .ansi(14), attributes: [.underline]),
        .heading: ResolvedStyle(foreground: .ansi(11), attributes: [.bold]),
        .code: ResolvedStyle(foreground: .ansi(3)),
        .quote: ResolvedStyle(foreground: .ansi(8)),
        .searchMatch: ResolvedStyle(foreground: .ansi(0), background: .ansi(11)),
        .statusBar: ResolvedStyle(attributes: [.reverse]),
        .prompt: ResolvedStyle(attributes: [.bold]),
        .tabActive: ResolvedStyle(foreground: .ansi(15), background: .ansi(4), attributes: [.bold]),
        .tabInactive: ResolvedStyle(foreground: .ansi(7)),
    ])

    /// No colours (`NO_COLOR`, dumb terminals): meaning carried by bold, dim, reverse and underline.
    public static let monochrome = Theme(depth: .none, roles: [
        .header: ResolvedStyle(attributes: [.bold, .reverse]),
        .border: ResolvedStyle(attributes: [.dim]),
        .title: ResolvedStyle(attributes: [.bold]),
        .muted: ResolvedStyle(attributes: [.dim]),
        .accent: ResolvedStyle(attributes: [.bold]),
        .warning: ResolvedStyle(attributes: [.bold]),
        .page: ResolvedStyle(attributes: [.bold, .reverse]),
        .selection: ResolvedStyle(attributes: [.reverse]),
        .link: ResolvedStyle(attributes: [.underline]),
        .heading: ResolvedStyle(attributes: [.bold, .underline]),
        .searchMatch: ResolvedStyle(attributes: [.reverse, .underline]),
        .statusBar: ResolvedStyle(attributes: [.reverse]),
        .prompt: ResolvedStyle(attributes: [.bold]),
        .tabActive: ResolvedStyle(attributes: [.reverse, .bold]),
        .tabInactive: ResolvedStyle(attributes: [.dim]),
    ])
}
