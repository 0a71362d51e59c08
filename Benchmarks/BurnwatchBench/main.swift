print("bench")
if CommandLine.arguments.count == 1 || CommandLine.arguments[1] == "ui" { uiBench() }
if CommandLine.arguments.count < 2 || CommandLine.arguments.contains("query") || CommandLine.arguments.contains("query-memory") { QueryBench.run() }
