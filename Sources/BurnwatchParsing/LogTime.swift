import BurnwatchCore

/// Parses the time formats that loggers write into a `Timestamp`.
///
/// Accepted: RFC 3339 / ISO 8601 (`T` or space, any fraction, `Z`, `±hh:mm`, `±hhmm`, ` +0000 UTC`,
/// no zone = UTC, `,` as the fraction mark), Unix epoch numbers in seconds, milliseconds,
/// microseconds or nanoseconds (told apart by magnitude, fractions allowed, also as strings), and
/// the common log format `24/Nov/2026:21:11:01 +0000` (nginx `time_local`, Apache).
public enum LogTime {
    /// Parses a time written as text.
    ///
    /// - Returns: the timestamp, or `nil` for an unknown format.
    public static func parse(text: String) -> Timestamp? {
        var t = text
        return t.withUTF8 { parse(bytes: $0) }
    }

    /// Parses a time from bytes (the inside of a JSON string, or a logfmt value).
    public static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard !b.isEmpty else { return nil }
        if let number = JSONNumber.parse(b) { return epoch(number) }
        if b.count >= 19, b[4] == 0x2D, b[7] == 0x2D { return iso(b) }
        if b.count >= 20, b[2] == 0x2F, b[6] == 0x2F { return commonLog(b) }
        return nil
    }

    /// Converts an epoch number in s, ms, µs or ns (by magnitude) to a timestamp.
    public static func epoch(_ v: Double) -> Timestamp? {
        guard v.isFinite, v > 0 else { return nil }
        if v < 1e11 { return Timestamp(milliseconds: Int64((v * 1000).rounded())) }
        if v < 1e14 { return Timestamp(milliseconds: Int64(v.rounded())) }
        if v < 1e17 { return Timestamp(milliseconds: Int64((v / 1000).rounded())) }
        if v < 1e20 { return Timestamp(milliseconds: Int64((v / 1_000_000).rounded())) }
        return nil
    }

    static func iso(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        // Rebuild an RFC 3339 string from the variants, then use the core parser.
        var out: [UInt8] = Array(b[0..<10])
        out.append(0x54)
        out.append(contentsOf: b[11..<19])
        var i = 19
        if i < b.count, b[i] == 0x2E || b[i] == 0x2C {
            out.append(0x2E)
            i += 1
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { out.append(b[i]); i += 1 }
        }
        while i < b.count, b[i] == 0x20 { i += 1 }
        if i == b.count {
            out.append(0x5A)
        } else if b[i] == 0x5A || b[i] == 0x7A {
            out.append(0x5A)
        } else if b[i] == 0x2B || b[i] == 0x2D {
            out.append(b[i])
            var digits: [UInt8] = []
            var k = i + 1
            while k < b.count, digits.count < 4, (b[k] >= 0x30 && b[k] <= 0x39) || b[k] == 0x3A {
                if b[k] != 0x3A { digits.append(b[k]) }
                k += 1
            }
            guard digits.count == 4 || digits.count == 2 else { return nil }
            if digits.count == 2 { digits += [0x30, 0x30] }
            out.append(contentsOf: digits[0..<2]); out.append(0x3A); out.append(contentsOf: digits[2..<4])
        } else if b.count - i >= 3, b[i] == 0x55, b[i + 1] == 0x54, b[i + 2] == 0x43 {
            out.append(0x5A)
        } else {
            return nil
        }
        return RFC3339.parse(String(decoding: out, as: UTF8.self))
    }

    static func commonLog(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        // dd/Mon/yyyy:HH:MM:SS ±hhmm
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let text = String(decoding: b, as: UTF8.self)
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == ":" || $0 == " " })
        guard parts.count >= 6, let day = Int(parts[0]), let month = months.firstIndex(of: String(parts[1])),
              let year = Int(parts[2]), let h = Int(parts[3]), let m = Int(parts[4]), let s = Int(parts[5]) else { return nil }
        guard (1...31).contains(day), (0...9999).contains(year), (0...23).contains(h), (0...59).contains(m), (0...60).contains(s)
        else { return nil }
        var offset = 0
        if parts.count >= 7, let raw = Int(parts[6]), (-2359...2359).contains(raw) {
            offset = (abs(raw) / 100 * 3600 + abs(raw) % 100 * 60) * (parts[6].hasPrefix("-") ? -1 : 1)
        }
        let days = RFC3339.daysFromCivil(year: year, month: month + 1, day: day)
        return Timestamp(milliseconds: (Int64(days) * 86_400 + Int64(h * 3600 + m * 60 + s) - Int64(offset)) * 1000)
    }

    /// Parses a duration value: a number in `unit`, or a Go duration string (`1.5ms`, `2m3s`, `1.832µs`).
    ///
    /// - Returns: seconds, or `nil`.
    public static func durationSeconds(_ b: UnsafeBufferPointer<UInt8>, unit: LogDurationUnit) -> Double? {
        if let v = JSONNumber.parse(b) {
            if unit == .integerNanosecondsElseSeconds {
                // slog writes time.Duration as integer nanoseconds; zap and Caddy write float seconds.
                return b.contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }) ? v : v / 1e9
            }
            return unit.seconds(v)
        }
        return goDuration(b)
    }

    /// Parses Go's `time.Duration.String()` form.
    public static func goDuration(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var total = 0.0
        var negative = false
        if i < b.count, b[i] == 0x2D { negative = true; i += 1 }
        guard i < b.count else { return nil }
        while i < b.count {
            let start = i
            while i < b.count, (b[i] >= 0x30 && b[i] <= 0x39) || b[i] == 0x2E { i += 1 }
            guard i > start, let v = Double(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)) else { return nil }
            let unitStart = i
            while i < b.count, !(b[i] >= 0x30 && b[i] <= 0x39), b[i] != 0x2E { i += 1 }
            let unit = String(decoding: UnsafeBufferPointer(rebasing: b[unitStart..<i]), as: UTF8.self)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            total += v * scale
        }
        return negative ? -total : total
    }
}

/// The unit a format writes durations in.
public enum LogDurationUnit: String, Sendable {
    case seconds, milliseconds, microseconds, nanoseconds
    /// For sources that mix Go loggers: an integer is nanoseconds (slog), a fraction is seconds (zap, Caddy).
    case integerNanosecondsElseSeconds

    /// `v` in this unit, in seconds.
    public func seconds(_ v: Double) -> Double {
        switch self {
        case .seconds: v
        case .milliseconds: v / 1e3
        case .microseconds: v / 1e6
        case .nanoseconds: v / 1e9
        case .integerNanosecondsElseSeconds: v == v.rounded() ? v / 1e9 : v
        }
    }
}
