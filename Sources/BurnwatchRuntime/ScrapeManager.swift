import BurnwatchCore
import Foundation

/// Scrapes many targets on their intervals with a fixed pool of worker threads.
///
/// Each target starts at a jittered offset within its interval, is never scraped twice at once,
/// and after a failure waits `interval + full jitter` (a random delay up to
/// `min(maxBackoff, interval × (2^failures − 1))`) before the next try. Results go to the callback,
/// on a worker thread, stamped by the injected clock; a target's results arrive in order, each
/// before its next scrape starts.
public final class ScrapeManager: @unchecked Sendable {
    /// Pool size and backoff bounds.
    public struct Options: Sendable {
        /// Worker threads (scrapes in flight at most).
        public var workers: Int = 8
        /// Longest extra wait after repeated failures, in seconds.
        public var maxBackoffSeconds: Double = 300
        /// Seed of the jitter generator (a fixed seed makes schedules repeatable).
        public var seed: UInt64 = 0x5eed
        public init(workers: Int = 8, maxBackoffSeconds: Double = 300, seed: UInt64 = 0x5eed) {
            self.workers = workers; self.maxBackoffSeconds = maxBackoffSeconds; self.seed = seed
        }
    }

    private struct Slot {
        let scraper: TargetScraper
        var due: UInt64
        var busy = false
    }

    private let condition = NSCondition()
    private var slots: [Slot]
    private var ready: [Int] = []
    private var stopped = false
    private var started = false
    private var threads: [Thread] = []
    private var running = 0
    private var rng: SeededRandom
    private let options: Options
    private let clock: @Sendable () -> Timestamp
    private let onResult: @Sendable (ScrapeResult) -> Bool

    /// Creates a manager; nothing runs until `start()`.
    ///
    /// - Parameters:
    ///   - targets: what to scrape.
    ///   - clock: the time stamped on results (wall clock live; a fake clock in tests).
    ///   - onResult: receives every result on a worker thread; keep it short (hand off to a bounded
    ///     queue). It answers whether the result was kept: after a dropped one, the target's next
    ///     result defines all its series again (`ScrapeResult.resync`).
    public init(targets: [ScrapeTarget], options: Options = Options(), clock: @escaping @Sendable () -> Timestamp = PlatformHTTP.wallClock,
                onResult: @escaping @Sendable (ScrapeResult) -> Bool) {
        self.options = options
        self.clock = clock
        self.onResult = onResult
        var rng = SeededRandom(seed: options.seed)
        let now = PlatformHTTP.monotonicNanoseconds()
        slots = targets.map { target in
            let interval = UInt64(target.intervalSeconds * 1e9)
            let offset = interval == 0 ? 0 : rng.next() % interval
            return Slot(scraper: TargetScraper(target: target), due: now + offset)
        }
        self.rng = rng
    }

    deinit { stop() }

    /// Starts the scheduler and the worker threads.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started else { return }
        started = true
        let scheduler = Thread { [self] in scheduleLoop() }
        scheduler.name = "burnwatch-scrape-scheduler"
        threads.append(scheduler)
        for i in 0..<max(1, options.workers) {
            let worker = Thread { [self] in workLoop() }
            worker.name = "burnwatch-scrape-\(i)"
            worker.stackSize = 512 << 10
            threads.append(worker)
        }
        running = threads.count
        for thread in threads { thread.start() }
    }

    /// Stops scheduling and waits for scrapes in flight (each ends within its timeout).
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while started && running > 0 { condition.wait() }
        let finish = onStop
        onStop = nil
        condition.unlock()
        finish?()
    }

    /// Called once when `stop()` has stopped every thread (the stream form finishes its stream).
    private var onStop: (@Sendable () -> Void)?

    /// A manager whose results arrive on an `AsyncStream` holding at most `bufferLimit` results;
    /// when the consumer lags, the oldest are kept and newer ones are dropped and counted in `dropped`.
    /// The stream finishes when the manager stops.
    public static func stream(targets: [ScrapeTarget], options: Options = Options(), bufferLimit: Int = 1024,
                              clock: @escaping @Sendable () -> Timestamp = PlatformHTTP.wallClock)
        -> (manager: ScrapeManager, results: AsyncStream<ScrapeResult>, dropped: DropCounter) {
        let (stream, continuation) = AsyncStream<ScrapeResult>.makeStream(bufferingPolicy: .bufferingOldest(bufferLimit))
        let dropped = DropCounter()
        let manager = ScrapeManager(targets: targets, options: options, clock: clock) { result in
            if case .dropped = continuation.yield(result) {
                dropped.increment()
                return false
            }
            return true
        }
        manager.onStop = { continuation.finish() }
        return (manager, stream, dropped)
    }

    private func scheduleLoop() {
        condition.lock()
        while !stopped {
            let now = PlatformHTTP.monotonicNanoseconds()
            var next = UInt64.max
            for i in slots.indices where !slots[i].busy {
                if slots[i].due <= now {
                    slots[i].busy = true
                    ready.append(i)
                } else {
                    next = min(next, slots[i].due)
                }
            }
            if !ready.isEmpty { condition.broadcast() }
            let waitSeconds = next == UInt64.max ? 1.0 : Double(next - now) / 1e9
            _ = condition.wait(until: Date(timeIntervalSinceNow: min(max(waitSeconds, 0.001), 1.0)))
        }
        finishThread()
    }

    private func workLoop() {
        condition.lock()
        while true {
            while ready.isEmpty && !stopped { condition.wait() }
            if stopped { break }
            let index = ready.removeFirst()
            let scraper = slots[index].scraper
            condition.unlock()
            let result = scraper.scrape(at: clock())
            // Handed on while the target is still busy: its results stay in order, and a dropped
            // one is known before its next scrape.
            if !onResult(result) { scraper.requestResync() }
            condition.lock()
            let interval = UInt64(scraper.target.intervalSeconds * 1e9)
            let now = PlatformHTTP.monotonicNanoseconds()
            if result.isUp {
                // Keep the phase: the next slot after now on this target's grid.
                var due = slots[index].due + interval
                if due <= now, interval > 0 { due += ((now - due) / interval + 1) * interval }
                slots[index].due = due
            } else {
                slots[index].due = now + interval + backoffJitter(failures: result.consecutiveFailures, interval: interval)
            }
            slots[index].busy = false
            condition.broadcast()
        }
        finishThread()
    }

    /// Full jitter: uniform in [0, min(maxBackoff, interval × (2^failures − 1))]. Call with the lock held.
    private func backoffJitter(failures: Int, interval: UInt64) -> UInt64 {
        let factor = Double((1 << min(failures, 20)) - 1)
        let cap = min(options.maxBackoffSeconds * 1e9, Double(interval) * factor)
        guard cap >= 1 else { return 0 }
        return rng.next() % UInt64(cap)
    }

    /// The backoff jitter, for tests.
    func testBackoffJitter(failures: Int, interval: UInt64) -> UInt64 {
        condition.lock(); defer { condition.unlock() }
        return backoffJitter(failures: failures, interval: interval)
    }

    private func finishThread() {
        running -= 1
        condition.broadcast()
        condition.unlock()
    }
}

/// Counts results dropped because a consumer lagged.
public final class DropCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    /// Results dropped so far.
    public var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
