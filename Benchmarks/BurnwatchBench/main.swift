print("bench")
SLOBench.main(CommandLine.arguments)
