/// Prometheus's stale marker: a NaN with a distinct bit pattern, written when a series vanishes.
public enum StaleMarker {
    /// The bit pattern Prometheus uses (`value.StaleNaN`).
    public static let bits: UInt64 = 0x7ff0_0000_0000_0002
    /// The stale-marker value.
    public static let value = Double(bitPattern: bits)
    /// Whether `v` is the stale marker (not merely any NaN).
    @inline(__always) public static func isStale(_ v: Double) -> Bool { v.bitPattern == bits }
}

/// Up to `capacity` samples of one series in a compact form.
///
/// Timestamps are a base (Int64 ms) plus UInt16 deltas from the previous sample, so a chunk closes
/// at a gap over 65.5 s. Values start as Int32 deltas from an integral base (counters and most
/// gauges cost 4 bytes) and switch to plain Doubles at the first value that does not fit.
/// A sample therefore costs 6 bytes (integral values) or 10 bytes (others).
struct SampleChunk: Sendable {
    static let capacity = 240

    private(set) var baseTime: Int64
    private(set) var lastTime: Int64
    private var deltas: [UInt16]
    private var intBase: Double
    private var ints: [Int32]
    private var doubles: [Double]
    private var isIntegral: Bool

    init(time: Int64, value: Double) {
        baseTime = time; lastTime = time
        deltas = []; deltas.reserveCapacity(Self.capacity)
        ints = []; doubles = []
        if value.isFinite, value == value.rounded(), abs(value) < 9.0e15 {
            isIntegral = true; intBase = value
            ints.reserveCapacity(Self.capacity); ints.append(0)
        } else {
            isIntegral = false; intBase = 0
            doubles.reserveCapacity(Self.capacity); doubles.append(value)
        }
        deltas.append(0)
    }

    var count: Int { deltas.count }

    /// Whether a sample at `time` can be appended (room left and the gap fits a UInt16).
    func canAppend(time: Int64) -> Bool {
        deltas.count < Self.capacity && time - lastTime <= Int64(UInt16.max) && time > lastTime
    }

    mutating func append(time: Int64, value: Double) {
        deltas.append(UInt16(time - lastTime))
        lastTime = time
        if isIntegral {
            let d = value - intBase
            if value.isFinite, value == value.rounded(), abs(d) <= Double(Int32.max) {
                ints.append(Int32(d))
                return
            }
            doubles.reserveCapacity(Self.capacity)
            for i in ints { doubles.append(intBase + Double(i)) }
            ints = []
            isIntegral = false
        }
        doubles.append(value)
    }

    /// Calls `body` with every sample whose time is in `lo...hi`, in time order.
    func forEach(from lo: Int64, through hi: Int64, _ body: (Int64, Double) -> Void) {
        if lastTime < lo || baseTime > hi { return }
        var t = baseTime
        for i in 0..<deltas.count {
            t += Int64(deltas[i])
            if t < lo { continue }
            if t > hi { return }
            body(t, isIntegral ? intBase + Double(ints[i]) : doubles[i])
        }
    }

    /// The last sample at or before `time`, if any.
    func last(atOrBefore time: Int64) -> (Int64, Double)? {
        if baseTime > time { return nil }
        var t = baseTime
        var found: (Int64, Double)? = nil
        for i in 0..<deltas.count {
            t += Int64(deltas[i])
            if t > time { break }
            found = (t, isIntegral ? intBase + Double(ints[i]) : doubles[i])
        }
        return found
    }

    var lastValue: Double { isIntegral ? intBase + Double(ints[ints.count - 1]) : doubles[doubles.count - 1] }

    /// Heap bytes held by this chunk's buffers.
    var estimatedBytes: Int { 64 + deltas.capacity * 2 + ints.capacity * 4 + doubles.capacity * 8 }

    /// Frees the buffers of a chunk that retention dropped.
    mutating func release() { deltas = []; ints = []; doubles = [] }

    /// Trims buffers to their size (used when a chunk is closed).
    mutating func shrink() {
        if deltas.capacity > deltas.count { deltas = deltas.withUnsafeBufferPointer { Array($0) } }
        if ints.capacity > ints.count { ints = ints.withUnsafeBufferPointer { Array($0) } }
        if doubles.capacity > doubles.count { doubles = doubles.withUnsafeBufferPointer { Array($0) } }
    }
}
