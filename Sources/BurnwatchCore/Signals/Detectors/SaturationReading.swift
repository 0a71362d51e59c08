/// One resource of a service as the saturation detector judges it.
struct SaturationReading {
    enum Shape { case utilization, queue, rejections, goroutines, goroutineGrowth, gcFraction }

    /// The evidence name prefix (`workers`, `fds`, `haproxy_queue`).
    var name: String
    var shape: Shape
    /// Utilization (0–1), queue depth, rejections/s, goroutines, goroutines/s or GC share.
    var value: Double?
    /// The queue's capacity, when known.
    var capacity: Double? = nil
    /// Whether a queue kept items and grew over the growth window.
    var growing = false
    /// Host-level resources (node_exporter) warn at most: a full disk is a ticket, not a page.
    var host = false
    var source: String

    /// The severity of this reading under `s`.
    func severity(_ s: SignalSettings) -> Severity? {
        guard let value, value.isFinite else { return nil }
        switch shape {
        case .utilization:
            let sev = s.severity(of: value)
            return host ? sev.map { min($0, .warning) } : sev
        case .queue:
            if let capacity, capacity > 0, value >= capacity { return .page }
            if let capacity, capacity > 0, let sev = s.severity(of: value / capacity) { return max(sev, growing ? .warning : .info) }
            return growing ? .warning : nil
        case .rejections: return value > 0.05 ? .warning : nil
        case .goroutines: return value > s.parameter("goroutines", 1000) ? .warning : nil
        case .goroutineGrowth: return value > s.parameter("goroutine_growth", 10) ? .warning : nil
        case .gcFraction: return value > s.parameter("gc_fraction", 0.05) ? .warning : nil
        }
    }

    /// How the reading reads in a summary.
    var phrase: String {
        switch shape {
        case .utilization: return "\(name) at \(SignalFormat.percent(value))"
        case .queue:
            let of = capacity.map { " of \(SignalFormat.number($0))" } ?? ""
            return "\(name) holds \(SignalFormat.number(value))\(of)\(growing ? " and grows" : "")"
        case .rejections: return "\(name) rejects \(SignalFormat.number(value))/s"
        case .goroutines: return "\(SignalFormat.number(value)) goroutines"
        case .goroutineGrowth: return "goroutines grow \(SignalFormat.number(value))/s"
        case .gcFraction: return "GC takes \(SignalFormat.percent(value)) of CPU"
        }
    }

    var evidenceName: String {
        switch shape {
        case .utilization: return "\(name)_utilization"
        case .queue: return "\(name)_depth"
        case .rejections: return "\(name)_rejections_per_second"
        case .goroutines: return "goroutines"
        case .goroutineGrowth: return "goroutines_growth_per_second"
        case .gcFraction: return "gc_cpu_fraction"
        }
    }
}
