import BurnwatchCore
import BurnwatchUI

/// What the run loop needs from a terminal: the ncurses backend in the app, a fake one in tests.
public protocol ConsoleTerminal: AnyObject {
    /// The descriptor that becomes readable when input is pending.
    var inputFileDescriptor: Int32 { get }
    /// The current size.
    var terminalSize: TerminalSize { get }
    /// Reads pending keys, mouse events and resizes without waiting.
    func readEvents(limit: Int) -> [AppEvent]
    /// Asks the kernel for the size after SIGWINCH and tells the terminal library.
    func refreshSize() -> TerminalSize
    /// Draws a frame; `cursor` places the terminal cursor (prompt) or hides it.
    func draw(_ buffer: ScreenBuffer, cursor: (x: Int, y: Int)?)
    /// Gives the terminal back (ctrl-z) and takes it again (fg).
    func suspend()
    func resume()
    /// Restores the terminal (idempotent).
    func end()
}

/// Why the loop ended.
public enum ConsoleExit: Hashable, Sendable {
    /// The user quit.
    case quit
    /// A terminating signal arrived (SIGINT, SIGTERM, SIGHUP); the caller re-raises it after cleanup.
    case signal(Int32)
}

/// The console's run loop: one bounded channel of timestamped events, `reduce` as the only place
/// state changes, a frame drawn only when the state's version moved, effects carried out here.
///
/// Sources: the terminal (keys, mouse, resize), the signal pipe, a tick timer, and any thread
/// that `send`s to `channel`. Everything runs on the thread that calls `run()`.
public final class ConsoleRunLoop {
    /// The channel every event goes through; other threads may send to it.
    public let channel: EventChannel<AppEvent>
    /// The state after the last event.
    public private(set) var state: AppState
    /// How many frames were drawn (for tests and the benchmark).
    public private(set) var framesDrawn = 0
    private let terminal: ConsoleTerminal
    private let signals: SignalPipe?
    private let tickMilliseconds: Int64
    private let perform: (Effect, ConsoleRunLoop) -> Void
    private let clock: () -> Timestamp
    private var drawnVersion: UInt64?
    private var drawnSize: TerminalSize?

    /// Creates a loop.
    ///
    /// - Parameters:
    ///   - state: the initial state.
    ///   - terminal: where to read input and draw.
    ///   - signals: the signal pipe (nil in tests).
    ///   - tickInterval: how often a tick event is sent.
    ///   - capacity: the channel's bound.
    ///   - clock: the time of ticks and of keys (the wall clock live; the virtual clock in a replay).
    ///   - perform: carries out an effect other than `.quit` (journal writes, mouse reporting…).
    /// - Throws: `BurnwatchError` when the channel's pipe cannot be made.
    public init(state: AppState, terminal: ConsoleTerminal, signals: SignalPipe?, tickInterval: Interval = Interval(seconds: 1),
                capacity: Int = 4096, clock: @escaping () -> Timestamp = { Platform.now() },
                perform: @escaping (Effect, ConsoleRunLoop) -> Void) throws {
        self.clock = clock
        self.state = state
        self.terminal = terminal
        self.signals = signals
        self.tickMilliseconds = max(10, tickInterval.milliseconds)
        self.channel = try EventChannel(capacity: capacity)
        self.perform = perform
    }

    /// Runs until the user quits or a terminating signal arrives.
    ///
    /// - Parameter maxIterations: stop after this many wake-ups (tests); nil runs until quit.
    public func run(maxIterations: Int? = nil) -> ConsoleExit {
        var nextTick = Platform.monotonicMilliseconds()
        var iterations = 0
        channel.send(.resize(terminal.terminalSize), at: clock())
        while true {
            let now = Platform.monotonicMilliseconds()
            if now >= nextTick {
                channel.send(.tick(clock()), at: clock())
                nextTick = now + tickMilliseconds
            }
            if let exit = processPending() { return exit }
            drawIfChanged()
            if state.shouldQuit { return .quit }
            iterations += 1
            if let maxIterations, iterations >= maxIterations { return .quit }
            let timeout = Int32(max(0, min(nextTick - Platform.monotonicMilliseconds(), 1000)))
            var fds = [terminal.inputFileDescriptor, channel.wakeReadEnd]
            if let signals { fds.append(signals.readEnd) }
            let ready = Platform.waitReadable(fds, timeoutMilliseconds: timeout)
            if ready[0] {
                let time = clock()
                for event in terminal.readEvents(limit: 256) { channel.send(event, at: time) }
            }
            if let signals, ready.count > 2, ready[2] {
                for signal in signals.pending() {
                    switch signal {
                    case .terminate(let number):
                        return .signal(number)
                    case .resize:
                        channel.send(.resize(terminal.refreshSize()), at: clock())
                    case .suspend:
                        terminal.suspend()
                        signals.stopProcess()
                        terminal.resume()
                        forceRedraw()
                    case .resume:
                        terminal.resume()
                        forceRedraw()
                    }
                }
            }
        }
    }

    /// Applies every pending event; returns an exit when an effect asked to quit.
    private func processPending() -> ConsoleExit? {
        for stamped in channel.receiveAll() {
            // Keys are stamped too: the state learns their time through a tick first.
            if case .tick = stamped.event {} else if state.now.map({ $0 < stamped.time }) ?? true {
                apply(.tick(stamped.time))
            }
            if apply(stamped.event) { return .quit }
        }
        return nil
    }

    /// Applies one event; true when the loop must end.
    @discardableResult
    private func apply(_ event: AppEvent) -> Bool {
        let (next, effects) = reduce(state, event)
        state = next
        for effect in effects {
            if case .quit = effect { return true }
            perform(effect, self)
        }
        return false
    }

    private func forceRedraw() {
        drawnVersion = nil
        channel.send(.resize(terminal.refreshSize()), at: clock())
    }

    /// Draws a frame when the state's version or the size moved since the last one.
    private func drawIfChanged() {
        guard drawnVersion != state.version || drawnSize != state.size else { return }
        let frame = view(state, size: state.size)
        terminal.draw(frame, cursor: state.cursorPosition)
        drawnVersion = state.version
        drawnSize = state.size
        framesDrawn += 1
    }

    /// Sends an event from this thread or another (e.g. a journal failure), stamped now.
    public func send(_ event: AppEvent) {
        channel.send(event, at: clock())
    }
}
