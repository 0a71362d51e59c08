import BurnwatchCore
@testable import BurnwatchUI

/// A screen that records what it is sent, for reduce tests.
struct RecordingScreen: ScreenModel {
    var id: ScreenID
    var title: String
    var inputs: [String] = []
    var handles = true
    var backHandled = false
    var keymap: Keymap = Keymap([])
    var capturesKeys = false

    mutating func handle(_ input: ScreenInput, context: ScreenContext) -> ScreenResponse {
        switch input {
        case .action(.back):
            inputs.append("back")
            return ScreenResponse(handled: backHandled)
        case .action(let a): inputs.append("action \(a)")
        case .key(let k): inputs.append("key \(k)")
        case .search(let q, let forward): inputs.append("search \(q) \(forward ? "fwd" : "back")")
        case .command(let words):
            inputs.append("command \(words.joined(separator: " "))")
            if words.first == "note" { return ScreenResponse(handled: true, prompt: .input(id: "note", label: "Note")) }
            if words.first == "jump" { return ScreenResponse(handled: true, navigate: ScreenID(words[1])) }
            if words.first == "save" { return ScreenResponse(handled: true, effects: [.custom(name: "save", arguments: [])]) }
            return .ignored
        case .input(let id, let text): inputs.append("input \(id) \(text)")
        case .mouse(let m): inputs.append("mouse \(m.button) \(m.x),\(m.y)")
        case .tick: inputs.append("tick"); return .ignored
        case .external: inputs.append("external")
        case .activated: inputs.append("activated")
        }
        return ScreenResponse(handled: handles)
    }

    func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext) {
        buffer.write("\(title) body", x: area.x, y: area.y)
    }
}

/// An overview screen built from every widget, for composed snapshots.
struct OverviewScreen: ScreenModel {
    var id = ScreenID("overview")
    var title = "Overview"
    var selected = 1

    func statusSegments(context: ScreenContext) -> [StatusSegment] {
        [StatusSegment("svc \(selected + 1)/5"), StatusSegment("  burn 14.4x", style: Style(.page))]
    }

    mutating func handle(_ input: ScreenInput, context: ScreenContext) -> ScreenResponse {
        switch input {
        case .action(.down): selected = min(4, selected + 1); return .changed
        case .action(.up): selected = max(0, selected - 1); return .changed
        default: return .ignored
        }
    }

    func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext) {
        let g = context.glyphs
        let halves = area.rows([.percentage(50), .fill(1)])
        let top = halves[0].columns([.fill(3), .fill(2)], spacing: 1)
        let tableBlock = Block(title: "Services", glyphs: g)
        tableBlock.render(into: &buffer, area: top[0])
        let rows: [[Span]] = [
            [Span("checkout"), Span("ok", .ok), Span("99.95%")],
            [Span("支払い-payments"), Span("page", .page), Span("97.10%")],
            [Span("🚀 launcher"), Span("warn", .warning), Span("99.20%")],
            [Span("cafe\u{0301}-api"), Span("ok", .ok), Span("99.99%")],
            [Span("evil\u{1B}[2J\u{202E}name"), Span("?", .muted), Span("n/a", .muted)],
        ]
        let table = Table(columns: [TableColumn("service", width: .fill(1)),
                                    TableColumn("state", width: .length(5)),
                                    TableColumn("SLI", width: .length(7), alignment: .right)],
                          rows: rows, selected: selected, glyphs: g)
        table.render(into: &buffer, area: tableBlock.inner(top[0]))

        let chartBlock = Block(title: "Error ratio", glyphs: g)
        chartBlock.render(into: &buffer, area: top[1])
        let inner = chartBlock.inner(top[1])
        let parts = inner.rows([.length(1), .length(1), .length(2), .length(1), .length(1), .fill(1)])
        var values: [Double?] = []
        for i in 0..<60 {
            let v: Double? = i % 17 == 5 ? nil : Double((i * 7) % 23)
            values.append(v)
        }
        buffer.write("blocks", in: parts[0], style: Style(.muted))
        Sparkline(values: values, mode: g.isUnicode ? .blocks : .ascii, glyphs: g).render(into: &buffer, area: parts[1])
        Sparkline(values: values, mode: g.isUnicode ? .braille : .ascii, glyphs: g).render(into: &buffer, area: parts[2])
        Gauge(ratio: 0.4321, glyphs: g).render(into: &buffer, area: parts[3])
        Gauge(ratio: nil, label: "budget", glyphs: g).render(into: &buffer, area: parts[4])

        let lines: [RichLine] = [
            RichLine([Span("Retry storm", .heading, [.bold])]),
            RichLine([Span("Retries above "), Span("10%", .warning), Span(" of requests warn; above "),
                      Span("20%", .page), Span(" they page. See "), Span("reliability.md#retries", .link), Span(".")]),
            RichLine([Span("\(g.bullet) "), Span("Cap retries with a budget and jittered backoff; never retry a non-idempotent call without a key.")],
                     hangingIndent: 2),
            RichLine([Span("\(g.bullet) "), Span("日本語のテキストも折り返す。絵文字 🔥 と結合文字 e\u{0301} も。")], hangingIndent: 2),
            RichLine([Span("log: "), Span("GET /x \u{1B}]0;pwned\u{07} 500", .code)], wraps: false),
        ]
        RichText(lines: lines, glyphs: g).render(into: &buffer, area: halves[1].inset(Margin(horizontal: 1)))
    }
}
