/// A rectangle of cells: origin at the top left, sizes never negative.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    /// Creates a rectangle; negative sizes become 0.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public var area: Int { width * height }

    /// Whether the cell (`px`, `py`) lies inside.
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    /// The part of this rectangle inside `other` (empty, at this origin clamped, when they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let nx = max(x, other.x), ny = max(y, other.y)
        return Rect(x: nx, y: ny, width: min(maxX, other.maxX) - nx, height: min(maxY, other.maxY) - ny)
    }

    /// This rectangle shrunk by `margin` on each side.
    public func inset(_ margin: Margin) -> Rect {
        let w = max(0, width - margin.left - margin.right)
        let h = max(0, height - margin.top - margin.bottom)
        return Rect(x: x + min(margin.left, width), y: y + min(margin.top, height), width: w, height: h)
    }

    /// This rectangle shrunk by `n` cells on every side.
    public func inset(by n: Int) -> Rect { inset(Margin(all: n)) }

    /// The row at offset `i` from the top (height 1).
    public func row(_ i: Int) -> Rect { Rect(x: x, y: y + i, width: width, height: i < height ? 1 : 0) }

    /// A rectangle of at most `w`×`h` centred in this one.
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    public var description: String { "Rect(\(x),\(y) \(width)x\(height))" }
}

/// Space left free on each side of a rectangle.
public struct Margin: Hashable, Sendable {
    public var top: Int, right: Int, bottom: Int, left: Int

    public init(top: Int = 0, right: Int = 0, bottom: Int = 0, left: Int = 0) {
        self.top = top; self.right = right; self.bottom = bottom; self.left = left
    }

    public init(all n: Int) { self.init(top: n, right: n, bottom: n, left: n) }
    public init(horizontal: Int = 0, vertical: Int = 0) {
        self.init(top: vertical, right: horizontal, bottom: vertical, left: horizontal)
    }
}

/// The size of the terminal in cells.
public struct TerminalSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int, height: Int
    public init(width: Int, height: Int) { self.width = max(0, width); self.height = max(0, height) }
    public var rect: Rect { Rect(x: 0, y: 0, width: width, height: height) }
    public var description: String { "\(width)x\(height)" }
}
