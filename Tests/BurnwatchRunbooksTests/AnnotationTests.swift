import BurnwatchCore
import BurnwatchRunbooks
import Testing

@Suite("Runbook annotations")
struct AnnotationTests {
    @Test("check conditions", arguments: [
        ("x < 0.1", "x", LiveCheck.Comparison.less, 0.1),
        ("x<=5", "x", .lessOrEqual, 5),
        ("rate(a{b!=\"c\"}[5m]) > -1e-3", "rate(a{b!=\"c\"}[5m])", .greater, -0.001),
        ("sum(x) >= 10000", "sum(x)", .greaterOrEqual, 10000),
        ("up == 1", "up", .equal, 1),
        ("up != 0", "up", .notEqual, 0),
    ])
    func parseCheck(body: String, expression: String, comparison: LiveCheck.Comparison, threshold: Double) throws {
        let check = try RunbookAnnotation.parseCheck(body).get()
        #expect(check == LiveCheck(expression: expression, comparison: comparison, threshold: threshold))
    }

    @Test("bad check conditions", arguments: ["", "sum(x)", "x <", "< 3", "x < ten", "x =< 3", "x < nan"])
    func badCheck(body: String) {
        #expect(throws: AnnotationError.self) { try RunbookAnnotation.parseCheck(body).get() }
    }

    @Test func checkEvaluatesEverySample() {
        let check = LiveCheck(expression: "x", comparison: .less, threshold: 0.1)
        #expect(check.evaluate([]) == nil)
        #expect(check.evaluate([0.01, 0.05]) == true)
        #expect(check.evaluate([0.01, 0.5]) == false)
        #expect(check.description == "x < 0.1")
    }

    @Test func signalsKeepKnownKindsAndNameUnknownOnes() {
        let parsed = RunbookAnnotation.parseSignals("retry_storm, bogus dependency_failure")
        #expect(parsed.kinds == [.retryStorm, .dependencyFailure])
        #expect(parsed.problem?.contains("'bogus'") == true)
        #expect(RunbookAnnotation.parseSignals("  ").problem != nil)
        #expect(RunbookAnnotation.parseSignals("slo_burn").problem == nil)
    }

    @Test func signalsAttachToTheSectionAboveOnly() {
        let text = """
        # Top

        ## A
        <!-- burnwatch:signals retry_storm -->
        <!-- burnwatch:signals latency -->

        ## B

        <!-- burnwatch:signals saturation -->
        """
        let doc = RunbookParser.parse(text, fileName: "t.md")
        #expect(doc.section(anchor: "a")?.signals == [.retryStorm, .latency])
        #expect(doc.section(anchor: "b")?.signals == [.saturation])
        #expect(doc.annotationFindings.isEmpty)

        let late = RunbookParser.parse("# T\n\ntext\n\n<!-- burnwatch:signals saturation -->\n", fileName: "t.md")
        #expect(late.sections[0].signals.isEmpty)
        #expect(late.annotationFindings.map(\.line) == [5])
        #expect(late.annotationFindings.map(\.kind) == [.malformedSignalAnnotation])
    }
}
