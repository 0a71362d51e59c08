import Foundation

// `burnwatch-lab demo-record --out FILE [--burnwatch PATH] [--scale S]`: records the demo
// incident from real servers (make demo-record). A tool of the repository, not of the product.
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
guard arguments.first == "demo-record", let out = option("--out") else {
    FileHandle.standardError.write(Data("usage: burnwatch-lab demo-record --out FILE [--burnwatch PATH] [--scale S]\n".utf8))
    exit(2)
}
let burnwatch = option("--burnwatch") ?? ".build/debug/burnwatch"
let scale = option("--scale").flatMap(Double.init) ?? 1
do {
    try DemoIncident.record(burnwatch: burnwatch, out: out, scale: scale)
} catch {
    FileHandle.standardError.write(Data("burnwatch-lab: \(error)\n".utf8))
    exit(1)
}
