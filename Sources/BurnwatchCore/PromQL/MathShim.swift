// libm functions that the standard library lacks (no Foundation in Core). They are declared by
// their C symbol names; on Linux and Darwin they come with the C library that every Swift binary
// links. Double arguments and results are passed identically by Swift and C.
@_silgen_name("pow") func c_pow(_ x: Double, _ y: Double) -> Double
@_silgen_name("exp") func c_exp(_ x: Double) -> Double
@_silgen_name("log") func c_log(_ x: Double) -> Double
@_silgen_name("log2") func c_log2(_ x: Double) -> Double
@_silgen_name("log10") func c_log10(_ x: Double) -> Double
@_silgen_name("atan2") func c_atan2(_ y: Double, _ x: Double) -> Double

/// Go's `math.Max`: +Inf wins, then NaN, then the larger (and +0 over -0).
func goMax(_ a: Double, _ b: Double) -> Double {
    if a == .infinity || b == .infinity { return .infinity }
    if a.isNaN || b.isNaN { return .nan }
    if a == 0, b == 0 { return a.sign == .minus ? b : a }
    return a > b ? a : b
}

/// Go's `math.Min`: -Inf wins, then NaN, then the smaller (and -0 over +0).
func goMin(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity || b == -.infinity { return -.infinity }
    if a.isNaN || b.isNaN { return .nan }
    if a == 0, b == 0 { return a.sign == .minus ? a : b }
    return a < b ? a : b
}

/// Neumaier-compensated summation step, as Prometheus's `kahanSumInc`.
@inline(__always) func kahanSumInc(_ inc: Double, _ sum: Double, _ c: Double) -> (Double, Double) {
    let t = sum + inc
    var c = c
    if abs(sum) >= abs(inc) { c += (sum - t) + inc } else { c += (inc - t) + sum }
    return (t, c)
}

/// Parses a float the way Go's `strconv.ParseFloat` accepts bucket bounds (`+Inf`, `1e3`, `NaN`).
func parseGoFloat(_ s: String) -> Double? {
    switch s.lowercased() {
    case "+inf", "inf", "+infinity", "infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    case "nan": return .nan
    default:
        return Double(s)
    }
}
