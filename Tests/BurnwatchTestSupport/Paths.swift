import Foundation

/// Paths that tests need: the package root, the built binary, the shared fixtures, temp dirs.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The `burnwatch` binary that `swift build` made (or `$BURNWATCH_BIN`).
    public static var binary: URL {
        if let env = ProcessInfo.processInfo.environment["BURNWATCH_BIN"] { return URL(fileURLWithPath: env) }
        for config in ["debug", "release"] {
            let url = packageRoot.appendingPathComponent(".build/\(config)/burnwatch")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return packageRoot.appendingPathComponent(".build/debug/burnwatch")
    }

    /// `../shared/fixtures` beside the checkout (present in CI and in development).
    public static var sharedFixtures: URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }

    /// A fresh, empty temporary directory; the caller removes it (or leaves it to the OS).
    public static func makeTemporaryDirectory(_ prefix: String = "burnwatch-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The full path of an executable found on `$PATH` (or in /usr/sbin, /usr/bin), or nil.
    public static func which(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/usr/bin:/sbin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
