print("bench")
ExpositionBench.main(CommandLine.arguments)
ScrapeBench.main(CommandLine.arguments)
SLOBench.main(CommandLine.arguments)
