import BurnwatchRuntime
import BurnwatchTerminal
import BurnwatchUI

/// Lets the run loop drive the ncurses backend (Runtime and Terminal do not know each other).
final class NCursesConsoleTerminal: ConsoleTerminal {
    let backend: NCursesBackend
    let theme: Theme

    init(backend: NCursesBackend) {
        self.backend = backend
        self.theme = Theme.standard(for: backend.colorDepth)
    }

    var inputFileDescriptor: Int32 { backend.inputFileDescriptor }
    var terminalSize: TerminalSize { TerminalSize(width: backend.size.columns, height: backend.size.rows) }
    func readEvents(limit: Int) -> [AppEvent] { backend.readEvents(limit: limit) }
    func refreshSize() -> TerminalSize {
        let size = backend.handleResize()
        return TerminalSize(width: size.columns, height: size.rows)
    }
    func draw(_ buffer: ScreenBuffer, cursor: (x: Int, y: Int)?) { backend.draw(buffer, theme: theme, cursor: cursor) }
    func suspend() { backend.suspend() }
    func resume() { backend.resume() }
    func end() { backend.end() }
}
