import BurnwatchCore
import BurnwatchUI
import CNCursesW
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only code that calls ncurses: opens and restores the terminal, reads keys, draws cells.
///
/// It is used from one thread (the run loop's). Signals are not handled here: the run loop
/// catches them through a self-pipe and calls `suspend()`, `resume()`, `handleResize()` or `end()`,
/// so ncurses is never called from a signal handler.
public final class NCursesBackend {
    /// What to open the terminal with.
    public struct Options: Sendable {
        /// Whether to report mouse wheel and clicks (`--mouse`).
        public var mouse: Bool
        /// The process environment (for `TERM` and `NO_COLOR`).
        public var environment: [String: String]
        public init(mouse: Bool = false, environment: [String: String]) {
            self.mouse = mouse; self.environment = environment
        }
    }

    /// The colours in use after `NO_COLOR`, `TERM` and the terminal's palette were considered.
    public let palette: TerminalPalette
    /// Whether the locale is UTF-8 (Unicode glyphs) or not (ASCII glyphs).
    public let isUTF8: Bool
    private var screen: OpaquePointer?
    private var ended = false
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private let maxPairs: Int32
    private var wide: [wchar_t] = Array(repeating: 0, count: 8)
    private var lastFrame: ScreenBuffer?
    private var needsFullRedraw = true

    private struct PairKey: Hashable { var foreground: Int; var background: Int }

