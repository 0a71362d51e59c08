/// Appending and reading the samples of the store's series.
extension SeriesStore {
    /// Appends a sample; samples not newer than the series' last one are dropped and counted.
    public mutating func append(_ labels: Labels, _ time: Timestamp, _ value: Double) {
        append(id: seriesID(for: labels), time: time.milliseconds, value: value)
    }

    /// Appends a sample to a known series id.
    ///
    /// A series' first sample is kept inline; the second moves both into a chunk.
    /// - Complexity: O(1) amortised.
    public mutating func append(id: Int, time: Int64, value: Double) {
        // Only the downsampler reads the previous value (decoding it costs a division).
        let previous = downsampler.isTracking ? series[id].lastValue : nil
        if let last = series[id].lastTime, time <= last {
            outOfOrderDropped += 1
            return
        }
        if series[id].sampleCount == 0, series[id].chunks.isEmpty {
            series[id].onlyTime = time; series[id].onlyValue = value
            series[id].sampleCount = 1
            if downsampler.isTracking { downsampler.sampleAppended(id: id, time: time, value: value, previous: nil) }
            return
        }
        if series[id].holdsInlineSample {
            series[id].chunks = [SampleChunk(time: series[id].onlyTime, value: series[id].onlyValue)]
            series[id].head = 0
        }
        let last = series[id].chunks.count - 1
        if series[id].chunks.count > Int(series[id].head), series[id].chunks[last].canAppend(time: time) {
            series[id].chunks[last].append(time: time, value: value)
        } else {
            if series[id].chunks.count > Int(series[id].head) { series[id].chunks[last].shrink() }
            series[id].chunks.append(SampleChunk(time: time, value: value))
        }
        series[id].sampleCount += 1
        if downsampler.isTracking { downsampler.sampleAppended(id: id, time: time, value: value, previous: previous) }
        enforceRetention(id: id, newest: time)
    }

    private mutating func enforceRetention(id: Int, newest: Int64) {
        let cutoff = newest - retention.duration.milliseconds
        while series[id].chunks.count - Int(series[id].head) > 1 {
            let head = Int(series[id].head)
            let oldest = series[id].chunks[head]
            let overCount = Int(series[id].sampleCount) - oldest.count >= retention.maxSamplesPerSeries
            guard oldest.lastTime < cutoff || overCount else { break }
            series[id].sampleCount -= Int32(oldest.count)
            series[id].chunks[head].release()
            series[id].head += 1
        }
        // Compact the ring's slot array once half of it is dead.
        if series[id].head > 8, Int(series[id].head) * 2 > series[id].chunks.count {
            series[id].chunks.removeFirst(Int(series[id].head))
            series[id].head = 0
        }
    }

    /// Writes the stale marker for one series at `time` (a series that vanished or whose target went down).
    public mutating func markStale(id: Int, at time: Int64) {
        guard let last = series[id].lastTime, time > last, let lastValue = series[id].lastValue else { return }
        if StaleMarker.isStale(lastValue) { return }
        append(id: id, time: time, value: StaleMarker.value)
    }

    /// Calls `body` with each sample of series `id` whose time is in `lo...hi`, oldest first.
    public func forEachSample(id: Int, from lo: Int64, through hi: Int64, _ body: (Int64, Double) -> Void) {
        if series[id].chunks.isEmpty {
            if series[id].sampleCount == 1, series[id].onlyTime >= lo, series[id].onlyTime <= hi { body(series[id].onlyTime, series[id].onlyValue) }
            return
        }
        series[id].chunks.withUnsafeBufferPointer { chunks in
            var i = firstChunk(chunks, head: Int(series[id].head), endingAtOrAfter: lo)
            while i < chunks.count {
                if chunks[i].baseTime > hi { return }
                chunks[i].forEach(from: lo, through: hi, body)
                i += 1
            }
        }
    }

    /// The span of the non-stale samples of series `id` whose time is in `lo...hi`.
    ///
    /// Equal to adding every such sample of `forEachSample` in order, bit for bit.
    /// - Complexity: O(log chunks + chunks in range + 2 × chunk capacity).
    public func counterSpan(id: Int, from lo: Int64, through hi: Int64) -> CounterSpan {
        var span = CounterSpan()
        if series[id].chunks.isEmpty {
            let (t, v) = (series[id].onlyTime, series[id].onlyValue)
            if series[id].sampleCount == 1, t >= lo, t <= hi, !StaleMarker.isStale(v) { span.add(time: t, value: v) }
            return span
        }
        series[id].chunks.withUnsafeBufferPointer { chunks in
            var i = firstChunk(chunks, head: Int(series[id].head), endingAtOrAfter: lo)
            while i < chunks.count {
                // Read in place: a copy of the chunk would retain and release each of its buffers.
                if chunks[i].baseTime > hi { break }
                if chunks[i].baseTime >= lo, chunks[i].lastTime <= hi {
                    span.add(chunks[i].span)
                } else {
                    span.add(chunks[i].span(from: lo, through: hi))
                }
                i += 1
            }
        }
        return span
    }

    /// The time of the first sample of series `id` at or after `time`, if any is held.
    /// - Complexity: O(log chunks + chunk capacity).
    public func firstSampleTime(id: Int, atOrAfter time: Int64) -> Int64? {
        if series[id].chunks.isEmpty {
            return series[id].sampleCount == 1 && series[id].onlyTime >= time ? series[id].onlyTime : nil
        }
        return series[id].chunks.withUnsafeBufferPointer { chunks in
            let i = firstChunk(chunks, head: Int(series[id].head), endingAtOrAfter: time)
            guard i < chunks.count else { return nil }
            if chunks[i].baseTime >= time { return chunks[i].baseTime }
            var found: Int64?
            chunks[i].forEach(from: time, through: .max) { t, _ in if found == nil { found = t } }
            return found
        }
    }

    /// The index of the first live chunk whose last sample is at or after `time` (binary search).
    private func firstChunk(_ chunks: UnsafeBufferPointer<SampleChunk>, head: Int, endingAtOrAfter time: Int64) -> Int {
        var a = head, b = chunks.count
        while a < b {
            let m = (a + b) / 2
            if chunks[m].lastTime < time { a = m + 1 } else { b = m }
        }
        return a
    }

    /// The last sample of series `id` at or before `time`, if any is held.
    public func lastSample(id: Int, atOrBefore time: Int64) -> (Int64, Double)? {
        if series[id].chunks.isEmpty {
            return series[id].sampleCount == 1 && series[id].onlyTime <= time ? (series[id].onlyTime, series[id].onlyValue) : nil
        }
        return series[id].chunks.withUnsafeBufferPointer { chunks in
            var i = chunks.count - 1
            while i >= Int(series[id].head) {
                if chunks[i].baseTime <= time { return chunks[i].last(atOrBefore: time) }
                i -= 1
            }
            return nil
        }
    }
}
