/// A small chart of recent values: braille dots, block eighths or ASCII; nil values are gaps.
///
/// The newest values are drawn at the right; what does not fit drops off the left. A value of
/// zero still draws the lowest mark, so that "zero" and "no data" look different.
public struct Sparkline: Widget, Hashable, Sendable {
    public enum Mode: Hashable, Sendable {
        /// Two values per column, four dot rows per line (U+2800 braille).
        case braille
        /// One value per column, eight levels per line.
        case blocks
        /// One value per column, ASCII marks.
        case ascii
    }

    public var values: [Double?]
    public var mode: Mode
    /// The value range mapped to the height; by default `min(0, lowest)...highest`.
    public var range: ClosedRange<Double>?
    public var style: Style
    public var glyphs: Glyphs

    public init(values: [Double?], mode: Mode = .blocks, range: ClosedRange<Double>? = nil,
                style: Style = Style(.accent), glyphs: Glyphs = .unicode) {
        self.values = values
        self.mode = mode
        self.range = range
        self.style = style
        self.glyphs = glyphs
    }

    /// The scale used: the given range or one derived from the finite values.
    public var effectiveRange: ClosedRange<Double> {
        if let range { return range }
        let finite = values.compactMap { $0 }.filter { $0.isFinite }
        let lo = min(0, finite.min() ?? 0)
        var hi = finite.max() ?? 1
        if hi <= lo { hi = lo + 1 }
        return lo...hi
    }

    /// The level (1...levels) of `value`, or 0 for a gap (nil or not finite).
    public func level(of value: Double?, levels: Int) -> Int {
        Sparkline.level(of: value, levels: levels, in: effectiveRange)
    }

    /// The level (1...levels) of `value` in `r`, or 0 for a gap.
    static func level(of value: Double?, levels: Int, in r: ClosedRange<Double>) -> Int {
        guard let value, value.isFinite, levels > 0 else { return 0 }
        let span = r.upperBound - r.lowerBound
        let fraction = span > 0 ? (min(max(value, r.lowerBound), r.upperBound) - r.lowerBound) / span : 1
        return max(1, min(levels, Int((fraction * Double(levels)).rounded())))
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        // Without Unicode glyphs (LANG=C) braille and blocks fall back to ASCII.
        switch mode {
        case .braille where glyphs.isUnicode: renderBraille(&buffer, area)
        case .braille: renderLevels(&buffer, area, Glyphs.ascii.sparkLevels)
        case .blocks: renderLevels(&buffer, area, glyphs.isUnicode ? Glyphs.unicode.sparkLevels : Glyphs.ascii.sparkLevels)
        case .ascii: renderLevels(&buffer, area, Glyphs.ascii.sparkLevels)
        }
    }

    private func renderLevels(_ buffer: inout ScreenBuffer, _ area: Rect, _ marks: [Character]) {
        let shown = values.suffix(area.width)
        let startX = area.maxX - shown.count
        let levels = area.height * 8
        let range = effectiveRange
        for (i, value) in shown.enumerated() {
            let level = Sparkline.level(of: value, levels: levels, in: range)
            guard level > 0 else { continue }
            for r in 0..<area.height {
                let cellLevel = min(8, level - r * 8)
                guard cellLevel > 0 else { break }
                buffer.write(String(marks[cellLevel - 1]), x: startX + i, y: area.maxY - 1 - r, style: style)
            }
        }
    }

    private func renderBraille(_ buffer: inout ScreenBuffer, _ area: Rect) {
        let shown = Array(values.suffix(area.width * 2))
        // Pad on the left to an even count so that pairs line up with the right edge.
        let padded: [Double?] = (shown.count % 2 == 1 ? [nil] : []) + shown
        let columns = padded.count / 2
        let startX = area.maxX - columns
        let levels = area.height * 4
        let range = effectiveRange
        let leftDots: [UInt32] = [0x40, 0x04, 0x02, 0x01]   // bottom to top
        let rightDots: [UInt32] = [0x80, 0x20, 0x10, 0x08]
        for c in 0..<columns {
            let l = Sparkline.level(of: padded[2 * c], levels: levels, in: range)
            let r = Sparkline.level(of: padded[2 * c + 1], levels: levels, in: range)
            for row in 0..<area.height {
                var bits: UInt32 = 0
                for d in 0..<4 {
                    if l > row * 4 + d { bits |= leftDots[d] }
                    if r > row * 4 + d { bits |= rightDots[d] }
                }
                guard bits != 0, let scalar = Unicode.Scalar(0x2800 + bits) else { continue }
                buffer.write(String(Character(scalar)), x: startX + c, y: area.maxY - 1 - row, style: style)
            }
        }
    }
}
