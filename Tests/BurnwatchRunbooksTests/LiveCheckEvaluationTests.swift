import BurnwatchCore
import BurnwatchRunbooks
import Testing

/// Live checks evaluated on the real PromQL engine over a store filled here.
struct LiveCheckEvaluationTests {
    /// Two peers' request and retry counters, one sample every 15 s for 10 minutes.
    static func engine(dbRetriesPerSecond: Double = 2.5, cacheValue: Double = 1) -> PromQLEngine {
        var store = SeriesStore()
        for step in 0...40 {
            let t = Timestamp(milliseconds: Int64(step) * 15_000)
            let seconds = Double(step) * 15
            for peer in ["db", "cache"] {
                store.append(Labels(["__name__": "http_client_requests_total", "peer": peer]), t, seconds * 10)
            }
            store.append(Labels(["__name__": "http_client_retries_total", "peer": "db"]), t, seconds * dbRetriesPerSecond)
            store.append(Labels(["__name__": "http_client_retries_total", "peer": "cache"]), t, seconds * 0.3)
            store.append(Labels(["__name__": "cache_hit_ratio"]), t, cacheValue)
        }
        return PromQLEngine(store: store)
    }

    static let at = Timestamp(milliseconds: 600_000)
    static let retryRatio = "sum by (peer) (rate(http_client_retries_total[5m])) / sum by (peer) (rate(http_client_requests_total[5m]))"

    @Test func passesWhenEverySampleMeetsTheCondition() {
        let check = LiveCheck(expression: Self.retryRatio, comparison: .less, threshold: 0.5)
        let result = check.evaluate(on: Self.engine(dbRetriesPerSecond: 1), at: Self.at)
        guard case .pass(let samples) = result else { Issue.record("expected pass, got \(result)"); return }
        #expect(samples.count == 2)
        let byPeer = Dictionary(uniqueKeysWithValues: samples.map { ($0.labels["peer"] ?? "", $0.value) })
        #expect(abs((byPeer["db"] ?? 0) - 0.1) < 1e-9)
        #expect(abs((byPeer["cache"] ?? 0) - 0.03) < 1e-9)
        #expect(samples.allSatisfy { $0.passes })
    }

    @Test func failsAndNamesTheOffendingSeries() {
        let check = LiveCheck(expression: Self.retryRatio, comparison: .less, threshold: 0.1)
        let result = check.evaluate(on: Self.engine(), at: Self.at)
        guard case .fail(let samples, let offending) = result else { Issue.record("expected fail, got \(result)"); return }
        #expect(samples.count == 2)
        #expect(offending == [Labels(["peer": "db"])])
        #expect(samples.first { $0.labels["peer"] == "db" }?.passes == false)
        #expect(samples.first { $0.labels["peer"] == "cache" }?.passes == true)
    }

    @Test func emptyVectorIsNoDataNeverPassOrZero() {
        let check = LiveCheck(expression: "sum(rate(no_such_metric_total[5m]))", comparison: .less, threshold: 1)
        #expect(check.evaluate(on: Self.engine(), at: Self.at) == .noData)
        let filtered = LiveCheck(expression: "http_client_requests_total{peer=\"nowhere\"}", comparison: .greaterOrEqual, threshold: 0)
        #expect(filtered.evaluate(on: Self.engine(), at: Self.at) == .noData)
    }

    @Test(arguments: LiveCheck.Comparison.allCases)
    func nanSampleFailsWhateverTheOperator(_ comparison: LiveCheck.Comparison) {
        let check = LiveCheck(expression: "cache_hit_ratio", comparison: comparison, threshold: 0.5)
        let result = check.evaluate(on: Self.engine(cacheValue: .nan), at: Self.at)
        guard case .fail(let samples, let offending) = result else { Issue.record("expected fail, got \(result)"); return }
        #expect(samples.count == 1 && samples[0].value.isNaN)
        #expect(offending.count == 1)
    }

    @Test func badExpressionIsAnErrorWithTheEngineMessage() {
        let check = LiveCheck(expression: "sum(rate(http_client_requests_total[5m])", comparison: .less, threshold: 1)
        guard case .error(let message) = check.evaluate(on: Self.engine(), at: Self.at) else {
            Issue.record("expected an error"); return
        }
        #expect(!message.isEmpty)
        let range = LiveCheck(expression: "http_client_requests_total[5m]", comparison: .less, threshold: 1)
        guard case .error(let rangeMessage) = range.evaluate(on: Self.engine(), at: Self.at) else {
            Issue.record("expected an error for a range vector"); return
        }
        #expect(rangeMessage.contains("range vector"))
    }

    @Test func scalarCountsAsOneSample() {
        let passing = LiveCheck(expression: "scalar(sum(rate(http_client_retries_total[5m])))", comparison: .less, threshold: 3)
        let result = passing.evaluate(on: Self.engine(), at: Self.at)
        guard case .pass(let samples) = result else { Issue.record("expected pass, got \(result)"); return }
        #expect(samples.count == 1 && samples[0].labels == .empty)
        #expect(abs(samples[0].value - 2.8) < 1e-9)
        let failing = LiveCheck(expression: "1 + 1", comparison: .equal, threshold: 3)
        #expect(failing.evaluate(on: Self.engine(), at: Self.at)
            == .fail([LiveCheckSample(labels: .empty, value: 2, passes: false)], offending: [.empty]))
    }
}
