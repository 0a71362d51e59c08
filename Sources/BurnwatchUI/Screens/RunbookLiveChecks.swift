import BurnwatchCore
import BurnwatchRunbooks

/// A live check's latest result and when it was evaluated.
public struct LiveCheckStatus: Hashable, Sendable {
    public var result: LiveCheckResult
    public var at: Timestamp
    public init(result: LiveCheckResult, at: Timestamp) { self.result = result; self.at = at }
}

/// Results of live checks, keyed by checklist item id, all evaluated at `at`: sent by the watch session.
public struct LiveCheckResultsEvent: ExternalEvent, Hashable {
    public var results: [String: LiveCheckResult]
    public var at: Timestamp
    public init(results: [String: LiveCheckResult], at: Timestamp) { self.results = results; self.at = at }
}

/// A checklist item's id and its check: what the screen asks the session to evaluate.
public struct LiveCheckRequest: Hashable, Sendable {
    public var itemID: String
    public var check: LiveCheck
    public init(itemID: String, check: LiveCheck) { self.itemID = itemID; self.check = check }
}

/// The `runbook.checks` effect: the checks of the document on screen, for the run loop to evaluate.
public enum LiveCheckEffects {
    static let name = "runbook.checks"

    /// The effect asking for `requests` to be evaluated (replacing any earlier request); empty stops.
    public static func request(_ requests: [LiveCheckRequest]) -> Effect {
        .custom(name: name, arguments: requests.flatMap {
            [$0.itemID, $0.check.expression, $0.check.comparison.rawValue, String($0.check.threshold)]
        })
    }

    /// The checks an effect asks for, or nil when the effect is something else.
    public static func parse(_ effect: Effect) -> [LiveCheckRequest]? {
        guard case .custom(let n, let a) = effect, n == name, a.count % 4 == 0 else { return nil }
        var out: [LiveCheckRequest] = []
        for i in stride(from: 0, to: a.count, by: 4) {
            guard let comparison = LiveCheck.Comparison(rawValue: a[i + 2]), let threshold = Double(a[i + 3]) else { continue }
            out.append(LiveCheckRequest(itemID: a[i], check: LiveCheck(expression: a[i + 1], comparison: comparison, threshold: threshold)))
        }
        return out
    }
}

/// How a live check's result reads beside its item and in its evidence.
public enum LiveCheckText {
    /// Series listed in the evidence at most.
    public static let evidenceSeriesLimit = 10

    static func passGlyph(_ g: Glyphs) -> String { g.isUnicode ? "✓" : "ok" }
    static func failGlyph(_ g: Glyphs) -> String { g.isUnicode ? "✗" : "X" }
    static func noDataGlyph(_ g: Glyphs) -> String { g.isUnicode ? "·" : "-" }

    /// The badge beside the item and its style: `✓ 0.03 < 0.1`, `✗ 0.25 (peer="db")`, `· no data`, `! error`,
    /// or a muted `(live check)` when nothing has been evaluated.
    public static func badge(check: LiveCheck, status: LiveCheckStatus?, glyphs: Glyphs) -> (text: String, style: Style) {
        guard let status else { return ("(live check)", Style(.muted)) }
        switch status.result {
        case .pass(let samples):
            let shown = nearestToThreshold(samples, check: check)
            var text = "\(passGlyph(glyphs)) \(number(shown?.value ?? 0)) \(check.comparison.rawValue) \(check.thresholdText)"
            if samples.count > 1 { text += " (\(samples.count) series)" }
            return (text, Style(.ok))
        case .fail(let samples, _):
            let failing = samples.filter { !$0.passes }
            let first = nearestToThreshold(failing, check: check, worst: true) ?? failing.first
            var text = "\(failGlyph(glyphs)) \(number(first?.value ?? .nan))"
            if let labels = first?.labels, !shownLabels(labels).isEmpty { text += " (\(shownLabels(labels)))" }
            else { text += " (want \(check.comparison.rawValue) \(check.thresholdText))" }
            if failing.count > 1 { text += " +\(failing.count - 1) more" }
            return (text, Style(.page, [.bold]))
        case .noData:
            return ("\(noDataGlyph(glyphs)) no data", Style(.muted))
        case .error:
            return ("! error", Style(.warning))
        }
    }

