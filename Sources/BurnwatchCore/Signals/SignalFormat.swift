/// Numbers in signal summaries: short, and "no data" for nil.
public enum SignalFormat {
    /// Up to 3 significant decimals (`0.235`, `12.4`, `1500`), or `no data`.
    public static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "no data" }
        let magnitude = abs(x)
        let digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (x * p).rounded() / p
        if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
        return String(r)
    }

    /// A ratio as a percentage (`23.5%`), or `no data`.
    public static func percent(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "no data" }
        return number(x * 100) + "%"
    }

    /// Seconds for people: `850ms`, `1.2s`, `3m`.
    public static func seconds(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "no data" }
        if x < 1 { return number(x * 1000) + "ms" }
        if x < 120 { return number(x) + "s" }
        return number(x / 60) + "m"
    }
}
