import BurnwatchUI

/// A dashboard-like screen that uses every widget, for timing full frames.
private struct BenchScreen: ScreenModel {
    var id = ScreenID("bench")
    var title = "Bench"
    var rows: [[Span]]
    var values: [Double?]
    var text: [RichLine]

    init() {
        rows = (0..<200).map { (i: Int) -> [Span] in
            let flame: String = i % 7 == 0 ? "🔥" : ""
            let paging: Bool = i % 5 == 0
            let name = Span("service-\(i) 服务 \(flame)")
            let state = Span(paging ? "page" : "ok", paging ? StyleRole.page : StyleRole.ok)
            let sli = Span("\(99 - i % 3).\(i % 100)%")
            let rate = Span("\(i * 13 % 997) rps")
            return [name, state, sli, rate]
        }
        values = (0..<400).map { (i: Int) -> Double? in
            if i % 37 == 0 { return nil }
            return Double((i * 7919) % 101)
        }
        text = (0..<80).map { (i: Int) -> RichLine in
            let spans: [Span] = [
                Span("\(i). "),
                Span("Retries above 10% warn, above 20% page; ", StyleRole.warning),
                Span("see reliability.md#retries ", StyleRole.link),
                Span("log line with \u{1B}[31m escape and 日本語 text, e\u{0301}, wrapped at display width."),
            ]
            return RichLine(spans, hangingIndent: 3)
        }
    }

    mutating func handle(_ input: ScreenInput, context: ScreenContext) -> ScreenResponse { .ignored }

    func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext) {
        let g = context.glyphs
        let cols = area.columns([.percentage(55), .fill(1)], spacing: 1)
        let block = Block(title: "Services", glyphs: g)
        block.render(into: &buffer, area: cols[0])
        Table(columns: [TableColumn("service"), TableColumn("state", width: .length(5)),
                        TableColumn("SLI", width: .length(8), alignment: .right),
                        TableColumn("rate", width: .length(9), alignment: .right)],
              rows: rows, selected: 120, glyphs: g).render(into: &buffer, area: block.inner(cols[0]))
        let right = cols[1].rows([.length(4), .length(4), .length(3), .fill(1)])
        Sparkline(values: values, mode: .braille, glyphs: g).render(into: &buffer, area: right[0])
        Sparkline(values: values, mode: .blocks, glyphs: g).render(into: &buffer, area: right[1])
        for (i, r) in right[2].rows([.length(1), .length(1), .length(1)]).enumerated() {
            Gauge(ratio: i == 2 ? nil : 0.37 * Double(i + 1), glyphs: g).render(into: &buffer, area: r)
        }
        RichText(lines: text, scroll: 10, glyphs: g).render(into: &buffer, area: right[3])
    }
}

/// Times a full 200×60 frame (`view` of a state whose screen uses every widget) and the row diff.
///
/// Prints the median and the 90th percentile over 200 runs after 20 warm-up runs.
func uiBench() {
    let size = TerminalSize(width: 200, height: 60)
    let clock = ContinuousClock()
    for (name, glyphs) in [("unicode", Glyphs.unicode), ("ascii", Glyphs.ascii)] {
        var state = AppState(screens: [BenchScreen()], size: size, glyphs: glyphs)
        state.status = StatusMessage("benchmark")
        var previous: ScreenBuffer? = nil
        var renderTimes: [Duration] = []
        var diffTimes: [Duration] = []
        var changed = 0
        for run in 0..<220 {
            var frame = ScreenBuffer(width: 1, height: 1)
            let t = clock.measure { frame = view(state, size: size) }
            var rows: [Int] = []
            let d = clock.measure { rows = frame.changedRows(since: previous) }
            changed += rows.count
            previous = frame
            if run >= 20 {
                renderTimes.append(t)
                diffTimes.append(d)
            }
        }
        func ms(_ d: Duration) -> String {
            let micros = d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000
            return "\(micros / 1000).\(String(micros % 1000).leftPadded(to: 3)) ms"
        }
        renderTimes.sort()
        diffTimes.sort()
        print("ui frame 200x60 \(name): median \(ms(renderTimes[renderTimes.count / 2])), "
              + "p90 \(ms(renderTimes[renderTimes.count * 9 / 10])), runs \(renderTimes.count); "
              + "row diff median \(ms(diffTimes[diffTimes.count / 2])) (rows changed after the first frame: \(changed - size.height))")
    }
}

private extension String {
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
