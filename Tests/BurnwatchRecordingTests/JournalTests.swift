import BurnwatchCore
import BurnwatchRecording
import BurnwatchTestSupport
import Foundation
import GRDB
import Testing

@Suite("Incident journal")
struct JournalTests {
    let t0 = Timestamp(milliseconds: 1_764_000_000_000)
    let items = ["errors.md#retry-storms/a", "errors.md#retry-storms/b", "errors.md#retry-storms/c"]

    func tempPath() throws -> (dir: URL, path: String) {
        let dir = try TestPaths.makeTemporaryDirectory("bw-journal")
        return (dir, dir.appendingPathComponent("state/journal.sqlite").path)
    }

    @Test func roundTripAndSurviveReopen() throws {
        let (dir, path) = try tempPath()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let journal = try Journal.openFile(path)
            #expect(journal.location == .file(path))
            try journal.setTicked(true, itemID: items[0], who: "alice", at: t0)
            try journal.addNote("retries at 14%", itemID: items[0], who: "alice", at: t0 + Interval(seconds: 5))
            try journal.setTicked(true, itemID: items[1], who: "bob", at: t0 + Interval(seconds: 10))
            try journal.setTicked(false, itemID: items[1], who: "alice", at: t0 + Interval(seconds: 20))
            try journal.addEntry(.action, text: "rolled back to v41", who: "bob", at: t0 + Interval(seconds: 15),
                                 runbookRef: "errors.md#retry-storms")
        }
        let reopened = try Journal.openFile(path)
        let states = try reopened.states(of: items)
        #expect(states[items[0]] == ChecklistItemState(itemID: items[0], ticked: true, changedBy: "alice", changedAt: t0,
                                                      notes: [JournalNote(text: "retries at 14%", who: "alice", time: t0 + Interval(seconds: 5))]))
        #expect(states[items[1]]?.ticked == false)
        #expect(states[items[1]]?.changedBy == "alice")
        #expect(states[items[2]] == .untouched(items[2]))
        #expect(try reopened.progress(of: items).description == "1/3")
        let all = try reopened.allStates()
        #expect(Set(all.keys) == [items[0], items[1]])
        #expect(all[items[0]] == states[items[0]])
        let entries = try reopened.entries()
        #expect(entries.map(\.kind) == [.tick, .note, .tick, .action, .untick])
        #expect(entries.map(\.time.milliseconds) == entries.map(\.time.milliseconds).sorted())
        #expect(entries[3].runbookRef == "errors.md#retry-storms" && entries[3].itemID == nil && entries[3].text == "rolled back to v41")
    }

    @Test func defaultPathFollowsXDG() {
        #expect(Journal.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/burnwatch/journal.sqlite")
        #expect(Journal.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/burnwatch/journal.sqlite")
        #expect(Journal.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/burnwatch/journal.sqlite")
    }

    /// Opens a file the journal must refuse, and checks the message, the untouched bytes and the fallback.
    func expectRefused(_ path: String, mentioning words: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = FileManager.default.contents(atPath: path)
        #expect(throws: BurnwatchError.self, sourceLocation: sourceLocation) { try Journal.openFile(path) }
        let (journal, warning) = Journal.open(path: path)
        let error = try #require(warning, sourceLocation: sourceLocation)
        #expect(error.code == .journal, sourceLocation: sourceLocation)
        #expect(error.position?.source == path, sourceLocation: sourceLocation)
        #expect(error.message.contains(words), "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.message.contains("in memory"), sourceLocation: sourceLocation)
        #expect(journal.location == .memory, sourceLocation: sourceLocation)
        try journal.setTicked(true, itemID: items[0], who: "carol", at: t0)
        #expect(try journal.progress(of: items).done == 1, sourceLocation: sourceLocation)
        #expect(FileManager.default.contents(atPath: path) == before, "file bytes changed", sourceLocation: sourceLocation)
    }

    @Test func corruptFileIsLeftUntouched() throws {
        let (dir, path) = try tempPath()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var garbage = Data("this is not a database, just garbage bytes\n".utf8)
        garbage.append(contentsOf: (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))
        try expectRefused(path, mentioning: "not a SQLite database")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["journal.sqlite"])
    }

    @Test func damagedJournalIsRefused() throws {
        let (dir, path) = try tempPath()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let journal = try Journal.openFile(path)
            // One long note fills several pages in one write (one fsync, not hundreds).
            try journal.addNote(String(repeating: "x", count: 40_000), itemID: "f.md#s/a", who: "a", at: t0)
        }
        // Keep the valid header, wreck the pages after the first.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for i in 4096..<min(bytes.count, 4096 * 6) { bytes[i] = UInt8(truncatingIfNeeded: i &* 7) }
        try bytes.write(to: URL(fileURLWithPath: path))
        try expectRefused(path, mentioning: "damaged")
    }

    @Test func otherApplicationsDatabaseIsRefused() throws {
        let (dir, path) = try tempPath()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE songs (title TEXT)") }
        try expectRefused(path, mentioning: "not a burnwatch journal")
    }

    @Test func readOnlyFileAndFolderAreRefused() throws {
        let (dir, path) = try tempPath()
        let folder = (path as NSString).deletingLastPathComponent
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            try? FileManager.default.removeItem(at: dir)
        }
        do {
            let journal = try Journal.openFile(path)
            try journal.setTicked(true, itemID: items[0], who: "alice", at: t0)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try expectRefused(path, mentioning: "read-only")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        try expectRefused(path, mentioning: "read-only")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try expectRefused(path, mentioning: "read-only")
    }

    @Test func lockedFileIsRefused() throws {
        let (dir, path) = try tempPath()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let journal = try Journal.openFile(path)
            try journal.setTicked(true, itemID: items[0], who: "alice", at: t0)
        }
        // Another connection holds an exclusive lock for the whole check.
        let holder = try DatabaseQueue(path: path)
        try holder.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            defer { try? db.execute(sql: "ROLLBACK") }
            try expectRefused(path, mentioning: "locked")
        }
        // Once the lock is gone the file opens and still holds the tick.
        let journal = try Journal.openFile(path)
        #expect(try journal.states(of: items)[items[0]]?.ticked == true)
    }

    @Test func inMemoryJournalWorks() throws {
        let journal = Journal.inMemory()
        try journal.setTicked(true, itemID: items[2], who: "dave", at: t0)
        try journal.addEntry(JournalEntry.Kind("custom"), text: "hello", who: "dave", at: t0 - Interval(seconds: 1))
        #expect(try journal.entries().map(\.kind.rawValue) == ["custom", "tick"])
        #expect(try journal.progress(of: items) == ChecklistProgress(done: 1, total: 3))
    }
}
