// swift-tools-version:6.1
import Foundation
import PackageDescription

// The target that bundles `Runbooks/` and `Demo/` (the demo incident's recording) has the package
// root as its path (a resource must sit under its target), so everything else at the top and every
// other source folder is excluded from it.
let root = Context.packageDirectory
let topLevelExceptRunbooks: [String] = {
    let fm = FileManager.default
    let top = ((try? fm.contentsOfDirectory(atPath: root)) ?? [])
        .filter { !$0.hasPrefix(".") && $0 != "Runbooks" && $0 != "Demo" && $0 != "Sources" && $0 != "Package.swift" }
    let sources = ((try? fm.contentsOfDirectory(atPath: root + "/Sources")) ?? [])
        .filter { $0 != "BurnwatchRunbookFiles" }.map { "Sources/" + $0 }
    return top + sources
}()

// Targets follow DESIGN.md §1. Pure targets (Core, Parsing, Runbooks, UI, Config) never touch the
// OS; Recording, Runtime and Terminal hold every OS and C call. See README "Architecture".
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "burnwatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "burnwatch", targets: ["burnwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C shims: the only places C libraries enter.
        .systemLibrary(name: "CNCursesW", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CCmarkGFM", providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),

        // Pure targets.
        .target(name: "BurnwatchCore", swiftSettings: strict),
        .target(name: "BurnwatchParsing", dependencies: ["BurnwatchCore"], swiftSettings: strict),
        // `Runbooks/` at the top of the repository is the source of the bundled runbooks; this
        // target copies it as a package resource so the binary finds them from any directory.
        .target(
            name: "BurnwatchRunbookFiles",
            path: ".",
            exclude: topLevelExceptRunbooks,
            sources: ["Sources/BurnwatchRunbookFiles"],
            resources: [.copy("Runbooks"), .copy("Demo")],
            swiftSettings: strict),
        .target(
            name: "BurnwatchRunbooks",
            dependencies: ["BurnwatchCore", "CCmarkGFM", "BurnwatchRunbookFiles"],
            swiftSettings: strict),
        .target(name: "BurnwatchUI", dependencies: ["BurnwatchCore", "BurnwatchRunbooks"], swiftSettings: strict),
        .target(
            name: "BurnwatchConfig",
            dependencies: ["BurnwatchCore", "BurnwatchParsing", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),

        // I/O targets.
        .target(
            name: "BurnwatchRecording",
            dependencies: ["BurnwatchCore", "CZlib", "CZstd", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(
            name: "BurnwatchRuntime",
            dependencies: [
                "BurnwatchCore", "BurnwatchParsing", "BurnwatchRunbooks", "BurnwatchUI",
                "BurnwatchRecording", "BurnwatchConfig", "CCurl", "CZlib",
            ],
            swiftSettings: strict),
        .target(name: "BurnwatchTerminal", dependencies: ["BurnwatchUI", "CNCursesW"], swiftSettings: strict),
        .executableTarget(
            name: "burnwatch",
            dependencies: [
                "BurnwatchRuntime", "BurnwatchTerminal", "BurnwatchRunbookFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // Benchmarks live apart; `make bench` builds them in release mode.
        .executableTarget(
            name: "burnwatch-bench",
            dependencies: ["BurnwatchCore", "BurnwatchParsing", "BurnwatchUI", "BurnwatchRunbooks", "BurnwatchConfig", "BurnwatchRuntime",
                           "BurnwatchRecording", "CAllocationCounter"],
            path: "Benchmarks/BurnwatchBench",
            swiftSettings: strict),

        // The bench's per-thread allocation count (it replaces malloc in the bench process only).
        .target(name: "CAllocationCounter", path: "Benchmarks/CAllocationCounter"),

        // Repository tools: `make demo-record` records the bundled demo incident from real servers.
        .executableTarget(
            name: "burnwatch-lab",
            dependencies: ["BurnwatchTestSupport"],
            path: "Tools/BurnwatchLab",
            swiftSettings: strict),

        // Fuzz targets, one per parser: `make fuzz` builds this with libFuzzer (docs/fuzzing.md);
        // a plain build is a replayer that runs files through a target.
        .executableTarget(
            name: "burnwatch-fuzz",
            dependencies: ["BurnwatchCore", "BurnwatchParsing", "BurnwatchConfig", "BurnwatchRunbooks", "BurnwatchUI",
                           "BurnwatchRecording"],
            path: "Tools/BurnwatchFuzz",
            swiftSettings: strict),

        // Tests mirror the targets.
        .target(
            name: "BurnwatchTestSupport",
            dependencies: ["BurnwatchCore", "BurnwatchUI"],
            path: "Tests/BurnwatchTestSupport",
            swiftSettings: strict),
        .testTarget(name: "BurnwatchCoreTests", dependencies: ["BurnwatchCore", "BurnwatchTestSupport"], swiftSettings: strict),
        .testTarget(name: "BurnwatchParsingTests", dependencies: ["BurnwatchParsing", "BurnwatchTestSupport"], swiftSettings: strict),
        .testTarget(name: "BurnwatchRunbooksTests", dependencies: ["BurnwatchRunbooks", "BurnwatchTestSupport"],
                    exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "BurnwatchUITests", dependencies: ["BurnwatchUI", "BurnwatchTestSupport"],
            exclude: ["__Snapshots__"], swiftSettings: strict),
        .testTarget(name: "BurnwatchConfigTests", dependencies: ["BurnwatchConfig", "BurnwatchTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "BurnwatchRecordingTests",
            dependencies: ["BurnwatchRecording", "BurnwatchTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .testTarget(name: "BurnwatchTerminalTests", dependencies: ["BurnwatchTerminal", "BurnwatchTestSupport"], swiftSettings: strict),
        .testTarget(name: "BurnwatchRuntimeTests", dependencies: ["BurnwatchRuntime", "BurnwatchTestSupport"], swiftSettings: strict),
        // Runs the real `burnwatch` binary (headless commands, tmux, real Prometheus / node_exporter).
        .testTarget(name: "BurnwatchEndToEndTests", dependencies: ["BurnwatchCore", "BurnwatchTestSupport"], swiftSettings: strict),
    ]
)