    /// Sets the locale, checks `TERM`, opens the screen and puts it in the console's modes.
    ///
    /// - Throws: `BurnwatchError` (`.usage`) when `TERM` is unset, `dumb` or unknown to terminfo, or
    ///   stdin/stdout is not a terminal; the terminal is left as it was.
    public init(options: Options) throws {
        setlocale(LC_ALL, "")
        if let reason = TerminalCapabilities.unusableTermReason(options.environment["TERM"]) {
            throw BurnwatchError(.usage, reason)
        }
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw BurnwatchError(.usage, "burnwatch's console needs a terminal on stdin and stdout")
        }
        guard let screen = bw_newterm() else {
            throw BurnwatchError(.usage, "TERM=\(options.environment["TERM"] ?? "") is not known to terminfo; try TERM=xterm-256color")
        }
        self.screen = screen
        if bw_has_cursor_addressing() == 0 {
            endwin()
            delscreen(screen)
            self.screen = nil
            throw BurnwatchError(.usage, "TERM=\(options.environment["TERM"] ?? "") cannot move the cursor; burnwatch needs a full-screen terminal")
        }
        isUTF8 = TerminalCapabilities.isUTF8(codeset: String(cString: bw_codeset()))
        let noColor = TerminalCapabilities.noColorRequested(options.environment)
        if !noColor, has_colors() {
            start_color()
            use_default_colors()
        }
        palette = TerminalCapabilities.palette(hasColors: has_colors(), colors: Int(bw_colors()), noColor: noColor)
        maxPairs = palette == .none ? 0 : Int32(min(bw_color_pairs(), 32_767))
        bw_set_escdelay(25)
        cbreak()
        noecho()
        nonl()
        bw_keypad(1)
        bw_nodelay(1)
        curs_set(0)
        if options.mouse { _ = bw_enable_mouse() }
    }

    deinit { end() }

    /// The file descriptor that becomes readable when a key is pending (stdin).
    public var inputFileDescriptor: Int32 { 0 }

    /// The current size in rows and columns.
    public var size: (rows: Int, columns: Int) { (Int(bw_lines()), Int(bw_cols())) }

    /// Asks the kernel for the terminal's size and tells ncurses, after SIGWINCH or `KEY_RESIZE`.
    ///
    /// - Returns: the new size.
    @discardableResult
    public func handleResize() -> (rows: Int, columns: Int) {
        guard !ended else { return size }
        var rows: Int32 = 0
        var columns: Int32 = 0
        if bw_kernel_size(&rows, &columns) == 0, rows != bw_lines() || columns != bw_cols() {
            resize_term(rows, columns)
        }
        bw_clearok(1)
        needsFullRedraw = true
        return size
    }

    /// Reads every pending key, resize and mouse event without waiting.
    ///
    /// - Parameter limit: at most this many events per call, so a flood of input cannot starve the loop.
    public func readEvents(limit: Int = 256) -> [AppEvent] {
        guard !ended else { return [] }
        var events: [AppEvent] = []
        var code: UInt32 = 0
        while events.count < limit {
            let rc = bw_get_wch(&code)
            if rc == bw_err() { break }
            guard let input = KeyTranslation.translate(isFunctionKey: rc == bw_key_code_yes(), code: code) else { continue }
            switch input {
            case .key(let key): events.append(.key(key))
            case .resize:
                let size = handleResize()
                events.append(.resize(TerminalSize(width: size.columns, height: size.rows)))
            case .mouse:
                if let mouse = readMouse() { events.append(.mouse(mouse)) }
            }
        }
        return events
    }

    private func readMouse() -> MouseEvent? {
        var y: Int32 = 0
        var x: Int32 = 0
        var state: UInt = 0
        guard bw_get_mouse(&y, &x, &state) == bw_ok() else { return nil }
        let row = Int(y), column = Int(x)
        if state & bw_mouse_wheel_up() != 0 { return MouseEvent(button: .wheelUp, x: column, y: row) }
        if bw_mouse_wheel_down() != 0, state & bw_mouse_wheel_down() != 0 { return MouseEvent(button: .wheelDown, x: column, y: row) }
        if state & bw_mouse_click() != 0 { return MouseEvent(button: .left, x: column, y: row) }
        return nil
    }

    /// The UI's colour depth for this terminal (the theme is chosen from it).
    public var colorDepth: ColorDepth {
        switch palette {
        case .none: return .none
        case .ansi8, .ansi16: return .ansi16
        case .indexed256: return .xterm256
        }
    }

    /// Draws `buffer` with `theme`: only rows that changed since the last frame are written, and
    /// ncurses sends only the cells that differ. Continuation cells of wide characters are skipped.
    ///
    /// - Parameters:
    ///   - buffer: the frame; its text was made terminal-safe by `ScreenBuffer`.
    ///   - theme: role → colours and attributes.
    ///   - cursor: where to show the terminal cursor (a prompt), or nil to hide it.
    /// - Complexity: O(cells of the changed rows).
    public func draw(_ buffer: ScreenBuffer, theme: Theme, cursor: (x: Int, y: Int)? = nil) {
        guard !ended else { return }
        let rows = needsFullRedraw ? Array(0..<buffer.height) : buffer.changedRows(since: lastFrame)
        if needsFullRedraw || lastFrame?.width != buffer.width || lastFrame?.height != buffer.height { bw_erase() }
        needsFullRedraw = false
        var resolved: [Style: (attr_t, Int32)] = [:]
        for y in rows where y < Int(bw_lines()) {
            for x in 0..<min(buffer.width, Int(bw_cols())) {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                let look: (attr_t, Int32)
                if let known = resolved[cell.style] {
                    look = known
                } else {
                    let r = theme.resolve(cell.style)
                    look = (attributes(r.attributes), colorPair(foreground: index(of: r.foreground), background: index(of: r.background)))
                    resolved[cell.style] = look
                }
                var count = 0
                if !isUTF8, cell.content.unicodeScalars.contains(where: { $0.value > 0x7E }) {
                    // Outside UTF-8 the terminal cannot show it: one `?` per column it takes.
                    wide[0] = 0x3F
                    count = 1
                    if cell.width == 2, x + 1 < buffer.width {
                        _ = wide.withUnsafeBufferPointer { bw_put_cell(Int32(y), Int32(x + 1), $0.baseAddress, 1, look.0, look.1) }
                    }
                } else {
                    for scalar in cell.content.unicodeScalars where count < 5 {
                        // ScreenBuffer never holds controls; this guard keeps the terminal safe regardless.
                        wide[count] = scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) ? 0x3F : wchar_t(bitPattern: scalar.value)
                        count += 1
                    }
                }
                if count == 0 { wide[0] = 0x20; count = 1 }
                _ = wide.withUnsafeBufferPointer { chars in
                    bw_put_cell(Int32(y), Int32(x), chars.baseAddress, Int32(count), look.0, look.1)
                }
            }
        }
        if let cursor {
            curs_set(1)
            move(Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        lastFrame = buffer
        bw_noutrefresh()
        doupdate()
    }

    private func attributes(_ a: TextAttributes) -> attr_t {
        var attrs = bw_a_normal()
        if a.contains(.bold) { attrs |= bw_a_bold() }
        if a.contains(.dim) { attrs |= bw_a_dim() }
        if a.contains(.reverse) { attrs |= bw_a_reverse() }
        if a.contains(.underline) { attrs |= bw_a_underline() }
        if a.contains(.italic) { attrs |= bw_a_italic() }
        return attrs
    }

    private func index(of color: TerminalColor) -> Int? {
        switch color {
        case .default: return nil
        case .ansi(let n): return Int(n)
        case .indexed(let n): return Int(n)
        }
    }

    /// Turns mouse reporting on (wheel, clicks) or off (`:mouse on|off`).
    public func setMouseReporting(_ on: Bool) {
        guard !ended else { return }
        if on { _ = bw_enable_mouse() } else { _ = bw_disable_mouse() }
    }

    /// Gives the terminal back before the process stops itself (ctrl-z).
    public func suspend() {
        guard !ended else { return }
        endwin()
    }

    /// Takes the terminal again after `fg`; the next frame is drawn from scratch.
    public func resume() {
        guard !ended else { return }
        bw_clearok(1)
        needsFullRedraw = true
        refresh()
        handleResize()
    }

    /// Restores the terminal (idempotent): normal exit, error or a terminating signal.
    public func end() {
        guard !ended else { return }
        ended = true
        curs_set(1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
    }

    private func colorPair(foreground: Int?, background: Int?) -> Int32 {
        guard palette != .none else { return 0 }
        let fg = foreground.flatMap { TerminalCapabilities.reduce($0, to: palette) } ?? -1
        let bg = background.flatMap { TerminalCapabilities.reduce($0, to: palette) } ?? -1
        if fg == -1, bg == -1 { return 0 }
        let key = PairKey(foreground: fg, background: bg)
        if let pair = pairs[key] { return pair }
        guard nextPair < maxPairs else { return 0 }
        let pair = nextPair
        nextPair += 1
        init_pair(Int16(pair), Int16(fg), Int16(bg))
        pairs[key] = pair
        return pair
    }
}

extension NCursesKeyCode {
    /// The values `curses.h` gives (through the shim), by the table's names: to check the pure table.
    public static var headerValues: [String: (table: UInt32, header: Int32)] {
        [
            "down": (down, bw_key_down()), "up": (up, bw_key_up()), "left": (left, bw_key_left()),
            "right": (right, bw_key_right()), "home": (home, bw_key_home()), "end": (end, bw_key_end()),
            "backspace": (backspace, bw_key_backspace()), "f0": (f0, bw_key_f(0)),
            "deleteCharacter": (deleteCharacter, bw_key_dc()), "insertCharacter": (insertCharacter, bw_key_ic()),
            "pageDown": (pageDown, bw_key_npage()), "pageUp": (pageUp, bw_key_ppage()), "enter": (enter, bw_key_enter()),
            "backTab": (backTab, bw_key_btab()), "mouse": (mouse, bw_key_mouse()), "resize": (resize, bw_key_resize()),
        ]
    }
}
