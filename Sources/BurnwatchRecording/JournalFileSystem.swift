import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every file-system call of the journal and of recordings: paths, permission checks, creating a
/// folder, a file's first bytes and size.
enum JournalFileSystem {
    /// What is at a path.
    enum Entry { case missing, regularFile, directory, other }

    static func entry(at path: String) -> Entry {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// False when the process may not write `path`, or when its mode has no write bit at all
    /// (a file someone marked read-only stays read-only, even for root).
    static func isWritable(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        if info.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) == 0 { return false }
        return access(path, W_OK) == 0
    }

    static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// Creates the folder and its parents (mode 0700: the journal names people).
    static func createDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    static func parent(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// Up to `count` bytes from the start of the file (empty when it cannot be read).
    static func head(_ path: String, count: Int) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
    }

    /// The file's size in bytes, or nil when it is not there.
    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static var homeDirectory: String { NSHomeDirectory() }
}
