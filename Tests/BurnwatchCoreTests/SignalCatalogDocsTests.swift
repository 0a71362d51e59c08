import BurnwatchCore
import BurnwatchTestSupport
import Foundation
import XCTest

final class SignalCatalogDocsTests: XCTestCase {
    /// docs/signals.md embeds the defaults table exactly as `burnwatch signals --table` prints it.
    func testDocsTableIsTheGeneratedOne() throws {
        for file in ["docs/signals.md", "README.md"] {
            let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(file), encoding: .utf8)
            guard let begin = text.range(of: "<!-- signals:begin -->\n"), let end = text.range(of: "<!-- signals:end -->") else {
                return XCTFail("\(file) lacks the signals:begin/end markers")
            }
            XCTAssertEqual(String(text[begin.upperBound..<end.lowerBound]), SignalCatalog.markdown(),
                           "\(file)'s defaults table is stale: paste `burnwatch signals --table` between the markers")
        }
    }

    func testEveryKindHasDefaultsAndSaneThresholds() {
        XCTAssertEqual(SignalCatalog.entries.map(\.kind), SignalKind.allCases)
        for e in SignalCatalog.entries {
            if let w = e.defaults.warn, let p = e.defaults.page { XCTAssertLessThanOrEqual(w, p, "\(e.kind)") }
            XCTAssertEqual(Set(e.defaults.parameters.keys), Set(e.parameterDocs.map(\.name)), "\(e.kind) documents every parameter")
        }
    }
}
