import Foundation

/// `burnwatch-fuzz`: with libFuzzer (`-DBURNWATCH_LIBFUZZER`), fuzzes the target named by
/// `BURNWATCH_FUZZ_TARGET` with libFuzzer's flags; without it, `burnwatch-fuzz TARGET FILE_OR_DIR…`
/// runs each file through a target once (to replay a crash or a corpus, and so that a plain
/// `swift build` builds every target).
@main
struct BurnwatchFuzz {
    static func main() {
        #if BURNWATCH_LIBFUZZER
        let name = ProcessInfo.processInfo.environment["BURNWATCH_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTargets.named(name) else { usage("set BURNWATCH_FUZZ_TARGET to a target") }
        selectedFuzzTarget = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(libFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
        #else
        replay(Array(CommandLine.arguments.dropFirst()))
        #endif
    }

    /// Runs every file named by `args[1...]` (files, or directories of files) through target `args[0]`.
    static func replay(_ args: [String]) {
        guard let name = args.first, let target = FuzzTargets.named(name) else { usage("usage: burnwatch-fuzz TARGET FILE_OR_DIR…") }
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

    static func usage(_ message: String) -> Never {
        print(message + "\ntargets:")
        for t in FuzzTargets.all { print("  \(t.name): \(t.checks)") }
        exit(2)
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
