import Testing
@testable import BurnwatchUI

@Suite struct LayoutTests {
    @Test func fixedPercentageAndFill() {
        #expect(Layout.sizes(total: 100, [.length(10), .percentage(30), .fill(1)]) == [10, 30, 60])
        #expect(Layout.sizes(total: 10, [.fill(1), .fill(3)]) == [3, 7])
        #expect(Layout.sizes(total: 10, [.fill(1), .fill(1), .fill(1)]) == [4, 3, 3])
        #expect(Layout.sizes(total: 12, [.ratio(1, 3), .fill(1)]) == [4, 8])
    }

    @Test func minGetsItsFloorAndAShare() {
        #expect(Layout.sizes(total: 20, [.min(5), .fill(1)]) == [12, 8] || Layout.sizes(total: 20, [.min(5), .fill(1)]) == [13, 7])
        let s = Layout.sizes(total: 20, [.min(5), .fill(1)])
        #expect(s[0] >= 5 && s.reduce(0, +) == 20)
        #expect(Layout.sizes(total: 3, [.min(5), .fill(1)]) == [3, 0])
    }

    @Test func maxIsCapped() {
        #expect(Layout.sizes(total: 30, [.max(5), .fill(1)]) == [5, 25])
        #expect(Layout.sizes(total: 6, [.max(5), .fill(1)]) == [3, 3])
    }

    @Test func spaceRunsOutInOrder() {
        #expect(Layout.sizes(total: 15, [.length(10), .length(10), .fill(1)]) == [10, 5, 0])
        #expect(Layout.sizes(total: 0, [.length(3), .fill(1)]) == [0, 0])
    }

    @Test func rectsAreAdjacentWithSpacing() {
        let r = Rect(x: 2, y: 3, width: 20, height: 5)
        let cols = r.columns([.length(5), .fill(1), .length(4)], spacing: 1)
        #expect(cols == [Rect(x: 2, y: 3, width: 5, height: 5), Rect(x: 8, y: 3, width: 9, height: 5),
                         Rect(x: 18, y: 3, width: 4, height: 5)])
        let rows = r.rows([.length(1), .fill(1), .length(1)])
        #expect(rows.map(\.height) == [1, 3, 1])
        #expect(rows.map(\.y) == [3, 4, 7])
    }

    @Test func marginsAndCentering() {
        let r = Rect(x: 0, y: 0, width: 10, height: 6)
        #expect(r.inset(Margin(top: 1, right: 2, bottom: 0, left: 3)) == Rect(x: 3, y: 1, width: 5, height: 5))
        #expect(r.inset(by: 4) == Rect(x: 4, y: 4, width: 2, height: 0))
        #expect(r.centered(width: 4, height: 2) == Rect(x: 3, y: 2, width: 4, height: 2))
        #expect(r.intersection(Rect(x: 8, y: 5, width: 10, height: 10)) == Rect(x: 8, y: 5, width: 2, height: 1))
    }

    /// Property: sizes never exceed the total, add up to it when a part is flexible, honour
    /// fixed lengths while there is room, and the rectangles tile the parent in order.
    @Test func sizesAddUp() {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<1000 {
            let total = Int.random(in: 0..<200, using: &rng)
            let count = Int.random(in: 1..<7, using: &rng)
            let constraints: [Constraint] = (0..<count).map { _ in
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: .length(Int.random(in: 0..<60, using: &rng))
                case 1: .percentage(Int.random(in: 0..<101, using: &rng))
                case 2: .ratio(Int.random(in: 0..<4, using: &rng), Int.random(in: 1..<5, using: &rng))
                case 3: .min(Int.random(in: 0..<30, using: &rng))
                case 4: .max(Int.random(in: 0..<30, using: &rng))
                default: .fill(Int.random(in: 1..<4, using: &rng))
                }
            }
            let sizes = Layout.sizes(total: total, constraints)
            let sum = sizes.reduce(0, +)
            #expect(sum <= total)
            #expect(sizes.allSatisfy { $0 >= 0 })
            let flexible = constraints.contains { if case .fill = $0 { true } else if case .min = $0 { true } else { false } }
            if flexible { #expect(sum == total, "\(constraints) in \(total) gave \(sizes)") }
            for (c, size) in zip(constraints, sizes) {
                if case .max(let n) = c { #expect(size <= n) }
            }
            let rect = Rect(x: 3, y: 1, width: total, height: 2)
            let spacing = Int.random(in: 0..<3, using: &rng)
            let parts = rect.columns(constraints, spacing: spacing)
            var x = rect.x
            for part in parts {
                #expect(part.x >= x && part.maxX <= rect.maxX)
                x = part.maxX
            }
        }
    }
}
