import BurnwatchCore
import BurnwatchRunbooks

/// Runbook Markdown with annotations: any text parses; findings point at lines of the text; the
/// annotation readers take any comment body.
enum RunbookFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        let text = fuzzText(data)
        let document = RunbookParser.parse(text, fileName: "fuzz.md")
        let lines = max(document.sourceLines.count, 1)
        for finding in document.annotationFindings {
            fuzzCheck(finding.line >= 0 && finding.line <= lines + 1, "finding line \(finding.line) outside 0...\(lines + 1)")
        }
        let scan = RunbookAnnotation.scan(text)
        for comment in scan.comments {
            _ = RunbookAnnotation.parseSignals(comment.body)
            _ = RunbookAnnotation.parseCheck(comment.body)
        }
        _ = RunbookAnnotation.parseCheck(text)
        _ = RunbookAnnotation.parseSignals(text)
    }
}
