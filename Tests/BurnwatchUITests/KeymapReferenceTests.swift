import Foundation
import Testing
import BurnwatchTestSupport
@testable import BurnwatchUI

@Suite struct KeymapReferenceTests {
    @Test func readmeKeyTableIsTheGeneratedOne() throws {
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- keys:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- keys:end -->"))
        let embedded = String(readme[begin.upperBound..<end.lowerBound])
        let generated = KeymapReference.markdown(KeymapReference.console)
        #expect(embedded == generated, "README's key table is stale: run `burnwatch keys` and paste it between the markers")
    }

    @Test func everyBindingOfEveryScreenIsListed() {
        let text = KeymapReference.markdown(KeymapReference.console)
        for section in KeymapReference.console {
            #expect(text.contains("**\(section.title)**"))
            for entry in HelpOverlay(keymap: section.keymap).entries where !entry.heading {
                #expect(text.contains(entry.help.replacingOccurrences(of: "|", with: "\\|")), "missing: \(entry.help)")
            }
        }
        #expect(text.contains("| `q` | quit |"))
        #expect(text.contains("`?` `F1`"))
    }

    @Test func pipesInHelpDoNotBreakTheTable() {
        let map = Keymap([KeyBinding(keys: [.char("|")], action: .custom("x"), help: "a | b", group: "G")])
        let text = KeymapReference.markdown([.init(title: "G", keymap: map)])
        #expect(text.contains("| G | `\\|` | a \\| b |"))
    }
}
