print("bench")
ExpositionBench.main(CommandLine.arguments)
