import BurnwatchConfig
import BurnwatchCore
import BurnwatchTestSupport
import Foundation
import Testing

/// Mutated example files either load or fail with a `.config` error that names file, line and column.
@Suite struct ConfigMutationTests {
    @Test(arguments: ["burnwatch.yaml", "slos/sloth-payments.yaml", "slos/openslo-search.yaml", "slos/sloth-plugins-multidoc.yaml",
                     "slos/sloth-crd-checkout.yaml", "slos/openslo-v1alpha-checkout.yaml"])
    func mutatedFilesFailWithAPosition(_ name: String) throws {
        let url = TestPaths.packageRoot.appendingPathComponent("Examples/\(name)")
        let original = Array(try String(contentsOf: url, encoding: .utf8))
        let replacements: [Character] = [":", "-", " ", "\n", "{", "}", "[", "\"", "'", "x", "9", "|", "#", "\t"]
        var rng = SeededRandom(seed: UInt64(name.count) &* 7919)
        var failures = 0
        for _ in 0..<300 {
            var text = original
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(text.count))
                switch rng.next() % 3 {
                case 0: text[at] = replacements[Int(rng.next() % UInt64(replacements.count))]
                case 1: text.remove(at: at)
                default: text.insert(replacements[Int(rng.next() % UInt64(replacements.count))], at: at)
                }
            }
            do {
                if name.hasPrefix("slos/") { _ = try SLOFileImporter.parse(String(text), file: "m.yaml") }
                else { _ = try ConfigLoader.parse(String(text), file: "m.yaml") }
            } catch let e as BurnwatchError {
                failures += 1
                #expect(e.code == .config)
                #expect(e.position?.source == "m.yaml" && e.position?.line != nil && e.position?.column != nil, "\(e)")
            }
        }
        #expect(failures > 30)
    }
}
