import BurnwatchCore

/// A braille line chart with axes: min/max labels on the left, time labels below, optional
/// horizontal threshold lines. Used by the metrics screen's chart pane and the SLO detail.
///
/// Each cell holds 2 × 4 dots, so an area of `w × h` cells plots `2w` steps at `4h` levels.
/// Consecutive points of a series are joined vertically; gaps (nil) stay empty.
public struct MetricsChart: Widget, Hashable, Sendable {
    /// The series, all with one value per step; the first is drawn last (on top).
    public var series: [ChartSeries]
    /// Horizontal lines (tier thresholds, `:chart EXPR > 0.1`).
    public var thresholds: [Double]
    /// The time of the first and last step (for the labels below), if known.
    public var start: Timestamp?
    public var end: Timestamp?
    public var glyphs: Glyphs
    /// Styles of the series, cycled.
    public var styles: [Style]
    /// Forces the value range (e.g. 0...1); by default it is the data and thresholds.
    public var range: ClosedRange<Double>?

    public init(series: [ChartSeries], thresholds: [Double] = [], start: Timestamp? = nil, end: Timestamp? = nil,
                glyphs: Glyphs = .unicode, styles: [Style] = [Style(.accent), Style(.info), Style(.ok), Style(.title)],
                range: ClosedRange<Double>? = nil) {
        self.series = series; self.thresholds = thresholds; self.start = start; self.end = end
        self.glyphs = glyphs; self.styles = styles; self.range = range
    }

    /// The value range drawn: the finite values and thresholds, widened when flat.
    public var effectiveRange: ClosedRange<Double> {
        if let range { return range }
        var lo = Double.infinity, hi = -Double.infinity
        for s in series { for case let v? in s.values where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        for t in thresholds where t.isFinite { lo = min(lo, t); hi = max(hi, t) }
        if lo > hi { return 0...1 }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            return (lo - pad)...(hi + pad)
        }
        return lo...hi
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard area.width >= 8, area.height >= 2 else { return }
        let r = effectiveRange
        let top = ChartFormat.number(r.upperBound), bottom = ChartFormat.number(r.lowerBound)
        let axisWidth = max(top.count, bottom.count) + 1
        let plot = Rect(x: area.x + axisWidth, y: area.y, width: area.width - axisWidth, height: area.height - 1)
        guard plot.width > 0, plot.height > 0 else { return }
        buffer.write(top, in: Rect(x: area.x, y: plot.y, width: axisWidth - 1, height: 1), style: Style(.muted), alignment: .right)
        buffer.write(bottom, in: Rect(x: area.x, y: plot.maxY - 1, width: axisWidth - 1, height: 1), style: Style(.muted), alignment: .right)
        for y in plot.y..<plot.maxY { buffer.write(glyphs.isUnicode ? "│" : "|", x: plot.x - 1, y: y, style: Style(.border)) }
        let axisRow = plot.maxY
        buffer.write(String(repeating: glyphs.isUnicode ? "─" : "-", count: plot.width), x: plot.x, y: axisRow, style: Style(.border))
        buffer.write(glyphs.isUnicode ? "└" : "+", x: plot.x - 1, y: axisRow, style: Style(.border))
        if let start, let end {
            let a = ChartFormat.clock(start), b = ChartFormat.clock(end)
            if plot.width >= a.count + b.count + 2 {
                buffer.write(a, x: plot.x, y: axisRow, style: Style(.muted))
                buffer.write(b, x: plot.maxX - b.count, y: axisRow, style: Style(.muted))
            }
        }
        let dotsWide = plot.width * 2, dotsHigh = plot.height * 4
        // One bit grid per layer: thresholds first, then series (later layers win the cell's style).
        var thresholdBits = [UInt8](repeating: 0, count: plot.width * plot.height)
        for t in thresholds where t.isFinite {
            let level = Self.level(t, r, dotsHigh)
            for dx in stride(from: 0, to: dotsWide, by: 2) { Self.setDot(&thresholdBits, plot, dx, level) }
        }
        var cellStyle = [Style?](repeating: nil, count: plot.width * plot.height)
        var seriesBits = [UInt8](repeating: 0, count: plot.width * plot.height)
        for (k, s) in series.enumerated().reversed() {
            let values = Array(s.values.suffix(dotsWide))
            let offset = dotsWide - values.count
            var previous: Int?
            for (i, value) in values.enumerated() {
                guard let value, value.isFinite else { previous = nil; continue }
                let level = Self.level(value, r, dotsHigh)
                let dx = offset + i
                let from = previous.map { min($0, level) } ?? level, to = previous.map { max($0, level) } ?? level
                for l in from...to {
                    Self.setDot(&seriesBits, plot, dx, l)
                    let cell = (plot.height - 1 - l / 4) * plot.width + dx / 2
                    cellStyle[cell] = styles[k % styles.count]
                }
                previous = level
            }
        }
        for cy in 0..<plot.height {
            for cx in 0..<plot.width {
                let i = cy * plot.width + cx
                let bits = seriesBits[i] | thresholdBits[i]
                guard bits != 0 else { continue }
                let style = seriesBits[i] != 0 ? (cellStyle[i] ?? styles[0]) : Style(.warning)
                if glyphs.isUnicode, let scalar = Unicode.Scalar(0x2800 + UInt32(bits)) {
                    buffer.write(String(Character(scalar)), x: plot.x + cx, y: plot.y + cy, style: style)
                } else {
                    buffer.write(seriesBits[i] != 0 ? "*" : "-", x: plot.x + cx, y: plot.y + cy, style: style)
                }
            }
        }
    }

