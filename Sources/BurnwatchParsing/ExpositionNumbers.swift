/// Number parsing for exposition values and timestamps, without allocating in the common cases.
enum ExpositionNumbers {
    /// Exact powers of ten that a Double holds (10^0 ... 10^22).
    static let powersOfTen: [Double] = (0...22).map { k in
        var x = 1.0
        for _ in 0..<k { x *= 10 }
        return x
    }

    /// Parses a float the way Go's `strconv.ParseFloat` does (decimal, exponent, `NaN`, `±Inf`, hex).
    ///
    /// Decimals with at most 19 significant digits and a small exponent take an exact fast path
    /// (one correctly rounded operation); anything else goes through the standard library.
    /// - Returns: the value, or `nil` when the bytes are not a number.
    static func parseDouble(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, scratch: inout String) -> Double? {
        var i = s
        guard i < e else { return nil }
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var sawDigit = false
        var exact = true
        while i < e, p[i] &- 48 < 10 {
            sawDigit = true
            if mantissa != 0 || p[i] != 48 {
                if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); significant += 1 } else { exact = false; exponent += 1 }
            }
            i += 1
        }
        if i < e, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < e, p[i] &- 48 < 10 {
                sawDigit = true
                if mantissa != 0 || p[i] != 48 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); significant += 1; exponent -= 1 } else { exact = false }
                } else {
                    exponent -= 1
                }
                i += 1
            }
        }
        if sawDigit, i < e, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < e, p[i] == UInt8(ascii: "-") { expNegative = true; i += 1 } else if i < e, p[i] == UInt8(ascii: "+") { i += 1 }
            var expValue = 0
            let expStart = i
            while i < e, p[i] &- 48 < 10 {
                if expValue < 100_000 { expValue = expValue * 10 + Int(p[i] &- 48) }
                i += 1
            }
            if i == expStart { return slowParse(p, s, e, scratch: &scratch) }
            exponent += expNegative ? -expValue : expValue
        }
        guard sawDigit, i == e, exact else { return slowParse(p, s, e, scratch: &scratch) }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard mantissa <= (1 << 53), exponent >= -22, exponent <= 22 else { return slowParse(p, s, e, scratch: &scratch) }
        var d = Double(mantissa)
        d = exponent < 0 ? d / powersOfTen[-exponent] : d * powersOfTen[exponent]
        return negative ? -d : d
    }

    /// The standard library's parser, for the numbers the fast path does not take (such as the
    /// 17 significant digits Go prints for many a float64).
    ///
    /// The text goes through `scratch`, whose storage is kept from call to call, so that the
    /// common case allocates nothing.
    static func slowParse(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, scratch: inout String) -> Double? {
        guard e - s <= 64 else { return nil }
        for k in s..<e where p[k] == UInt8(ascii: "_") || p[k] <= 32 || p[k] >= 128 { return nil }
        scratch.removeAll(keepingCapacity: true)
        for k in s..<e { scratch.unicodeScalars.append(Unicode.Scalar(p[k])) }
        return Double(scratch)
    }

    /// Parses a signed decimal integer (text 0.0.4 millisecond timestamps), refusing overflow.
    static func parseInt64(_ p: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int64? {
        var i = s
        guard i < e else { return nil }
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        guard i < e else { return nil }
        var value: Int64 = 0
        while i < e {
            let d = p[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        return value
    }
}