    /// The evidence lines of a check: the condition, then the value per series (or why there is none).
    public static func evidence(check: LiveCheck, status: LiveCheckStatus?, glyphs: Glyphs) -> [(text: String, style: Style)] {
        var lines: [(String, Style)] = [("check: \(check.description)", Style(.code))]
        guard let status else {
            lines.append(("not evaluated here: live checks run in burnwatch watch, on the metrics it scrapes", Style(.muted)))
            return lines
        }
        let when = "at \(shortTime(status.at))"
        switch status.result {
        case .noData:
            lines.append(("\(when): no data (the query returned no series; not a pass)", Style(.muted)))
        case .error(let message):
            lines.append(("\(when): error: \(message)", Style(.warning)))
        case .pass(let samples), .fail(let samples, _):
            let failing = samples.filter { !$0.passes }.count
            let summary = failing == 0 ? "all \(samples.count) series pass" : "\(failing) of \(samples.count) series fail"
            lines.append(("\(when): \(summary)", Style(failing == 0 ? .ok : .page)))
            let ordered = samples.filter { !$0.passes } + samples.filter(\.passes)
            for sample in ordered.prefix(evidenceSeriesLimit) {
                let labels = shownLabels(sample.labels)
                let glyph = sample.passes ? passGlyph(glyphs) : failGlyph(glyphs)
                lines.append(("\(glyph) \(number(sample.value)) \(labels.isEmpty ? "(no labels)" : labels)",
                              Style(sample.passes ? .ok : .page)))
            }
            if ordered.count > evidenceSeriesLimit {
                lines.append(("\(glyphs.ellipsis) \(ordered.count - evidenceSeriesLimit) more series", Style(.muted)))
            }
        }
        return lines
    }

    /// Labels as `peer="db", code="500"` without the metric name (values are untrusted: the buffer escapes them).
    static func shownLabels(_ labels: Labels) -> String {
        labels.filter { $0.name != "__name__" }.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ", ")
    }

    /// The sample closest to failing (largest for `<`, smallest for `>`); with `worst`, the farthest past the threshold.
    static func nearestToThreshold(_ samples: [LiveCheckSample], check: LiveCheck, worst: Bool = false) -> LiveCheckSample? {
        if samples.contains(where: { $0.value.isNaN }) { return samples.first { $0.value.isNaN } }
        switch check.comparison {
        case .less, .lessOrEqual: return samples.max { $0.value < $1.value }
        case .greater, .greaterOrEqual: return samples.min { $0.value < $1.value }
        case .equal, .notEqual: return samples.first
        }
    }

    /// A value to three significant digits (`0.0312`, `1234`, `NaN`).
    public static func number(_ v: Double) -> String {
        guard v.isFinite, v != 0 else { return PromNumberFormat.format(v) }
        var m = Swift.abs(v)
        var k = 0
        while m < 100, k < 40 { m *= 10; k += 1 }
        while m >= 1000 { m /= 10; k -= 1 }
        var scale = 1.0
        for _ in 0..<Swift.abs(k) { scale *= 10 }
        let rounded = m.rounded()
        let magnitude = k >= 0 ? rounded / scale : rounded * scale
        return PromNumberFormat.format(v < 0 ? -magnitude : magnitude)
    }
}

extension RunbookScreenState {
    /// The checks of the open document, as a request for the session.
    public var liveCheckRequests: [LiveCheckRequest] {
        (document?.checklistItems ?? []).compactMap { item in
            item.liveCheck.map { LiveCheckRequest(itemID: item.id, check: $0) }
        }
    }

    /// Records results; lays out again when one of the open document's items changed.
    mutating func applyLiveChecks(_ event: LiveCheckResultsEvent) {
        var changed = false
        let shown = Set((document?.checklistItems ?? []).map(\.id))
        for (id, result) in event.results {
            let status = LiveCheckStatus(result: result, at: event.at)
            if liveChecks[id]?.result != result, shown.contains(id) { changed = true }
            liveChecks[id] = status
        }
        if changed || event.results.keys.contains(where: { evidenceItems.contains($0) }) { relayoutKeepingView() }
    }

    /// Shows or hides the evidence of the focused item's live check.
    mutating func toggleEvidence() {
        guard let id = focusedItemID else { message = "no checklist item here"; return }
        guard document?.checklistItems.first(where: { $0.id == id })?.liveCheck != nil else {
            message = "no live check on this item"
            return
        }
        if evidenceItems.contains(id) { evidenceItems.remove(id) } else { evidenceItems.insert(id) }
        relayoutKeepingView()
    }

    /// Lays out again and keeps the focused element and scroll where they were.
    mutating func relayoutKeepingView() {
        let focused = place.focus.flatMap { layout.focusables.indices.contains($0) ? layout.focusables[$0].kind : nil }
        relayout()
        if let focused, let index = layout.focusables.firstIndex(where: { $0.kind == focused }) { place.focus = index }
        clampScroll()
    }
}