    /// The dot row (0 = bottom) of `value` in `range` over `dots` rows.
    static func level(_ value: Double, _ range: ClosedRange<Double>, _ dots: Int) -> Int {
        let span = range.upperBound - range.lowerBound
        let f = span > 0 ? (min(max(value, range.lowerBound), range.upperBound) - range.lowerBound) / span : 0.5
        return min(dots - 1, max(0, Int((f * Double(dots - 1)).rounded())))
    }

    /// Sets the braille dot at dot column `dx`, dot row `level` (0 = bottom) of the plot.
    static func setDot(_ bits: inout [UInt8], _ plot: Rect, _ dx: Int, _ level: Int) {
        let cx = dx / 2, cy = plot.height - 1 - level / 4
        guard cx >= 0, cx < plot.width, cy >= 0, cy < plot.height else { return }
        let row = 3 - level % 4   // 0 = top dot row of the cell
        let left: [UInt8] = [0x01, 0x02, 0x04, 0x40], right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
        bits[cy * plot.width + cx] |= (dx % 2 == 0 ? left : right)[row]
    }
}

/// Short number and time text for charts, tables and headers (no Foundation).
public enum ChartFormat {
    /// A number in at most about 7 characters: `0.0123`, `14.4`, `1.23k`, `4.5e+09`, `NaN`.
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return "0" }
        let a = abs(v), sign = v < 0 ? "-" : ""
        if a >= 1e15 || a < 1e-4 { return sign + scientific(a) }
        let suffixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (scale, suffix) in suffixes where a >= scale { return sign + fixed(a / scale, significant: 3) + suffix }
        return sign + fixed(a, significant: 3)
    }

    /// `a` (≥ 0) rounded to `significant` digits, without trailing zeros.
    static func fixed(_ a: Double, significant: Int) -> String {
        var decimals = significant - 1
        var m = a
        while m >= 10, decimals > 0 { m /= 10; decimals -= 1 }
        var t = a
        while t < 1, t > 0, decimals < 6 { t *= 10; decimals += 1 }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let n = (a * scale).rounded()
        let whole = Int64(n / scale)
        var frac = Int64(n) - whole * Int64(scale)
        var digits = decimals
        while digits > 0, frac % 10 == 0 { frac /= 10; digits -= 1 }
        if digits == 0 { return String(whole) }
        let f = String(frac)
        return String(whole) + "." + String(repeating: "0", count: digits - f.count) + f
    }

    static func scientific(_ a: Double) -> String {
        var e = 0, m = a
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        return fixed(m, significant: 2) + (e < 0 ? "e-" : "e+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
    }

    /// A ratio as a percentage: `12.3%`, `0.05%`.
    public static func percent(_ v: Double) -> String { number(v * 100) + "%" }

    /// `HH:MM:SS` (UTC) of a time.
    public static func clock(_ t: Timestamp) -> String {
        let s = ((t.milliseconds / 1000) % 86_400 + 86_400) % 86_400
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
    }

    /// A duration in its largest unit: `850ms`, `12s`, `3m`, `5h`, `2d`.
    public static func duration(seconds: Double) -> String {
        if !seconds.isFinite { return "∞" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 120 { return "\(Int(seconds))s" }
        if seconds < 7200 { return "\(Int(seconds / 60))m" }
        if seconds < 172_800 { return "\(Int(seconds / 3600))h" }
        return "\(Int(seconds / 86_400))d"
    }
}
