/// Number formatting exactly as Prometheus's HTTP API writes it.
public enum PromNumberFormat {
    /// A sample value as Prometheus's API writes it: Go's `strconv.FormatFloat` with the shortest
    /// round-trip digits, `'f'` form, but `'e'` form below 1e-6 and from 1e21 (`"1e+21"`, `"1e-07"`).
    public static func json(_ v: Double) -> String {
        let a = abs(v)
        if a != 0, a.isFinite, a < 1e-6 || a >= 1e21 { return exponent(v) }
        return format(v)
    }

    /// Go's `strconv.FormatFloat(v, 'e', -1, 64)`: `d.ddde±XX`, at least two exponent digits.
    public static func exponent(_ v: Double) -> String {
        guard v.isFinite, v != 0 else { return format(v) }
        let (negative, digits, point) = decimalDigits(v)
        var out = negative ? "-" : ""
        out.append(digits[0])
        if digits.count > 1 { out += "." + String(digits[1...]) }
        let e = point - 1
        let mag = String(abs(e))
        return out + "e" + (e < 0 ? "-" : "+") + (mag.count < 2 ? "0" + mag : mag)
    }

    /// The shortest round-trip decimal digits of a finite non-zero `v` and the position of the point.
    static func decimalDigits(_ v: Double) -> (negative: Bool, digits: [Character], point: Int) {
        let text = v.description
        var negative = false
        var digits: [Character] = []
        var pointAt: Int? = nil
        var exponent = 0
        var chars = Substring(text)
        if chars.first == "-" { negative = true; chars = chars.dropFirst() }
        var mantissa = chars
        if let e = chars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = chars[..<e]
            exponent = Int(chars[chars.index(after: e)...].replacing("+", with: "")) ?? 0
        }
        for ch in mantissa {
            if ch == "." { pointAt = digits.count } else { digits.append(ch) }
        }
        var point = (pointAt ?? digits.count) + exponent
        while digits.count > 1, digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        return (negative, digits, point)
    }

    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)` with Prometheus's `NaN`, `+Inf`, `-Inf`.
    ///
    /// The shortest digits that round-trip, written without an exponent.
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        if v == 0 { return v.sign == .minus ? "-0" : "0" }
        let (negative, digits, point) = decimalDigits(v)
        var out = negative ? "-" : ""
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + String(digits)
        } else if point >= digits.count {
            out += String(digits) + String(repeating: "0", count: point - digits.count)
        } else {
            out += String(digits[..<point]) + "." + String(digits[point...])
        }
        return out
    }

    /// A timestamp as Prometheus writes it in JSON: seconds with up to three decimals.
    public static func time(_ ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let a = ms.magnitude
        let secs = a / 1000, frac = a % 1000
        if frac == 0 { return sign + String(secs) }
        var f = String(frac)
        f = String(repeating: "0", count: 3 - f.count) + f
        while f.last == "0" { f.removeLast() }
        return sign + String(secs) + "." + f
    }
}
