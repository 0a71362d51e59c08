#if !BURNWATCH_LIBFUZZER
import Foundation

/// Without libFuzzer: `burnwatch-fuzz TARGET FILE_OR_DIR…` runs each file through a target once.
///
/// Handy to replay a crash or a corpus under the debugger, and it keeps the targets building in
/// a plain `swift build`.
@main
struct FuzzReplayer {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let name = args.first, let target = FuzzTargets.named(name) else {
            print("usage: burnwatch-fuzz TARGET FILE_OR_DIR…\ntargets:")
            for t in FuzzTargets.all { print("  \(t.name): \(t.checks)") }
            exit(2)
        }
        var count = 0
        for path in args.dropFirst() {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { target.run($0) }
                count += 1
            }
        }
        print("\(name): \(count) inputs, no failure")
    }

    /// `path` itself, or the regular files directly inside it when it is a directory.
    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}
#endif
