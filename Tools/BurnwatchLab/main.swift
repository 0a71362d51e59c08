import Foundation

// `burnwatch-lab demo-record --out FILE [--burnwatch PATH] [--scale S]`: records the demo
// incident from real servers (make demo-record).
// `burnwatch-lab soak [--minutes N] [--burnwatch PATH] [--targets N] [--lines-per-second N]`:
// the soak of the live console (make soak).
// `burnwatch-lab log-feed [--burnwatch PATH] [--seconds N] [--idle-rate N] [--loaded-rate N]`: the
// live log path idle and with a CPU hog (make bench). Tools of the repository, not of the product.
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let burnwatch = option("--burnwatch") ?? ".build/debug/burnwatch"
switch arguments.first {
case "demo-record":
    guard let out = option("--out") else { break }
    let scale = option("--scale").flatMap(Double.init) ?? 1
    do {
        try DemoIncident.record(burnwatch: burnwatch, out: out, scale: scale)
    } catch {
        FileHandle.standardError.write(Data("burnwatch-lab: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
case "soak":
    var soak = Soak(burnwatch: burnwatch, minutes: option("--minutes").flatMap(Int.init) ?? 60)
    if let n = option("--targets").flatMap(Int.init) { soak.targets = n }
    if let n = option("--lines-per-second").flatMap(Double.init) { soak.linesPerSecond = n }
    do {
        exit(try soak.run() ? 0 : 1)
    } catch {
        FileHandle.standardError.write(Data("burnwatch-lab: \(error)\n".utf8))
        exit(1)
    }
case "log-feed":
    var lab = LogFeedLab(burnwatch: burnwatch)
    if let n = option("--seconds").flatMap(Double.init) { lab.seconds = n }
    if let n = option("--idle-rate").flatMap(Double.init) { lab.idleRate = n }
    if let n = option("--loaded-rate").flatMap(Double.init) { lab.loadedRate = n }
    do {
        exit(try lab.run() ? 0 : 1)
    } catch {
        FileHandle.standardError.write(Data("burnwatch-lab: \(error)\n".utf8))
        exit(1)
    }
default:
    break
}
FileHandle.standardError.write(Data("""
    usage: burnwatch-lab demo-record --out FILE [--burnwatch PATH] [--scale S]
           burnwatch-lab soak [--minutes N] [--burnwatch PATH] [--targets N] [--lines-per-second N]
           burnwatch-lab log-feed [--burnwatch PATH] [--seconds N] [--idle-rate N] [--loaded-rate N]

    """.utf8))
exit(2)
