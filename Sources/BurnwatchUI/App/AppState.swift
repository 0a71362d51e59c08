import BurnwatchCore

/// Every outside fact that reaches the console (DESIGN.md §2): keys, resizes, ticks, mouse, sources.
public enum AppEvent: Sendable {
    case key(Key)
    case resize(TerminalSize)
    /// The clock moved to this time (live: wall clock; replay: the recording's time).
    case tick(Timestamp)
    case mouse(MouseEvent)
    /// An event from a later source (metrics, logs…): forwarded to every screen.
    case external(any ExternalEvent)
}

/// What the run loop must do after a `reduce`: the only way pure code asks for I/O.
/// Later features add cases (journal writes, recordings…).
public enum Effect: Hashable, Sendable {
    /// Restore the terminal and exit.
    case quit
    /// Ring the terminal bell (a key that does nothing here).
    case bell
    /// Turn mouse reporting on or off.
    case setMouseReporting(Bool)
    /// A screen-defined effect by name and arguments, for the run loop to interpret.
    case custom(name: String, arguments: [String])
}

/// A line for the status bar, with a role, that disappears at `expires` (when ticks come).
public struct StatusMessage: Hashable, Sendable {
    public var text: String
    public var role: StyleRole
    public var expires: Timestamp?

    public init(_ text: String, role: StyleRole = .info, expires: Timestamp? = nil) {
        self.text = text
        self.role = role
        self.expires = expires
    }
}

/// The whole state of the console: a value that only `reduce` changes.
public struct AppState: Sendable {
    /// Screens in tab order.
    public var screens: [any ScreenModel]
    /// Index of the current screen in `screens`.
    public var currentIndex: Int
    /// Screens to return to with Esc, most recent last (bounded by `maxBackStack`).
    public var backStack: [ScreenID]
    public var size: TerminalSize
    /// The open prompt, if any.
    public var prompt: PromptState?
    public var helpVisible: Bool
    public var helpScroll: Int
    public var status: StatusMessage?
    /// Set once quitting was asked for; the loop exits.
    public var shouldQuit: Bool
    /// Bumped by every change that shows; the loop redraws only when it moved.
    public private(set) var version: UInt64
    /// The time of the last tick.
    public var now: Timestamp?
    public var keymap: Keymap
    public var glyphs: Glyphs
    public var commandHistory: [String]
    public var searchHistory: [String]
    public var lastSearch: String?
    public var mouseEnabled: Bool
    /// Where the replay stands, while a recording plays (nil live): the timeline row shows it and
    /// the replay keys come first.
    public var replay: ReplayStatus?

    /// Below this size the console shows the "terminal too small" screen.
    public static let minimumSize = TerminalSize(width: 40, height: 10)
    /// The size the layout is designed for.
    public static let preferredSize = TerminalSize(width: 80, height: 24)
    public static let maxBackStack = 32

    /// A state showing `screens` (at least one; a placeholder is used when empty).
    public init(screens: [any ScreenModel], size: TerminalSize, glyphs: Glyphs = .unicode,
                keymap: Keymap = .default, mouseEnabled: Bool = false) {
        self.screens = screens.isEmpty
            ? [MessageScreen(id: ScreenID("empty"), title: "burnwatch", lines: ["Nothing to show yet."])]
            : screens
        self.currentIndex = 0
        self.backStack = []
        self.size = size
        self.prompt = nil
        self.helpVisible = false
        self.helpScroll = 0
        self.status = nil
        self.shouldQuit = false
        self.version = 0
        self.now = nil
        self.keymap = keymap
        self.glyphs = glyphs
        self.commandHistory = []
        self.searchHistory = []
        self.lastSearch = nil
        self.mouseEnabled = mouseEnabled
        self.replay = nil
    }

    /// The current screen.
    public var currentScreen: any ScreenModel { screens[currentIndex] }
    public var currentID: ScreenID { screens[currentIndex].id }

    /// The index of the screen with `id`.
    public func index(of id: ScreenID) -> Int? { screens.firstIndex { $0.id == id } }

    /// The screen with `id` as type `S`, if it is there and of that type.
    public func screen<S: ScreenModel>(_ id: ScreenID, as type: S.Type) -> S? {
        index(of: id).flatMap { screens[$0] as? S }
    }

    /// Whether the terminal is below the minimum size.
    public var isTooSmall: Bool { size.width < Self.minimumSize.width || size.height < Self.minimumSize.height }

    /// The body area screens draw into: between the tab row and the status row (and the
    /// replay's timeline row above the status row, while a recording plays).
    public var bodyRect: Rect { Rect(x: 0, y: 1, width: size.width, height: size.height - (replay == nil ? 2 : 3)) }

    /// What screens see of the app.
    public var screenContext: ScreenContext {
        ScreenContext(bodySize: TerminalSize(width: bodyRect.width, height: bodyRect.height),
                      glyphs: glyphs, now: now, lastSearch: lastSearch)
    }

    /// The keymap in force: the current screen's bindings over the global ones.
    /// While a recording plays, the replay keys come before both.
    public var effectiveKeymap: Keymap {
        let screen = keymap.overlaid(by: currentScreen.keymap)
        return replay == nil ? screen : screen.overlaid(by: .replay)
    }

    /// Marks the state as changed so that the next frame is drawn.
    public mutating func touch() { version &+= 1 }
}
