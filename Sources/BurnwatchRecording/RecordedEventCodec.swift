import BurnwatchCore

/// The byte form of a batch of recorded events (before compression), documented in
/// `docs/recording.md`: per event a kind byte, then its fields as LEB128 varints (signed ones
/// zigzag-encoded), length-prefixed byte strings and little-endian doubles.
public enum RecordedEventCodec {
    static let scrapeKind: UInt8 = 1
    static let logsKind: UInt8 = 2
    static let roundKind: UInt8 = 3

    /// The bytes of `events`, in order.
    ///
    /// - Complexity: O(total bytes).
    public static func encode(_ events: [RecordedEvent]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(events.reduce(0) { $0 + $1.rawBytes + 16 })
        for event in events {
            switch event {
            case .scrape(let s):
                out.append(scrapeKind)
                putSigned(s.at, &out)
                putString(s.url, &out)
                putString(s.job, &out)
                putSigned(s.time, &out)
                putDouble(s.durationSeconds, &out)
                putUnsigned(UInt64(max(0, s.status)), &out)
                putOptional(s.contentType, &out)
                putOptional(s.failure, &out)
                putBytes(s.body, &out)
            case .logs(let l):
                out.append(logsKind)
                putSigned(l.at, &out)
                putSigned(l.arrival, &out)
                putUnsigned(UInt64(l.items.count), &out)
                for item in l.items {
                    out.append(item.kind.rawValue)
                    putString(item.source, &out)
                    putBytes(item.payload, &out)
                }
            case .round(let r):
                out.append(roundKind)
                putSigned(r.at, &out)
                out.append(r.signals ? 1 : 0)
            }
        }
        return out
    }

    /// The events in `bytes`.
    ///
    /// - Throws: `RecordedEventCodec.Failure` with the offset of the first byte that does not fit.
    /// - Complexity: O(bytes).
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> [RecordedEvent] {
        var reader = Reader(bytes: bytes)
        var events: [RecordedEvent] = []
        while !reader.atEnd {
            let start = reader.offset
            let kind = try reader.byte()
            switch kind {
            case scrapeKind:
                let at = try reader.signed(), url = try reader.string(), job = try reader.string()
                let time = try reader.signed(), duration = try reader.double()
                let status = Int(clamping: try reader.unsigned())
                let contentType = try reader.optional(), failure = try reader.optional()
                let body = try reader.blob()
                events.append(.scrape(RecordedScrape(at: at, url: url, job: job, time: time, durationSeconds: duration,
                                                     status: status, contentType: contentType, failure: failure, body: body)))
            case logsKind:
                let at = try reader.signed(), arrival = try reader.signed()
                let count = try reader.unsigned()
                guard count <= UInt64(bytes.count) else { throw Failure(offset: reader.offset, message: "log item count \(count) is larger than the batch") }
                var items: [RecordedLogDispatch.Item] = []
                items.reserveCapacity(Int(count))
                for _ in 0..<count {
                    let kindOffset = reader.offset
                    guard let itemKind = RecordedLogDispatch.Item.Kind(rawValue: try reader.byte()) else {
                        throw Failure(offset: kindOffset, message: "unknown log item kind")
                    }
                    items.append(.init(kind: itemKind, source: try reader.string(), payload: try reader.blob()))
                }
                events.append(.logs(RecordedLogDispatch(at: at, arrival: arrival, items: items)))
            case roundKind:
                let at = try reader.signed()
                events.append(.round(RecordedRound(at: at, signals: try reader.byte() != 0)))
            default:
                throw Failure(offset: start, message: "unknown event kind \(kind)")
            }
        }
        return events
    }

    /// Bytes that are not a batch of events.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "\(message) at byte \(offset)" }
    }

    // MARK: Writing

    static func putUnsigned(_ value: UInt64, _ out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func putSigned(_ value: Int64, _ out: inout [UInt8]) {
        putUnsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)), &out)
    }

    static func putDouble(_ value: Double, _ out: inout [UInt8]) {
        var bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { out.append(contentsOf: $0) }
    }

    static func putBytes(_ bytes: [UInt8], _ out: inout [UInt8]) {
        putUnsigned(UInt64(bytes.count), &out)
        out.append(contentsOf: bytes)
    }

    static func putString(_ s: String, _ out: inout [UInt8]) {
        putUnsigned(UInt64(s.utf8.count), &out)
        out.append(contentsOf: s.utf8)
    }

    static func putOptional(_ s: String?, _ out: inout [UInt8]) {
        guard let s else { out.append(0); return }
        out.append(1)
        putString(s, &out)
    }

    // MARK: Reading

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset >= bytes.count }

        mutating func byte() throws(Failure) -> UInt8 {
            guard offset < bytes.count else { throw Failure(offset: offset, message: "batch ends inside an event") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func unsigned() throws(Failure) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            let start = offset
            while true {
                let b = try byte()
                guard shift < 64 else { throw Failure(offset: start, message: "varint longer than 64 bits") }
                value |= UInt64(b & 0x7f) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
            }
        }

        mutating func signed() throws(Failure) -> Int64 {
            let u = try unsigned()
            return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
        }

        mutating func double() throws(Failure) -> Double {
            guard bytes.count - offset >= 8 else { throw Failure(offset: offset, message: "batch ends inside a number") }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            return Double(bitPattern: bits)
        }

        mutating func blob() throws(Failure) -> [UInt8] {
            let start = offset
            let n = try unsigned()
            guard n <= UInt64(bytes.count - offset) else {
                throw Failure(offset: start, message: "a length of \(n) bytes runs past the end of the batch")
            }
            defer { offset += Int(n) }
            return Array(bytes[offset..<offset + Int(n)])
        }

        mutating func string() throws(Failure) -> String {
            String(decoding: try blob(), as: UTF8.self)
        }

        mutating func optional() throws(Failure) -> String? {
            switch try byte() {
            case 0: return nil
            case 1: return try string()
            default: throw Failure(offset: offset - 1, message: "bad optional marker")
            }
        }
    }
}
