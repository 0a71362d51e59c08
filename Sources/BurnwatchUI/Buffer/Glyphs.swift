/// The drawing characters of the console: Unicode (box drawing, braille, block eighths) or ASCII.
///
/// The caller picks one from the locale (`Glyphs.unicode` for UTF-8, `Glyphs.ascii` otherwise).
public struct Glyphs: Hashable, Sendable {
    public var isUnicode: Bool
    public var horizontal: Character, vertical: Character
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    public var teeDown: Character, teeUp: Character
    public var ellipsis: Character
    public var times: Character
    public var separator: Character
    public var bullet: Character
    public var pointer: Character
    public var arrowUp: Character, arrowDown: Character
    public var checked: String, unchecked: String
    /// Bar fill: full cell, then partial cells from 1/8 to 7/8 (ASCII has no partials).
    public var barFull: Character
    public var barPartials: [Character]
    public var barEmpty: Character
    /// Sparkline levels, lowest first (block eighths or ASCII).
    public var sparkLevels: [Character]

    /// Box drawing, braille and block eighths.
    public static let unicode = Glyphs(
        isUnicode: true, horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐",
        bottomLeft: "└", bottomRight: "┘", teeDown: "┬", teeUp: "┴", ellipsis: "…", times: "×",
        separator: "│", bullet: "•", pointer: "▶", arrowUp: "▲", arrowDown: "▼",
        checked: "[x]", unchecked: "[ ]",
        barFull: "█", barPartials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], barEmpty: " ",
        sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"])

    /// Plain ASCII for terminals and locales without UTF-8.
    public static let ascii = Glyphs(
        isUnicode: false, horizontal: "-", vertical: "|", topLeft: "+", topRight: "+",
        bottomLeft: "+", bottomRight: "+", teeDown: "+", teeUp: "+", ellipsis: "~", times: "x",
        separator: "|", bullet: "*", pointer: ">", arrowUp: "^", arrowDown: "v",
        checked: "[x]", unchecked: "[ ]",
        barFull: "#", barPartials: [], barEmpty: ".",
        sparkLevels: [".", ".", ":", ":", "|", "|", "#", "#"])

    /// Unicode glyphs when `utf8` is true, ASCII otherwise.
    public static func forLocale(utf8: Bool) -> Glyphs { utf8 ? .unicode : .ascii }
}
