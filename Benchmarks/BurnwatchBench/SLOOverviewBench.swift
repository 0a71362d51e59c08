import BurnwatchCore
import BurnwatchUI

/// The SLO overview frame: 200 SLOs with 300 rounds of history each, rendered at 120×40 and
/// 200×60 (issue 5's goal: ≤ 2 ms median). Run with `burnwatch-bench slo-overview` (or no argument).
enum SLOOverviewBench {
    static func main(_ arguments: [String]) {
        guard arguments.count <= 1 || arguments.dropFirst().contains("slo-overview") else { return }
        let count = 200
        let t0 = Timestamp(seconds: 1_767_225_600)
        let specs = (0..<count).map { i in
            SLOSpec(service: "svc-\(i % 40)", name: "availability-\(i)", objective: i % 3 == 0 ? 0.999 : 0.99,
                    indicator: .events(errorQuery: "sum(rate(http_requests_total{job=\"svc-\(i)\",code=~\"5..\"}[{{.window}}]))",
                                       totalQuery: "sum(rate(http_requests_total{job=\"svc-\(i)\"}[{{.window}}]))"),
                    minEvents: i % 17 == 0 ? 1e9 : nil)
        }
        var state = SLOOverviewState(specs: specs)
        for round in 0..<300 {
            let at = t0 + Interval(milliseconds: Int64(round) * 1000)
            let rows = specs.enumerated().map { (i, spec) -> SLORowUpdate in
                let ratio: Double? = i % 23 == 0 ? nil : (i % 10 == 0 ? 0.05 : 0.0002) * Double(1 + (round + i) % 7)
                let m = ratio.map { SLOWindowMeasurement(errorRatio: $0, events: 50_000) } ?? .noData
                let status = SLOStatus.compute(spec, at: at, measurements: Array(repeating: m, count: SLOWindow.all.count))
                return SLORowUpdate(spec: spec, status: status)
            }
            state.apply(SLOUpdate(at: at, rows: rows))
        }
        for size in [TerminalSize(width: 120, height: 40), TerminalSize(width: 200, height: 60)] {
            var app = AppState(screens: [SLOOverviewScreen(state: state)], size: size)
            app.now = t0 + Interval(milliseconds: 300_000)
            var samples: [Duration] = []
            var cells = 0
            for _ in 0..<200 {
                var frame: ScreenBuffer?
                samples.append(ContinuousClock().measure { frame = view(app, size: size) })
                cells &+= frame?.width ?? 0
            }
            samples.sort()
            let median = Double(samples[samples.count / 2].components.attoseconds) / 1e15
                + Double(samples[samples.count / 2].components.seconds) * 1000
            let p90 = Double(samples[samples.count * 9 / 10].components.attoseconds) / 1e15
            print("slo-overview: 200 SLOs frame at \(size): median \(fmt(median)) ms, p90 \(fmt(p90)) ms (goal ≤ 2 ms) \(median <= 2 ? "OK" : "SLOW")")
        }
    }

    private static func fmt(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        return String(r)
    }
}
