import BurnwatchCore

/// The panes of the metrics screen, in focus order.
public enum MetricsPane: Int, Hashable, Sendable, CaseIterable {
    case targets, series, chart
}

/// A chart request: the expression sent to the engine and the thresholds drawn over it.
public struct MetricsChartRequest: Hashable, Sendable {
    public var expression: String
    public var thresholds: [Double]

    /// Splits `text` into an expression and a trailing threshold: `rate(x[1m]) > 0.1` charts
    /// `rate(x[1m])` with a line at 0.1 (`>`, `<`, `>=`, `<=` followed by a number).
    public static func parse(_ text: String) -> MetricsChartRequest {
        let trimmed = text.trimmingSpaces
        let chars = Array(trimmed)
        var j = chars.count - 1
        while j >= 0, !"<>".contains(chars[j]) { j -= 1 }
        if j > 0 {
            let numberStart = j + 1 < chars.count && chars[j + 1] == "=" ? j + 2 : j + 1
            let number = String(chars[numberStart...]).trimmingSpaces
            let expression = String(chars[..<j]).trimmingSpaces
            if let value = Double(number), value.isFinite, !expression.isEmpty {
                return MetricsChartRequest(expression: expression, thresholds: [value])
            }
        }
        return MetricsChartRequest(expression: trimmed, thresholds: [])
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}

/// The metrics screen's state: targets, the series browser with its filter, and the chart.
public struct MetricsScreenState: Hashable, Sendable {
    public internal(set) var targets: [TargetHealth] = []
    public internal(set) var targetSelected = 0
    public internal(set) var catalog: [SeriesSummary] = []
    public internal(set) var catalogTotal = 0
    /// Words that every shown series must contain (name or labels, case-insensitive).
    public internal(set) var filter = ""
    /// Indexes into `catalog` of the series the filter keeps.
    public internal(set) var filtered: [Int] = []
    public internal(set) var seriesSelected = 0
    /// The selected series' recent values (a watched query of its selector).
    public internal(set) var seriesHistory: MetricsQueryResult?
    public internal(set) var chart: MetricsChartRequest?
    public internal(set) var chartResult: MetricsQueryResult?
    public internal(set) var focus: MetricsPane = .series
    public var glyphs: Glyphs

    public init(targets: [TargetHealth] = [], glyphs: Glyphs = .unicode) {
        self.targets = targets
        self.glyphs = glyphs
    }

    /// The selected series, if any.
    public var selectedSeries: SeriesSummary? {
        filtered.indices.contains(seriesSelected) ? catalog[filtered[seriesSelected]] : nil
    }

    /// The PromQL selector of a series: its labels in Prometheus's text form.
    public static func selector(_ labels: Labels) -> String { labels.description }

    /// Replaces the catalog, keeping the selection on the same series when it is still there.
    mutating func applyCatalog(_ update: MetricsSeriesCatalog) {
        let key = selectedSeries?.labels
        catalog = update.series
        catalogTotal = update.total
        refilter(keeping: key)
    }

    /// Sets the filter and recomputes the shown series.
    mutating func setFilter(_ text: String) {
        filter = text.trimmingSpaces
        refilter(keeping: selectedSeries?.labels)
    }

    mutating func refilter(keeping key: Labels?) {
        let words = filter.lowercased().split(separator: " ").map(String.init)
        filtered = catalog.indices.filter { i in
            words.isEmpty || { let text = catalog[i].labels.description.lowercased(); return words.allSatisfy { text.contains($0) } }()
        }
        if let key, let i = filtered.firstIndex(where: { catalog[$0].labels == key }) {
            seriesSelected = i
        } else {
            seriesSelected = min(seriesSelected, max(0, filtered.count - 1))
        }
    }

    mutating func applyTargets(_ update: MetricsTargetsUpdate) {
        targets = update.targets
        targetSelected = min(targetSelected, max(0, targets.count - 1))
    }

    /// Takes a watched query's result for the pane that asked for it (stale answers are ignored).
    mutating func applyResult(_ result: MetricsQueryResult) -> Bool {
        switch result.purpose {
        case .chart:
            guard result.expression == chart?.expression else { return false }
            chartResult = result
        case .series:
            guard let s = selectedSeries, result.expression == Self.selector(s.labels) else { return false }
            seriesHistory = result
        }
        return true
    }

    /// Moves within the focused pane; returns the series selector to watch when the selection changed.
    mutating func move(by delta: Int) -> String? {
        switch focus {
        case .targets:
            targetSelected = min(max(0, targetSelected + delta), max(0, targets.count - 1))
        case .series:
            let before = selectedSeries?.labels
            seriesSelected = min(max(0, seriesSelected + delta), max(0, filtered.count - 1))
            if let s = selectedSeries, s.labels != before {
                seriesHistory = nil
                return Self.selector(s.labels)
            }
        case .chart:
            break
        }
        return nil
    }

    mutating func focusNext(_ delta: Int) {
        let all = MetricsPane.allCases
        focus = all[((focus.rawValue + delta) % all.count + all.count) % all.count]
    }

    /// Charts `text` (`EXPR` or `EXPR > threshold`); returns the expression to watch.
    mutating func setChart(_ text: String) -> String? {
        let request = MetricsChartRequest.parse(text)
        guard !request.expression.isEmpty else { chart = nil; chartResult = nil; return nil }
        chart = request
        chartResult = nil
        focus = .chart
        return request.expression
    }
}
