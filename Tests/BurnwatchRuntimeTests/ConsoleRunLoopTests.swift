import BurnwatchCore
import BurnwatchRuntime
import BurnwatchUI
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A terminal that records frames and hands out queued input; its descriptor is a pipe's read end.
final class FakeConsoleTerminal: ConsoleTerminal {
    var pending: [AppEvent] = []
    var frames: [ScreenBuffer] = []
    var ended = false
    let size: TerminalSize
    private var fds: [Int32] = [0, 0]

    init(size: TerminalSize) {
        self.size = size
        _ = pipe(&fds)
    }

    deinit { close(fds[0]); close(fds[1]) }

    /// Queues events and makes the descriptor readable.
    func queue(_ events: AppEvent...) {
        pending += events
        var byte: UInt8 = 1
        _ = write(fds[1], &byte, 1)
    }

    var inputFileDescriptor: Int32 { fds[0] }
    var terminalSize: TerminalSize { size }
    func readEvents(limit: Int) -> [AppEvent] {
        var buffer = [UInt8](repeating: 0, count: 64)
        _ = read(fds[0], &buffer, 64)
        defer { pending.removeAll() }
        return pending
    }
    func refreshSize() -> TerminalSize { size }
    func draw(_ buffer: ScreenBuffer, cursor: (x: Int, y: Int)?) { frames.append(buffer) }
    func suspend() {}
    func resume() {}
    func end() { ended = true }
}

@Suite("Console run loop")
struct ConsoleRunLoopTests {
    @Test func drawsOnlyWhenTheStateChangedAndCarriesOutEffects() throws {
        let terminal = FakeConsoleTerminal(size: TerminalSize(width: 80, height: 24))
        let journal = MemoryChecklistJournal()
        let app = try RunbookScreenFixtures.app(journal: journal, size: terminal.size)
        let loop = try ConsoleRunLoop(state: app, terminal: terminal, signals: nil, tickInterval: Interval(milliseconds: 10)) { effect, _ in
            if let write = RunbookJournalWrite(effect: effect) { try? journal.record(write) }
        }
        // Ticks alone change nothing visible: one frame however many ticks pass.
        #expect(loop.run(maxIterations: 8) == .quit)
        #expect(terminal.frames.count == 1)
        #expect(loop.framesDrawn == 1)

        terminal.queue(.key(.char("c")), .key(.char(" ")))
        _ = loop.run(maxIterations: 3)
        #expect(terminal.frames.count == 2, "one frame for the batch of two keys")
        #expect(journal.writes.count == 1)
        if case .tick(_, let ticked, let by, let at)? = journal.writes.first {
            #expect(ticked && by == "alice")
            // Stamped with the wall clock when the key was read, not the fixture's start time.
            #expect(at > RunbookScreenFixtures.start)
        } else {
            Issue.record("no tick written: \(journal.writes)")
        }
        #expect(terminal.frames.last?.textDump().contains("ticked by alice") == true)

        terminal.queue(.key(.char("q")))
        #expect(loop.run(maxIterations: 50) == .quit)
        #expect(loop.state.shouldQuit)
    }

    @Test func resizeRedrawsAtTheNewSize() throws {
        let terminal = FakeConsoleTerminal(size: TerminalSize(width: 80, height: 24))
        let loop = try ConsoleRunLoop(state: try RunbookScreenFixtures.app(size: terminal.size), terminal: terminal, signals: nil) { _, _ in }
        _ = loop.run(maxIterations: 1)
        terminal.queue(.resize(TerminalSize(width: 30, height: 8)))
        _ = loop.run(maxIterations: 2)
        let last = try #require(terminal.frames.last)
        #expect(last.width == 30 && last.height == 8)
        #expect(last.textDump().contains("too small"))
    }
}

@Suite("Event channel")
struct EventChannelTests {
    @Test func boundedDropsAndCountsAndKeepsOrder() throws {
        let channel = try EventChannel<Int>(capacity: 2)
        #expect(channel.send(1, at: Timestamp(milliseconds: 1)))
        #expect(channel.send(2, at: Timestamp(milliseconds: 2)))
        #expect(!channel.send(3, at: Timestamp(milliseconds: 3)))
        #expect(channel.dropped == 1)
        let received = channel.receiveAll()
        #expect(received.map(\.event) == [1, 2])
        #expect(received.map(\.time.milliseconds) == [1, 2])
        #expect(channel.count == 0)
        #expect(channel.send(4, at: Timestamp(milliseconds: 4)))
        #expect(channel.receiveAll().map(\.event) == [4])
    }

    @Test func sendsFromOtherThreadsArriveWhole() async throws {
        let channel = try EventChannel<Int>(capacity: 10_000)
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask { for i in 0..<500 { channel.send(t * 1000 + i, at: Timestamp(milliseconds: Int64(i))) } }
            }
        }
        let events = channel.receiveAll().map(\.event)
        #expect(events.count == 2000)
        #expect(Set(events).count == 2000)
    }
}

@Suite("Memory journal")
struct MemoryChecklistJournalTests {
    @Test func foldsTicksUnticksAndNotes() throws {
        let t = Timestamp(milliseconds: 1000)
        let journal = MemoryChecklistJournal(writes: [
            .tick(itemID: "a", ticked: true, by: "alice", at: t),
            .note(itemID: "a", text: "one", by: "bob", at: t + Interval(seconds: 1)),
            .tick(itemID: "b", ticked: true, by: "alice", at: t),
            .tick(itemID: "b", ticked: false, by: "carol", at: t + Interval(seconds: 2)),
        ])
        let marks = try journal.loadMarks()
        #expect(marks["a"]?.tickedBy == "alice")
        #expect(marks["a"]?.notes.map(\.text) == ["one"])
        #expect(marks["b"]?.isTicked == false)
    }
}
