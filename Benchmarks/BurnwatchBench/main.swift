print("bench")
if CommandLine.arguments.count < 2 || CommandLine.arguments.contains("logs") { LogsBench.run() }
