import BurnwatchCore
@testable import BurnwatchRuntime
import BurnwatchTestSupport
import Foundation
import Testing

/// Tracks requests in flight per path and overall.
final class Concurrency: @unchecked Sendable {
    private let lock = NSLock()
    private var inFlight: [String: Int] = [:]
    private var total = 0
    private(set) var maxTotal = 0
    private(set) var maxPerPath = 0
    func enter(_ path: String) {
        lock.lock(); inFlight[path, default: 0] += 1; total += 1
        maxTotal = max(maxTotal, total); maxPerPath = max(maxPerPath, inFlight[path]!); lock.unlock()
    }
    func leave(_ path: String) { lock.lock(); inFlight[path, default: 0] -= 1; total -= 1; lock.unlock() }
    var peaks: (Int, Int) { lock.lock(); defer { lock.unlock() }; return (maxTotal, maxPerPath) }
}

/// Results collected from worker threads.
final class ResultLog: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [ScrapeResult] = []
    func add(_ r: ScrapeResult) { lock.lock(); results.append(r); lock.unlock() }
    var all: [ScrapeResult] { lock.lock(); defer { lock.unlock() }; return results }
}

/// A fake clock: 1000 ms, 2000 ms, ... one step per reading.
final class StepClock: @unchecked Sendable {
    private let lock = NSLock()
    private var n: Int64 = 0
    func now() -> Timestamp { lock.lock(); defer { lock.unlock() }; n += 1; return Timestamp(milliseconds: n * 1000) }
}

@Suite struct ScrapeManagerTests {
    @Test func boundedConcurrencyNoOverlapBackoffAndInjectedClock() throws {
        let concurrency = Concurrency()
        let server = try LoopbackHTTPServer { request in
            concurrency.enter(request.path)
            defer { concurrency.leave(request.path) }
            usleep(30_000)
            if request.path == "/down" { return .respond(status: 500, headers: [], body: []) }
            return .ok(Array("m{p=\"\(request.path)\"} 1\n".utf8))
        }
        defer { server.stop() }
        let paths = ["/a", "/b", "/c", "/d", "/down"]
        let targets = paths.map { ScrapeTarget(url: server.url($0), job: "t", intervalSeconds: 0.1, timeoutSeconds: 0.1) }
        let log = ResultLog()
        let clock = StepClock()
        let manager = ScrapeManager(targets: targets, options: .init(workers: 2, maxBackoffSeconds: 0.4, seed: 7),
                                    clock: { clock.now() }) { log.add($0); return true }
        manager.start()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let results = log.all
            if paths.dropLast().allSatisfy({ p in results.filter { $0.target.url.hasSuffix(p) }.count >= 3 }),
               results.filter({ !$0.isUp }).count >= 3 { break }
            usleep(20_000)
        }
        manager.stop()
        let results = log.all
        for path in paths.dropLast() {
            #expect(results.filter { $0.target.url.hasSuffix(path) && $0.isUp }.count >= 3, "\(path)")
        }
        let down = results.filter { $0.target.url.hasSuffix("/down") }
        #expect(down.count >= 3)
        #expect(down.map(\.consecutiveFailures) == Array(1...down.count))
        #expect(down.allSatisfy { $0.failure?.message == "scrape failed: HTTP 500" })
        let (maxTotal, maxPerPath) = concurrency.peaks
        #expect(maxTotal <= 2, "more scrapes in flight than workers")
        #expect(maxPerPath == 1, "a target was scraped twice at once")
        // Every time stamp came from the injected clock, one reading per scrape.
        let times = results.map(\.time.milliseconds)
        #expect(Set(times).count == times.count)
        #expect(times.allSatisfy { $0 % 1000 == 0 && $0 <= Int64(results.count) * 1000 })
    }

    @Test func resultsArriveOnAnAsyncStream() async throws {
        let server = try LoopbackHTTPServer { _ in .ok(Array("x 1\n".utf8)) }
        defer { server.stop() }
        let (manager, stream, dropped) = ScrapeManager.stream(
            targets: [ScrapeTarget(url: server.url(), job: "s", intervalSeconds: 0.05, timeoutSeconds: 0.05)],
            options: .init(workers: 1), bufferLimit: 100)
        manager.start()
        var seen = 0
        var book = ScrapeSlotBook()
        for await result in stream {
            #expect(result.isUp)
            #expect(book.read(result).points.first?.labels["job"] == "s")
            seen += 1
            if seen == 3 { break }
        }
        manager.stop()
        #expect(seen == 3)
        _ = dropped
    }

    @Test func aLaggingConsumerKeepsTheOldestAndCountsDrops() async throws {
        let server = try LoopbackHTTPServer { _ in .ok(Array("x 1\n".utf8)) }
        defer { server.stop() }
        let clock = StepClock()
        let (manager, stream, dropped) = ScrapeManager.stream(
            targets: [ScrapeTarget(url: server.url(), job: "s", intervalSeconds: 0.02, timeoutSeconds: 0.02)],
            options: .init(workers: 1), bufferLimit: 1, clock: { clock.now() })
        manager.start()
        let deadline = Date().addingTimeInterval(20)
        while dropped.value < 2, Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
        manager.stop()
        #expect(dropped.value >= 2)
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.time == Timestamp(milliseconds: 1000))
        let end = await iterator.next()
        #expect(end == nil, "the stream finishes when the manager stops")
    }

    @Test func backoffJitterStaysWithinFullJitterBounds() {
        let manager = ScrapeManager(targets: [], options: .init(workers: 1, maxBackoffSeconds: 10, seed: 1)) { _ in true }
        let second: UInt64 = 1_000_000_000
        for failures in 1...8 {
            let cap = min(10 * second, second * ((1 << failures) - 1))
            for _ in 0..<50 {
                #expect(manager.testBackoffJitter(failures: failures, interval: second) < cap)
            }
        }
    }
}
