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
/// Timestamps are a base (Int64 ms) plus, per later sample, its jitter (Int8 ms) around the chunk's
/// nominal interval (the first one), so regular scrapes cost 1 byte; the first jitter beyond ±127 ms
/// switches the chunk to UInt16 deltas (2 bytes). A chunk closes at a gap over 65.5 s. Values start as Int32 deltas from a base in units of 10^-k (k = 0…6 chosen
/// by the chunk's first value), which holds counters and the short decimals exposition text carries
/// in 4 bytes, exactly (every value is checked to round-trip bit for bit); the chunk switches to plain
/// Doubles at the first value that does not fit. Double mode stores each value XOR the previous one
/// without its leading zero bytes, with the count of those in a 4-bit header: slowly moving values
/// cost 4–7 bytes, arbitrary ones 8.5. A sample costs 5–6 bytes in integer mode.
struct SampleChunk: Sendable {
    static let capacity = 240

    private(set) var baseTime: Int64
    private(set) var lastTime: Int64
    private var nominal: Int32 = -1     // the chunk's first interval; -1 until a second sample
    private var jitters: [Int8]         // jitter mode: per sample after the first, delta − nominal
    private var deltas: [UInt16]        // delta mode: per sample after the first, delta
    private var usesDeltas = false
    private var timeCount = 1
    private var intBase: Double
    private var scale: Double
    private var ints: [Int32]
    private var xorHeads: [UInt8] = []     // Double mode: leading zero bytes of each XOR, two per byte
    private var xorBytes: [UInt8] = []     // Double mode: the remaining low bytes of each XOR
    private var lastBits: UInt64 = 0       // Double mode: bits of the last value
    private var isIntegral: Bool
    private var holdsStaleMarker = false
    /// The span of the chunk's non-stale samples, kept as they are appended.
    private(set) var span = CounterSpan()

    init(time: Int64, value: Double) {
        baseTime = time; lastTime = time
        if StaleMarker.isStale(value) { holdsStaleMarker = true } else { span.add(time: time, value: value) }
        deltas = []; jitters = []  // buffers grow as samples come: a series seen once costs little
        ints = []
        scale = 1
        if let k = Self.decimalScale(of: value) {
            isIntegral = true; scale = k; intBase = (value * k).rounded()
            ints.append(0)
        } else {
            isIntegral = false; intBase = 0
            appendDouble(value)
        }
    }

    var count: Int { timeCount }

    /// Whether a sample at `time` can be appended (room left and the gap fits a UInt16).
    func canAppend(time: Int64) -> Bool {
        timeCount < Self.capacity && time - lastTime <= Int64(UInt16.max) && time > lastTime
    }

    mutating func append(time: Int64, value: Double) {
        let d = Int32(time - lastTime)
        if usesDeltas {
            deltas.append(UInt16(d))
        } else {
            if nominal < 0 { nominal = d }
            let j = d - nominal
            if j >= -128, j <= 127 {
                jitters.append(Int8(j))
            } else {
                deltas.reserveCapacity(Self.capacity)
                for jj in jitters { deltas.append(UInt16(nominal + Int32(jj))) }
                jitters = []
                usesDeltas = true
                deltas.append(UInt16(d))
            }
        }
        timeCount += 1
        lastTime = time
        if StaleMarker.isStale(value) { holdsStaleMarker = true } else { span.add(time: time, value: value) }
        if isIntegral {
            let n = (value * scale).rounded()
            let d = n - intBase
            if abs(d) <= Double(Int32.max), abs(n) < 9.0e15, (n / scale).bitPattern == value.bitPattern {
                ints.append(Int32(d))
                return
            }
            let previous = ints
            ints = []
            isIntegral = false
            for i in previous { appendDouble((intBase + Double(i)) / scale) }
        }
        appendDouble(value)
    }

