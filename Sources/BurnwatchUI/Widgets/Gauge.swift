/// A horizontal bar for a ratio with a label; nil (or NaN) shows "no data" instead of an empty bar.
public struct Gauge: Widget, Hashable, Sendable {
    /// The filled fraction, clamped to 0...1; nil when there is no data.
    public var ratio: Double?
    /// Text after the bar; by default the ratio as a percentage.
    public var label: String?
    public var style: Style
    public var glyphs: Glyphs

    public init(ratio: Double?, label: String? = nil, style: Style = Style(.accent), glyphs: Glyphs = .unicode) {
        self.ratio = ratio
        self.label = label
        self.style = style
        self.glyphs = glyphs
    }

    /// The label shown: the given one, or the percentage with one decimal, or "no data".
    public var labelText: String {
        guard let ratio, ratio.isFinite else { return label.map { "\($0) no data" } ?? "no data" }
        if let label { return label }
        let tenths = Int((min(max(ratio, 0), 1) * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let row = area.row(0)
        let text = labelText
        let labelWidth = min(DisplayWidth.ofSafe(text), row.width)
        let barWidth = max(0, row.width - labelWidth - 1)
        guard let ratio, ratio.isFinite else {
            buffer.write(text, in: row, style: Style(.muted), ellipsis: glyphs.ellipsis)
            return
        }
        let clamped = min(max(ratio, 0), 1)
        let partials = glyphs.barPartials
        let steps = partials.count + 1
        let units = Int((clamped * Double(barWidth * steps)).rounded())
        let full = units / steps
        let rest = units % steps
        var bar = String(repeating: String(glyphs.barFull), count: full)
        if rest > 0, full < barWidth { bar.append(partials[rest - 1]) }
        let barCells = DisplayWidth.of(bar)
        buffer.write(bar, x: row.x, y: row.y, style: style, limit: row.x + barWidth)
        if barCells < barWidth {
            buffer.write(String(repeating: String(glyphs.barEmpty), count: barWidth - barCells),
                         x: row.x + barCells, y: row.y, style: Style(.muted), limit: row.x + barWidth)
        }
        buffer.write(text, in: Rect(x: row.maxX - labelWidth, y: row.y, width: labelWidth, height: 1),
                     style: Style(.normal), alignment: .right, ellipsis: glyphs.ellipsis)
    }
}
