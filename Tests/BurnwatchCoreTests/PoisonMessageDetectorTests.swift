import BurnwatchCore
import XCTest

final class PoisonMessageDetectorTests: XCTestCase {
    private func messages(redelivered: Double, deadLetters: Double = 0) -> SyntheticSeries {
        var s = SyntheticSeries()
        s.counter(["__name__": "log_redelivered_messages_total", "service": "worker"], to: 3600) { $0 == 1800 ? redelivered / 15 : 0 }
        s.counter(["__name__": "log_dead_letters_total", "service": "worker"], to: 3600) { $0 == 1815 ? deadLetters / 15 : 0 }
        return s
    }

    func testRedeliveriesAndDeadLettersCountTogether() {
        XCTAssertEqual(messages(redelivered: 1).observe(PoisonMessageDetector(), at: 1900)["worker"]!.severity, .warning)
        XCTAssertEqual(messages(redelivered: 10, deadLetters: 9).observe(PoisonMessageDetector(), at: 1900)["worker"]!.severity, .warning)
        let o = messages(redelivered: 10, deadLetters: 10).observe(PoisonMessageDetector(), at: 1900)["worker"]!
        XCTAssertEqual(o.severity, .page)
        XCTAssertEqual(o.summary, "20 messages redelivered or dead-lettered in 10m")
        XCTAssertNil(messages(redelivered: 0).observe(PoisonMessageDetector(), at: 1900)["worker"]!.severity)
    }

    func testWaitsAMinute() {
        let sev = messages(redelivered: 3).severities(PoisonMessageDetector(), from: 1800, to: 1900)
        XCTAssertNil(sev[1])
        XCTAssertEqual(sev.last!, .warning)
    }

    func testLagGrowingTenMinutesWarnsAndSteadyLagDoesNot() {
        var s = SyntheticSeries()
        s.gauge(["__name__": "kafka_consumergroup_lag", "job": "orders", "consumergroup": "g", "topic": "t"], to: 3600) { $0 < 1800 ? 50 : 50 + ($0 - 1800) }
        s.gauge(["__name__": "kafka_consumergroup_lag", "job": "billing", "consumergroup": "g", "topic": "t"], to: 3600) { t in 50 + (Int(t / 15) % 2 == 0 ? 5 : 0) }
        XCTAssertNil(s.observe(PoisonMessageDetector(), at: 2100)["orders"]!.severity, "5 minutes of growth is not yet 10")
        let o = s.observe(PoisonMessageDetector(), at: 2460)
        XCTAssertEqual(o["orders"]!.severity, .warning)
        XCTAssertTrue(o["orders"]!.summary.contains("consumer lag grew"), o["orders"]!.summary)
        XCTAssertNil(o["billing"]!.severity)
    }

    func testDeadLetterQueueGrowthCounts() {
        var s = SyntheticSeries()
        s.gauge(["__name__": "rabbitmq_queue_messages", "job": "mq", "queue": "orders.dlq"], to: 3600) { _ in 3 }
        s.gauge(["__name__": "orders_dlq_depth", "job": "mq"], to: 3600) { $0 < 1800 ? 0 : 4 }
        XCTAssertEqual(s.observe(PoisonMessageDetector(), at: 1900)["mq"]!.severity, .warning)
        XCTAssertNil(s.observe(PoisonMessageDetector(), at: 3000)["mq"]!.severity, "a dead-letter queue that stopped growing")
    }
}
