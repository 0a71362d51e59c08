import BurnwatchCore

/// The name of a screen (a tab). Open: later features add their own with `static let`.
public struct ScreenID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let runbooks = ScreenID("runbooks")
    public static let metrics = ScreenID("metrics")
    public static let logs = ScreenID("logs")
    public static let slos = ScreenID("slos")
    public static let signals = ScreenID("signals")
}

/// A source event a later feature brings in (a scrape result, a log line): forwarded to every screen.
public protocol ExternalEvent: Sendable {}

/// What `reduce` hands a screen: an action from the keymap, an unbound key, a finished prompt, …
public enum ScreenInput: Sendable {
    /// A keymap action the app did not handle itself (movement, open, toggle, back, next match…).
    case action(Action)
    /// A key no binding claimed (or any key while the screen `capturesKeys`).
    case key(Key)
    /// A submitted `/` search; also sent again with `forward` for `n` (true) and `N` (false).
    case search(String, forward: Bool)
    /// A `:` command the app does not know: the words of the command line.
    case command([String])
    /// Free text the screen asked for with `ScreenResponse.prompt`.
    case input(id: String, text: String)
    /// A mouse event in body coordinates (0,0 is the body's top left).
    case mouse(MouseEvent)
    /// The clock moved.
    case tick(Timestamp)
    /// A source event.
    case external(any ExternalEvent)
    /// The screen became the current one.
    case activated
}

/// What a screen answers: whether it used the input (and so must be redrawn), and what follows.
public struct ScreenResponse: Sendable {
    /// Whether the input changed the screen (a redraw follows) or was used at all.
    public var handled: Bool
    public var effects: [Effect]
    /// A message for the status line.
    public var status: StatusMessage?
    /// Another screen to open (pushed on the back stack).
    public var navigate: ScreenID?
    /// A prompt to open for free text; the answer comes back as `.input(id:text:)`.
    public var prompt: PromptMode?

    public init(handled: Bool, effects: [Effect] = [], status: StatusMessage? = nil,
                navigate: ScreenID? = nil, prompt: PromptMode? = nil) {
        self.handled = handled
        self.effects = effects
        self.status = status
        self.navigate = navigate
        self.prompt = prompt
    }

    public static let ignored = ScreenResponse(handled: false)
    public static let changed = ScreenResponse(handled: true)
}

/// What a screen may know about its surroundings while handling input or drawing.
public struct ScreenContext: Sendable {
    /// Size of the body area the screen draws into (for page sizes and scrolling).
    public var bodySize: TerminalSize
    public var glyphs: Glyphs
    /// The time of the last tick, if any.
    public var now: Timestamp?
    /// The last submitted search, for `n`/`N` and highlighting.
    public var lastSearch: String?

    public init(bodySize: TerminalSize, glyphs: Glyphs, now: Timestamp? = nil, lastSearch: String? = nil) {
        self.bodySize = bodySize
        self.glyphs = glyphs
        self.now = now
        self.lastSearch = lastSearch
    }
}

/// One screen of the console (Runbooks, Metrics, Logs, SLOs…): its state, input handling and view.
///
/// A value type: `reduce` keeps screens in `AppState` and replaces them after each input.
/// Add a screen by writing a type in `Screens/` and listing it in the initial `AppState`.
public protocol ScreenModel: Sendable {
    var id: ScreenID { get }
    /// The tab title.
    var title: String { get }
    /// Bindings of this screen, consulted before the global keymap and shown in help.
    var keymap: Keymap { get }
    /// Whether every key goes to the screen raw (a text field of its own is focused).
    var capturesKeys: Bool { get }
    /// Segments for the left of the status line (position, counts, mode).
    func statusSegments(context: ScreenContext) -> [StatusSegment]
    /// Handles one input; the screen mutates itself and says what follows.
    mutating func handle(_ input: ScreenInput, context: ScreenContext) -> ScreenResponse
    /// Draws the screen into the body area.
    func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext)
    /// What a `:note` written on this screen is about (the selected signal or SLO), if anything.
    var journalSubject: String? { get }
}

extension ScreenModel {
    public var journalSubject: String? { nil }
    public var keymap: Keymap { Keymap([]) }
    public var capturesKeys: Bool { false }
    public func statusSegments(context: ScreenContext) -> [StatusSegment] { [] }
}
