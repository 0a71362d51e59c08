print("bench")
if CommandLine.arguments.count == 1 || CommandLine.arguments[1] == "ui" { uiBench() }
ExpositionBench.main(CommandLine.arguments)
ScrapeBench.main(CommandLine.arguments)
SLOBench.main(CommandLine.arguments)
if CommandLine.arguments.count == 1 || CommandLine.arguments[1] == "logs" { LogsBench.run() }
