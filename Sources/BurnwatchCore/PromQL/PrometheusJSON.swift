/// Renders query results exactly as Prometheus's `/api/v1/query` and `/api/v1/query_range` do.
public enum PrometheusJSON {
    /// The success envelope around a result.
    public static func success(_ value: QueryValue) -> String {
        var out = "{\"status\":\"success\",\"data\":{\"resultType\":\""
        switch value {
        case let .scalar(t, v):
            out += "scalar\",\"result\":[\(PromNumberFormat.time(t.milliseconds)),\"\(PromNumberFormat.json(v))\"]"
        case let .string(t, s):
            out += "string\",\"result\":[\(PromNumberFormat.time(t.milliseconds)),\(quote(s))]"
        case let .vector(samples):
            out += "vector\",\"result\":["
            for (i, s) in samples.enumerated() {
                if i > 0 { out += "," }
                out += "{\"metric\":\(metric(s.labels)),\"value\":[\(PromNumberFormat.time(s.timestamp.milliseconds)),\"\(PromNumberFormat.json(s.value))\"]}"
            }
            out += "]"
        case let .matrix(series):
            out += "matrix\",\"result\":["
            for (i, s) in series.enumerated() {
                if i > 0 { out += "," }
                out += "{\"metric\":\(metric(s.labels)),\"values\":["
                for (j, p) in s.points.enumerated() {
                    if j > 0 { out += "," }
                    out += "[\(PromNumberFormat.time(p.0.milliseconds)),\"\(PromNumberFormat.json(p.1))\"]"
                }
                out += "]}"
            }
            out += "]"
        }
        return out + "}}"
    }

    /// The error envelope: `errorType` is `bad_data` for a bad request, `execution` for a failed evaluation.
    public static func error(type: String, message: String) -> String {
        "{\"status\":\"error\",\"errorType\":\(quote(type)),\"error\":\(quote(message))}"
    }

    /// A label set as a JSON object, names in order.
    public static func metric(_ labels: Labels) -> String {
        "{" + labels.sorted.map { "\(quote($0.name)):\(quote($0.value))" }.joined(separator: ",") + "}"
    }

    /// A JSON string literal escaped as Go's encoding/json does (HTML-safe).
    public static func quote(_ s: String) -> String {
        JSONStringLiteral.quote(s) { u in
            u == "<" || u == ">" || u == "&" || u == "\u{2028}" || u == "\u{2029}"
        }
    }
}
