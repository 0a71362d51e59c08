print("bench")
StartupBench.run(CommandLine.arguments)