    private mutating func appendDouble(_ value: Double) {
        let x = value.bitPattern ^ lastBits
        let zeros = x.leadingZeroBitCount / 8
        let index = isIntegral ? 0 : doubleCount
        if index % 2 == 0 { xorHeads.append(UInt8(zeros)) } else { xorHeads[xorHeads.count - 1] |= UInt8(zeros) << 4 }
        var rest = x
        for _ in 0..<(8 - zeros) { xorBytes.append(UInt8(truncatingIfNeeded: rest)); rest >>= 8 }
        lastBits = value.bitPattern
        doubleCount += 1
    }

    private var doubleCount = 0

    /// Reads Double-mode values in order.
    private struct XorCursor {
        var head = 0
        var offset = 0
        var bits: UInt64 = 0
        @inline(__always) mutating func next(_ heads: [UInt8], _ bytes: [UInt8]) -> Double {
            let n = XorCursor.byteCount(heads, head)
            head += 1
            bits ^= XorCursor.xor(bytes, at: offset, count: n)
            offset += n
            return Double(bitPattern: bits)
        }

        /// How many low bytes the XOR of value `i` keeps (8 minus the leading zero bytes in its header nibble).
        @inline(__always) static func byteCount(_ heads: [UInt8], _ i: Int) -> Int {
            8 - Int((i % 2 == 0) ? heads[i / 2] & 0x0F : heads[i / 2] >> 4)
        }

        /// The XOR stored in `count` bytes from `offset`, least significant first.
        @inline(__always) static func xor(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
            var x: UInt64 = 0
            for k in 0..<count { x |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
            return x
        }
    }

    /// A cursor whose next value is the one at `index` (< `timeCount`), reached from the nearer
    /// end of the chunk: forwards from the first value, or backwards from the last (each XOR is
    /// undone in turn; its byte count is in its header).
    /// - Complexity: O(min(index, timeCount − index)).
    private func xorCursor(at index: Int) -> XorCursor {
        var cursor = XorCursor()
        if index <= timeCount - index {
            for _ in 0..<index { _ = cursor.next(xorHeads, xorBytes) }
            return cursor
        }
        var bits = lastBits, offset = xorBytes.count, j = timeCount - 1
        while j >= index {
            let n = XorCursor.byteCount(xorHeads, j)
            offset -= n
            bits ^= XorCursor.xor(xorBytes, at: offset, count: n)
            j -= 1
        }
        cursor.head = index; cursor.offset = offset; cursor.bits = bits
        return cursor
    }

    /// The value at `index` (< `timeCount`).
    @inline(__always) private func value(atIndex index: Int) -> Double {
        if isIntegral { return (intBase + Double(ints[index])) / scale }
        if index == timeCount - 1 { return Double(bitPattern: lastBits) }
        var cursor = xorCursor(at: index)
        return cursor.next(xorHeads, xorBytes)
    }

    /// The smallest 10^k (k = 0…6) for which `value` is exactly an integer count of 10^-k, if any.
    static func decimalScale(of value: Double) -> Double? {
        guard value.isFinite, abs(value) < 9.0e15 else { return nil }
        var k = 1.0
        for _ in 0...6 {
            let n = (value * k).rounded()
            if abs(n) < 9.0e15, (n / k).bitPattern == value.bitPattern { return k }
            k *= 10
        }
        return nil
    }

    /// The interval from sample `i - 1` to sample `i` (i ≥ 1).
    @inline(__always) private func step(_ i: Int) -> Int64 {
        usesDeltas ? Int64(deltas[i - 1]) : Int64(nominal + Int32(jitters[i - 1]))
    }

    /// Calls `body` with every sample whose time is in `lo...hi`, in time order.
    ///
    /// The first sample at or after `lo` is found from whichever end of the chunk is nearer in
    /// time (Double values too: their XOR chain is undone backwards from the last), so a window
    /// over the newest minutes of a long chunk steps over those minutes only.
    /// - Complexity: O(samples between `lo` and the nearer end + samples in the range).
    func forEach(from lo: Int64, through hi: Int64, _ body: (Int64, Double) -> Void) {
        if lastTime < lo || baseTime > hi { return }
        var (i, t) = firstIndex(atOrAfter: lo)
        if isIntegral {
            while i < timeCount {
                if t > hi { return }
                body(t, (intBase + Double(ints[i])) / scale)
                i += 1
                if i < timeCount { t += step(i) }
            }
            return
        }
        var cursor = xorCursor(at: i)
        while i < timeCount {
            if t > hi { return }
            body(t, cursor.next(xorHeads, xorBytes))
            i += 1
            if i < timeCount { t += step(i) }
        }
    }

