import ArgumentParser
import BurnwatchUI

/// `burnwatch keys`: the key reference, generated from the keymaps the console uses.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Print every key binding of the console as Markdown (the README's key table).")

    func run() throws {
        print(KeymapReference.markdown(KeymapReference.console), terminator: "")
    }
}
