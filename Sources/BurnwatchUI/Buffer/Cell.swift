/// One column of the screen: a grapheme (a base scalar plus any zero-width scalars attached to it)
/// and a style. A wide grapheme sits in its left cell; the cell to its right is a continuation.
public struct Cell: Hashable, Sendable {
    /// The text of the cell: one printable base scalar and up to `maxAttached` zero-width scalars.
    /// A blank cell and a continuation cell hold a single space.
    public internal(set) var content: String
    /// The style of the cell.
    public var style: Style
    /// Columns the grapheme takes: 1 or 2; 0 for the right half of a wide grapheme.
    public internal(set) var width: UInt8

    /// Zero-width scalars kept per cell (as ncurses' `CCHARW_MAX` − 1); further ones are dropped.
    public static let maxAttached = 4

    /// A blank cell in `style`.
    public static func blank(_ style: Style = .normal) -> Cell { Cell(content: " ", style: style, width: 1) }

    /// The right half of a wide grapheme.
    public static func continuation(_ style: Style) -> Cell { Cell(content: " ", style: style, width: 0) }

    /// Whether this cell is the right half of a wide grapheme (the terminal skips it).
    public var isContinuation: Bool { width == 0 }
}
