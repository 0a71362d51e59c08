import BurnwatchCore
import BurnwatchRunbooks
import Testing

@Suite("Runbook lint")
struct LinterTests {
    func lint(_ folder: String, validator: CheckExpressionValidator = .structural) -> [RunbookFinding] {
        let loaded = RunbookLoader.library(includeBundled: false, teamDirectories: [Fixtures.folder(folder)])
        return loaded.findings + RunbookLinter(validator: validator).lint(loaded.library, libraryName: folder)
    }

    @Test func goodFolderHasNoFindings() {
        let findings = lint("good")
        #expect(findings.isEmpty, "\(findings)")
    }

    /// (kind, file, text on the line) of every problem planted in `Fixtures/bad`.
    static let planted: [(RunbookFinding.Kind, String, String)] = [
        (.brokenLink, "README.md", "[a missing file](nowhere.md)"),
        (.missingAnchor, "README.md", "errors.md#no-such-heading"),
        (.malformedSignalAnnotation, "README.md", "not_a_signal"),
        (.malformedSignalAnnotation, "README.md", "<!-- burnwatch:signals -->"),
        (.malformedSignalAnnotation, "README.md", "burnwatch:signals latency"),
        (.duplicateAnchor, "README.md", "## Retry storms"),  // the second one; checked below
        (.malformedCheckAnnotation, "README.md", "No operator"),
        (.malformedCheckAnnotation, "README.md", "Unbalanced"),
        (.malformedCheckAnnotation, "README.md", "Empty expression"),
        (.malformedCheckAnnotation, "README.md", "Unclosed quote"),
        (.malformedCheckAnnotation, "README.md", "A check outside a checklist"),
        (.missingAnchor, "README.md", "(#nope)"),
        (.unknownAnnotation, "errors.md", "burnwatch:mystery"),
    ]

    @Test func badFolderReportsEachProblemOnItsLine() throws {
        let findings = lint("bad")
        var expected: [(RunbookFinding.Kind, String, Int)] = []
        for (kind, file, needle) in Self.planted {
            var line = try Fixtures.line(of: needle, in: "bad", file)
            if kind == .duplicateAnchor {
                let second = try Fixtures.line(of: "Some text first.", in: "bad", file)
                line = try #require(try linesContaining(needle, "bad", file).first { $0 > second })
            }
            expected.append((kind, file, line))
        }
        for (kind, file, line) in expected {
            #expect(findings.contains { $0.kind == kind && $0.file.hasSuffix("/bad/\(file)") && $0.line == line },
                    "missing \(kind) at \(file):\(line) in \(findings.map(\.description))")
        }
        let lineFindings = findings.filter { $0.kind != .unansweredSignal }
        #expect(lineFindings.count == expected.count, "\(lineFindings.map(\.description))")
        // Signals answered: retry_storm (kept despite the unknown kind beside it) and saturation.
        let unanswered = findings.filter { $0.kind == .unansweredSignal }.map(\.message)
        #expect(unanswered.count == SignalKind.allCases.count - 2)
        #expect(!unanswered.contains { $0.contains("'retry_storm'") || $0.contains("'saturation'") })
        #expect(unanswered.contains { $0.contains("'latency'") }, "a misplaced annotation must not count")
    }

    @Test func findingsPrintAsFileLineMessage() {
        let finding = lint("bad").first { $0.kind == .brokenLink }
        #expect(finding?.description.hasSuffix("/bad/README.md:3: broken link 'nowhere.md': no runbook named 'nowhere.md'") == true)
        #expect(finding?.error.code == .runbook)
        #expect(finding?.error.position?.line == 3)
    }

    @Test func checkValidatorSeamIsUsed() {
        let rejectAll = CheckExpressionValidator { "rejected: \($0)" }
        let findings = lint("good", validator: rejectAll)
        #expect(findings.count == 3)
        #expect(findings.allSatisfy { $0.kind == .malformedCheckAnnotation && $0.message.hasPrefix("rejected: ") })
    }

    @Test("structural validator", arguments: [
        ("sum(rate(x[5m]))", true),
        ("sum by (job) (rate(x{a=\"(\"}[5m]))", true),
        ("sum(rate(x[5m])", false),
        ("rate(x[5m)]", false),
        ("x{a=\"b}", false),
        ("x +", false),
        ("", false),
        ("'esc\\'aped'", true),
    ])
    func structural(expression: String, valid: Bool) {
        #expect((CheckExpressionValidator.structural.validate(expression) == nil) == valid)
    }

    func linesContaining(_ needle: String, _ folder: String, _ file: String) throws -> [Int] {
        let text = try String(contentsOfFile: "\(Fixtures.folder(folder))/\(file)", encoding: .utf8)
        return text.components(separatedBy: "\n").enumerated().filter { $0.element.contains(needle) }.map { $0.offset + 1 }
    }
}
