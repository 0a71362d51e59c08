// burnwatch benchmarks. `make bench` runs every group; `burnwatch-bench GROUP` runs one.
// Each group checks the arguments itself (some take extra ones, e.g. `query-memory KIND`) and
// prints its numbers beside the tool a user would otherwise pick, measured in the same run.
let arguments = CommandLine.arguments
if arguments.count == 1 || arguments[1] == "ui" { uiBench() }
StartupBench.run(arguments)
ExpositionBench.main(arguments)
ScrapeBench.main(arguments)
if arguments.count < 2 || arguments.contains("query") || arguments.contains("query-memory") { QueryBench.run() }
SLOBench.main(arguments)
SignalBench.main(arguments)
SLOOverviewBench.main(arguments)
if arguments.count == 1 || arguments[1] == "logs" { LogsBench.run() }
if arguments.count == 1 || arguments[1] == "logs-screen" { LogsScreenBench.run() }
if arguments.count == 1 || arguments[1] == "logs-screen" || arguments[1] == "log-feed" { LogFeedBench.run() }
RecordingBench.main(arguments)
