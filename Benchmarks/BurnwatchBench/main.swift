print("bench")
if CommandLine.arguments.count == 1 || CommandLine.arguments[1] == "ui" { uiBench() }
if CommandLine.arguments.count < 2 || CommandLine.arguments.contains("logs") { LogsBench.run() }
ExpositionBench.main(CommandLine.arguments)
ScrapeBench.main(CommandLine.arguments)
SLOBench.main(CommandLine.arguments)
if CommandLine.arguments.count < 2 || CommandLine.arguments.contains("logs-screen") { LogsScreenBench.run() }
