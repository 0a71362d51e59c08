/// The non-stale samples of one series over a time range, reduced to what `rate`, `increase`
/// and `delta` read: the first and last sample, how many there are, and the value before each
/// drop (a counter reset), oldest first.
///
/// Spans concatenate: a chunk keeps the span of its samples, so a long range costs one step per
/// whole chunk inside it and a decode only of the two chunks at its edges. The reset values are
/// kept as a list, not a sum, so that `Evaluator.extrapolatedRate` adds them one at a time in
/// time order, exactly as it does over raw points: the two paths give the same bits.
public struct CounterSpan: Sendable, Equatable {
    public private(set) var firstTime: Int64 = 0
    public private(set) var firstValue: Double = 0
    public private(set) var lastTime: Int64 = 0
    public private(set) var lastValue: Double = 0
    /// Samples in the span.
    public private(set) var count = 0
    /// The value before each drop, oldest first (empty for a counter that never reset).
    public private(set) var resetValues: [Double] = []

    public init() {}

    /// A span of `count` samples from the first to the last without a drop between them.
    init(firstTime: Int64, firstValue: Double, lastTime: Int64, lastValue: Double, count: Int) {
        self.firstTime = firstTime; self.firstValue = firstValue
        self.lastTime = lastTime; self.lastValue = lastValue
        self.count = count
    }

    /// Extends the span by one sample later than every sample in it.
    /// - Complexity: O(1) amortised.
    @inline(__always)
    public mutating func add(time: Int64, value: Double) {
        if count == 0 {
            firstTime = time; firstValue = value
        } else if value < lastValue {
            resetValues.append(lastValue)
        }
        lastTime = time; lastValue = value
        count += 1
    }

    /// Extends the span by a span whose samples all come later.
    /// - Complexity: O(resets of `later`).
    public mutating func add(_ later: CounterSpan) {
        if later.count == 0 { return }
        if count == 0 { self = later; return }
        if later.firstValue < lastValue { resetValues.append(lastValue) }
        if !later.resetValues.isEmpty { resetValues += later.resetValues }
        lastTime = later.lastTime; lastValue = later.lastValue
        count += later.count
    }

    public static func == (a: CounterSpan, b: CounterSpan) -> Bool {
        a.count == b.count && a.firstTime == b.firstTime && a.lastTime == b.lastTime
            && a.firstValue.bitPattern == b.firstValue.bitPattern && a.lastValue.bitPattern == b.lastValue.bitPattern
            && a.resetValues.map(\.bitPattern) == b.resetValues.map(\.bitPattern)
    }
}
