/// How much of a split one part takes.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (less only when the space runs out).
    case length(Int)
    /// `p` percent of the whole space, rounded down.
    case percentage(Int)
    /// `numerator/denominator` of the whole space, rounded down.
    case ratio(Int, Int)
    /// At least `n` cells, and a share (weight 1) of what is left.
    case min(Int)
    /// At most `n` cells, taken from what is left (weight 1).
    case max(Int)
    /// A share of what is left, in proportion to `weight`.
    case fill(Int)
}

/// The direction of a split.
public enum Axis: Hashable, Sendable { case horizontal, vertical }

extension Rect {
    /// Splits this rectangle into rows (`.vertical`) or columns (`.horizontal`) by `constraints`.
    ///
    /// Fixed parts (`length`, `percentage`, `ratio`, the floor of `min`) are granted first, in order,
    /// until the space runs out; the rest is shared between `min`, `max` and `fill` parts by weight,
    /// the remainder of the division going to the earliest parts. The parts are adjacent, lie inside
    /// this rectangle, and cover it whenever at least one part is flexible (`min`, `max` with room,
    /// or `fill` with a positive weight).
    ///
    /// - Parameters:
    ///   - axis: `.vertical` stacks rows top to bottom; `.horizontal` lays columns left to right.
    ///   - constraints: one per part.
    ///   - spacing: empty cells between neighbouring parts.
    /// - Returns: one rectangle per constraint.
    /// - Complexity: O(n) in the number of constraints (plus a short loop for `max` caps).
    public func split(_ axis: Axis, _ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        let total = axis == .vertical ? height : width
        let gaps = Swift.max(0, constraints.count - 1) * Swift.max(0, spacing)
        let sizes = Layout.sizes(total: Swift.max(0, total - gaps), constraints)
        var rects: [Rect] = []
        rects.reserveCapacity(sizes.count)
        var offset = 0
        for (i, size) in sizes.enumerated() {
            let start = Swift.min(offset, total)
            let clamped = Swift.min(size, total - start)
            switch axis {
            case .vertical: rects.append(Rect(x: x, y: y + start, width: width, height: clamped))
            case .horizontal: rects.append(Rect(x: x + start, y: y, width: clamped, height: height))
            }
            offset = start + clamped + (i < sizes.count - 1 ? Swift.max(0, spacing) : 0)
        }
        return rects
    }

    /// Splits into rows; see `split(_:_:spacing:)`.
    public func rows(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] { split(.vertical, constraints, spacing: spacing) }

    /// Splits into columns; see `split(_:_:spacing:)`.
    public func columns(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] { split(.horizontal, constraints, spacing: spacing) }
}

/// The arithmetic of splits, apart from rectangles so that it can be tested on its own.
public enum Layout {
    /// The size of each part when `total` cells are shared by `constraints`.
    ///
    /// The sizes never sum to more than `total` and sum to exactly `total` when a part is flexible.
    public static func sizes(total: Int, _ constraints: [Constraint]) -> [Int] {
        var sizes = [Int](repeating: 0, count: constraints.count)
        var left = Swift.max(0, total)
        // Fixed parts first, in order.
        for (i, c) in constraints.enumerated() {
            let want: Int
            switch c {
            case .length(let n): want = n
            case .percentage(let p): want = total * Swift.min(Swift.max(p, 0), 100) / 100
            case .ratio(let a, let b): want = b > 0 ? total * Swift.min(Swift.max(a, 0), b) / b : 0
            case .min(let n): want = n
            case .max, .fill: want = 0
            }
            let granted = Swift.min(Swift.max(want, 0), left)
            sizes[i] = granted
            left -= granted
        }
        // Flexible parts share what is left; `max` parts are capped and give the excess back.
        var weights: [Int] = constraints.map {
            switch $0 {
            case .min, .max: 1
            case .fill(let w): Swift.max(w, 0)
            default: 0
            }
        }
        while left > 0 {
            let weightSum = weights.reduce(0, +)
            if weightSum == 0 { break }
            var shares = weights.map { left * $0 / weightSum }
            var remainder = left - shares.reduce(0, +)
            for i in shares.indices where remainder > 0 && weights[i] > 0 {
                shares[i] += 1
                remainder -= 1
            }
            var capped = false
            for i in shares.indices where shares[i] > 0 {
                if case .max(let n) = constraints[i], sizes[i] + shares[i] >= n {
                    shares[i] = Swift.max(0, n - sizes[i])
                    weights[i] = 0
                    capped = true
                }
            }
            for i in shares.indices {
                sizes[i] += shares[i]
                left -= shares[i]
            }
            if !capped { break }
        }
        return sizes
    }
}
