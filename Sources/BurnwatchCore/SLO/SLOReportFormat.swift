/// The `burnwatch eval` output: the stable JSON object and a readable text table.
public enum SLOReportFormat {
    /// One JSON object for one evaluation time (the shape documented in docs/slo.md).
    ///
    /// - Parameters:
    ///   - at: the evaluation time.
    ///   - statuses: the SLOs' statuses at that time.
    ///   - signalsJSON: the already-encoded `signals` array (`[]` until detectors fill it).
    /// - Returns: one line of JSON without a trailing newline. Missing numbers are `null`.
    public static func json(at: Timestamp, statuses: [SLOStatus], signalsJSON: String = "[]") -> String {
        var out = "{\"at\":\(seconds(at)),\"slos\":["
        for (i, s) in statuses.enumerated() {
            if i > 0 { out += "," }
            out += "{\"service\":\(string(s.spec.service)),\"name\":\(string(s.spec.name))"
            out += ",\"objective\":\(number(s.spec.objective)),\"period_seconds\":\(number(s.periodSeconds)),\"windows\":{"
            for (k, w) in s.windows.enumerated() {
                if k > 0 { out += "," }
                out += "\(string(w.window.description)):{\"error_ratio\":\(number(w.errorRatio)),\"burn_rate\":\(number(w.burnRate)),\"events\":\(number(w.events))}"
            }
            out += "},\"budget_remaining\":\(number(s.budgetRemaining)),\"time_to_exhaustion_seconds\":\(number(s.timeToExhaustionSeconds)),\"alerts\":["
            for (k, a) in s.alerts.enumerated() {
                if k > 0 { out += "," }
                out += "{\"severity\":\(string(a.tier.severity.rawValue)),\"long\":\(string(SLOQueries.promDuration(a.tier.long)))"
                out += ",\"short\":\(string(SLOQueries.promDuration(a.tier.short))),\"factor\":\(number(a.tier.factor))"
                out += ",\"firing\":\(a.firing),\"since\":\(a.since.map(seconds) ?? "null")}"
            }
            out += "],\"state\":\(string(s.state.rawValue))}"
        }
        return out + "],\"signals\":\(signalsJSON)}"
    }

    /// A readable table: one block per SLO with its windows, budget and tiers.
    public static func text(at: Timestamp, statuses: [SLOStatus]) -> String {
        var out = "at \(at)\n"
        for s in statuses {
            out += "\n\(s.spec.service)/\(s.spec.name)  objective \(percent(s.spec.objective))  period \(s.spec.period)  state \(s.state.rawValue.uppercased())\n"
            out += "  budget remaining \(s.budgetRemaining.map(percent) ?? "no data")"
            out += "  time to exhaustion \(s.timeToExhaustionSeconds.map { Interval(seconds: $0.rounded()).description } ?? "-")\n"
            out += "  " + pad("window", 8) + pad("error ratio", 14) + pad("burn rate", 12) + "events\n"
            for w in s.windows {
                out += "  " + pad(w.window.description, 8) + pad(w.errorRatio.map(short) ?? "no data", 14)
                out += pad(w.burnRate.map { short($0) + "x" } ?? "no data", 12) + (w.events.map(short) ?? "no data") + "\n"
            }
            for a in s.alerts {
                let state = a.firing ? "FIRING since \(a.since.map { $0.description } ?? "?")" : (a.lowTraffic ? "low traffic" : "quiet")
                out += "  \(pad(a.tier.severity.rawValue, 7)) \(pad("\(short(a.tier.factor))x", 6)) over \(pad("\(a.tier.long)/\(a.tier.short)", 8))"
                out += " budget used in long window \(a.budgetConsumed.map(percent) ?? "no data")  \(state)\n"
            }
            for w in s.warnings { out += "  warning: \(w)\n" }
        }
        return out
    }

    /// Unix seconds: an integer when whole, else with milliseconds.
    public static func seconds(_ t: Timestamp) -> String {
        if t.milliseconds % 1000 == 0 { return String(t.milliseconds / 1000) }
        return number(t.seconds)
    }

    /// A JSON number, or `null` for nil, NaN and infinities.
    public static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }

    /// A JSON string with quotes, backslashes and control characters (DEL too) escaped.
    public static func string(_ s: String) -> String {
        JSONStringLiteral.quote(s) { $0.value == 0x7f }
    }

    static func percent(_ x: Double) -> String { short(x * 100) + "%" }

    /// Up to 4 significant decimals, for people.
    public static func short(_ x: Double) -> String {
        guard x.isFinite else { return String(x) }
        let r = (x * 10_000).rounded() / 10_000
        if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
        return String(r)
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}
