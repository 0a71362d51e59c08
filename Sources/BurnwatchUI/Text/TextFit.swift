/// Fitting text into a number of columns: truncation with an ellipsis, padding, wrapping.
///
/// Widths are those of the escaped text, exactly as `ScreenBuffer` will show it.
public enum TextFit {
    /// `text` escaped and cut to at most `width` columns, ending in `ellipsis` when it was cut.
    ///
    /// - Complexity: O(n) in the number of scalars.
    public static func truncate(_ text: some StringProtocol, toWidth width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else { return "" }
        let safe = TerminalSafeText.escape(text)
        if DisplayWidth.of(safe) <= width { return safe }
        let room = width - DisplayWidth.of(String(ellipsis))
        var out = String.UnicodeScalarView()
        var used = 0
        for scalar in safe.unicodeScalars {
            let w = DisplayWidth.of(scalar)
            if used + w > room { break }
            out.append(scalar)
            used += w
        }
        // Keep combining marks of the last kept grapheme out of the cut: they were appended above.
        return String(out) + String(ellipsis)
    }

    /// `text` escaped, truncated and padded with spaces to exactly `width` columns.
    public static func pad(_ text: some StringProtocol, toWidth width: Int, alignment: Alignment = .left,
                           ellipsis: Character = "…") -> String {
        let cut = truncate(text, toWidth: width, ellipsis: ellipsis)
        let space = max(0, width - DisplayWidth.of(cut))
        switch alignment {
        case .left: return cut + String(repeating: " ", count: space)
        case .right: return String(repeating: " ", count: space) + cut
        case .center:
            return String(repeating: " ", count: space / 2) + cut + String(repeating: " ", count: space - space / 2)
        }
    }
}
