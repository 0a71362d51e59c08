import BurnwatchCore

/// Fast byte searches used by the line splitter and the JSON scanner (word-at-a-time, no libc).
public enum ByteSearch {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The index of the first `byte` in `p[from..<end]`, or `end` when there is none.
    ///
    /// Reads eight bytes at a time and finds a zero byte of `word ^ pattern` with the classic
    /// `(v - 0x01…) & ~v & 0x80…` trick.
    /// - Complexity: O(n/8) word operations.
    @inlinable
    public static func first(_ byte: UInt8, in p: UnsafeRawPointer, from: Int, end: Int) -> Int {
        var i = from
        let pattern = ones &* UInt64(byte)
        while i + 8 <= end {
            let v = p.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
            let hit = (v &- ones) & ~v & highs
            if hit != 0 { return i + (UInt64(littleEndian: hit).trailingZeroBitCount >> 3) }
            i += 8
        }
        while i < end {
            if p.load(fromByteOffset: i, as: UInt8.self) == byte { return i }
            i += 1
        }
        return end
    }

    /// The index of the first `"` or `\` in `p[from..<end]`, or `end`.
    @inlinable
    public static func firstQuoteOrBackslash(in p: UnsafeRawPointer, from: Int, end: Int) -> Int {
        var i = from
        let q = ones &* 0x22, b = ones &* 0x5C
        while i + 8 <= end {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let v1 = w ^ q, v2 = w ^ b
            let hit = ((v1 &- ones) & ~v1 | (v2 &- ones) & ~v2) & highs
            if hit != 0 { return i + (UInt64(littleEndian: hit).trailingZeroBitCount >> 3) }
            i += 8
        }
        while i < end {
            let c = p.load(fromByteOffset: i, as: UInt8.self)
            if c == 0x22 || c == 0x5C { return i }
            i += 1
        }
        return end
    }

    /// Whether every byte of `p[from..<end]` is ASCII (below 0x80).
    @inlinable
    public static func isASCII(_ p: UnsafeRawPointer, from: Int, end: Int) -> Bool {
        var i = from
        var acc: UInt64 = 0
        while i + 8 <= end { acc |= p.loadUnaligned(fromByteOffset: i, as: UInt64.self); i += 8 }
        while i < end { acc |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)); i += 1 }
        return acc & highs == 0
    }
}

/// Splits a byte stream fed in chunks of any size into lines, with a cap on line length.
///
/// A line longer than `maxLineLength` is cut at the cap: its first `maxLineLength` bytes are
/// delivered with `truncated == true` and the rest is dropped up to the next newline, so memory
/// stays bounded whatever the input. A final line without a newline is delivered by `finish()`.
/// A `\r` before the `\n` is removed.
public struct LineSplitter: Sendable {
    /// The default line cap: 1 MiB.
    public static let defaultMaxLineLength = 1 << 20

    /// The longest line delivered, in bytes.
    public let maxLineLength: Int
    private var pending: [UInt8] = []
    private var discarding = false
    /// Lines delivered so far.
    public private(set) var lineCount = 0
    /// Lines that were longer than the cap.
    public private(set) var truncatedCount = 0

    public init(maxLineLength: Int = LineSplitter.defaultMaxLineLength) {
        self.maxLineLength = max(1, maxLineLength)
    }

    /// Feeds a chunk and calls `body(line, truncated)` for each complete line in it.
    ///
    /// - Parameter body: receives the line's bytes (valid only during the call) and whether it was cut.
    /// - Complexity: O(n) in the chunk size.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void) rethrows {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        let end = chunk.count
        var start = 0
        while start < end {
            let nl = ByteSearch.first(0x0A, in: base, from: start, end: end)
            if nl == end {
                append(base, start, end)
                return
            }
            if pending.isEmpty && !discarding {
                var stop = nl
                if stop > start, base.load(fromByteOffset: stop - 1, as: UInt8.self) == 0x0D { stop -= 1 }
                let length = stop - start
                let line = UnsafeBufferPointer(start: base.advanced(by: start).assumingMemoryBound(to: UInt8.self), count: min(length, maxLineLength))
                let cut = length > maxLineLength
                if cut { truncatedCount += 1 }
                lineCount += 1
                try body(line, cut)
            } else {
                append(base, start, nl)
                try deliverPending(body)
            }
            start = nl + 1
        }
    }

    /// Feeds an array of bytes (a convenience for tests and small inputs).
    public mutating func feed(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, body) }
    }

    /// Delivers the last line when the input did not end with a newline.
    public mutating func finish(_ body: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void) rethrows {
        if !pending.isEmpty || discarding { try deliverPending(body) }
    }

    /// Bytes held for an incomplete line (at most `maxLineLength`).
    public var pendingByteCount: Int { pending.count }

    private mutating func append(_ base: UnsafeRawPointer, _ from: Int, _ to: Int) {
        guard to > from else { return }
        let room = maxLineLength + 1 - pending.count   // keep one extra byte to see a possible \r
        if to - from > room {
            if room > 0 { pending.append(contentsOf: UnsafeRawBufferPointer(start: base + from, count: room)) }
            discarding = true
        } else {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base + from, count: to - from))
        }
    }

    private mutating func deliverPending(_ body: (UnsafeBufferPointer<UInt8>, Bool) throws -> Void) rethrows {
        var cut = discarding
        if !cut, pending.last == 0x0D { pending.removeLast() }
        if pending.count > maxLineLength { pending.removeLast(pending.count - maxLineLength); cut = true }
        if cut { truncatedCount += 1 }
        lineCount += 1
        defer { pending.removeAll(keepingCapacity: pending.capacity <= 65_536); discarding = false }
        try pending.withUnsafeBufferPointer { try body($0, cut) }
    }
}