    /// The span of the non-stale samples in `lo...hi`.
    ///
    /// - Complexity: for a chunk whose counter never resets and that holds no stale marker, only
    ///   the edges are found: O(samples between each edge and the nearer end of the chunk), no
    ///   value decoded in between. Otherwise as `forEach`.
    func span(from lo: Int64, through hi: Int64) -> CounterSpan {
        var out = CounterSpan()
        if lastTime < lo || baseTime > hi { return out }
        if !holdsStaleMarker, span.resetValues.isEmpty {
            let (i0, t0) = firstIndex(atOrAfter: lo), (i1, t1) = lastIndex(atOrBefore: hi)
            if i0 <= i1 {
                out = CounterSpan(firstTime: t0, firstValue: value(atIndex: i0),
                                  lastTime: t1, lastValue: value(atIndex: i1), count: i1 - i0 + 1)
            }
            return out
        }
        forEach(from: lo, through: hi) { t, v in if !StaleMarker.isStale(v) { out.add(time: t, value: v) } }
        return out
    }

    /// The index and time of the first sample at or after `lo` (`lo` ≤ `lastTime`).
    private func firstIndex(atOrAfter lo: Int64) -> (Int, Int64) {
        if lo <= baseTime { return (0, baseTime) }
        var i = 0, t = baseTime
        if lo - baseTime > lastTime - lo {
            i = timeCount - 1; t = lastTime
            while i > 0, t - step(i) >= lo { t -= step(i); i -= 1 }
        } else {
            while t < lo { i += 1; t += step(i) }
        }
        return (i, t)
    }

    /// The index and time of the last sample at or before `hi` (`hi` ≥ `baseTime`).
    private func lastIndex(atOrBefore hi: Int64) -> (Int, Int64) {
        if hi >= lastTime { return (timeCount - 1, lastTime) }
        var i = 0, t = baseTime
        if hi - baseTime > lastTime - hi {
            i = timeCount - 1; t = lastTime
            while t > hi { t -= step(i); i -= 1 }
        } else {
            while i + 1 < timeCount, t + step(i + 1) <= hi { i += 1; t += step(i) }
        }
        return (i, t)
    }

    /// The last sample at or before `time`, if any.
    /// - Complexity: O(samples between `time` and the nearer end of the chunk).
    func last(atOrBefore time: Int64) -> (Int64, Double)? {
        if baseTime > time { return nil }
        let (i, t) = lastIndex(atOrBefore: time)
        return (t, value(atIndex: i))
    }

    var lastValue: Double { isIntegral ? (intBase + Double(ints[timeCount - 1])) / scale : Double(bitPattern: lastBits) }

    /// Heap bytes held by this chunk's buffers.
    var estimatedBytes: Int { 96 + jitters.capacity + deltas.capacity * 2 + ints.capacity * 4 + xorHeads.capacity + xorBytes.capacity }

    /// Frees the buffers of a chunk that retention dropped.
    mutating func release() { deltas = []; jitters = []; ints = []; xorHeads = []; xorBytes = [] }

    /// Trims buffers to their size (used when a chunk is closed).
    mutating func shrink() {
        if deltas.capacity > deltas.count { deltas = deltas.withUnsafeBufferPointer { Array($0) } }
        if jitters.capacity > jitters.count { jitters = jitters.withUnsafeBufferPointer { Array($0) } }
        if ints.capacity > ints.count { ints = ints.withUnsafeBufferPointer { Array($0) } }
        if xorHeads.capacity > xorHeads.count { xorHeads = xorHeads.withUnsafeBufferPointer { Array($0) } }
        if xorBytes.capacity > xorBytes.count { xorBytes = xorBytes.withUnsafeBufferPointer { Array($0) } }
    }
}
