import BurnwatchCore

/// The logs screen's state: a bounded buffer of lines, the filter, the view over it, the selection,
/// the per-second counts by level and the sources' health. A value; every change is a method here.
public struct LogsScreenState: Sendable {
    /// The level groups the strip and the colours use.
    public enum LevelGroup: Int, CaseIterable, Sendable {
        case error, warn, info, debug

        /// The group of a level (`fatal` counts as error, `trace` and unknown as debug).
        public init(_ level: LogLevel) {
            switch level {
            case .error, .fatal: self = .error
            case .warn: self = .warn
            case .info: self = .info
            case .debug, .trace, .unknown: self = .debug
            }
        }
    }

    /// A line of the request view: which field ties the lines together and its value.
    public struct RequestFocus: Sendable, Equatable {
        public var field: String
        public var value: String
    }

    // MARK: Buffer

    /// At most this many lines are kept; older ones are evicted and counted.
    public let retention: Int
    /// Kept lines, oldest first; the line with sequence number `s` is `records[s - firstSeq]`.
    public private(set) var records: [LogsRecord] = []
    /// The sequence number of `records[0]`.
    public private(set) var firstSeq = 0
    /// Lines evicted by the retention limit.
    public private(set) var evicted = 0

    // MARK: View

    /// The filter text in force (empty: every line).
    public private(set) var filterText = ""
    private var filter = LogFilter.all
    /// The problem with the text being typed (message and 1-based column), if it does not parse.
    public private(set) var filterError: (message: String, column: Int)?
    /// The filter text while it is being typed; nil when not editing.
    public private(set) var editing: PromptState?
    private var filterBeforeEditing = ""
    /// The request view, when on: only lines sharing this request or trace id.
    public private(set) var request: RequestFocus?
    /// Sequence numbers of the lines shown, ascending.
    public private(set) var visible: [Int] = []
    /// Whether new lines move the view to the end.
    public private(set) var following = true
    /// The selected line's sequence number.
    public private(set) var selected: Int?
    /// The index in `visible` of the first row shown.
    public private(set) var scrollTop = 0
    /// Lines that arrived and matched while paused (shown as "N new").
    public private(set) var newWhilePaused = 0
    /// Whether the detail pane is open.
    public private(set) var detailOpen = false
    /// A short message for the screen's own line (no match, no more errors…).
    public var message: String?

    // MARK: Counters

    /// Lines per second of event time, by level group, for the newest `rateSeconds` seconds.
    public private(set) var perSecond: [Int64: [Int]] = [:]
    /// The newest second seen in an event time.
    public private(set) var newestSecond: Int64?
    /// How many seconds of counts are kept.
    public static let rateSeconds: Int64 = 600
    /// The health of each source, by the feed's order.
    public private(set) var health: [LogsSourceHealth] = []
    /// Lines received in total.
    public private(set) var received = 0

    /// Creates an empty state keeping at most `retention` lines.
    public init(retention: Int = 20_000) {
        self.retention = max(1, retention)
    }

    /// The last sequence number given out plus one.
    public var endSeq: Int { firstSeq + records.count }

    /// The kept line with sequence number `seq`, if it was not evicted.
    public func record(_ seq: Int) -> LogsRecord? {
        let i = seq - firstSeq
        return i >= 0 && i < records.count ? records[i] : nil
    }

    /// The selected line.
    public var selectedRecord: LogsRecord? { selected.flatMap(record) }

    /// The index of the selection in `visible`.
    public var selectedIndex: Int? {
        guard let selected else { return nil }
        return Self.lowerBound(visible, selected).flatMap { visible[$0] == selected ? $0 : nil }
    }

    // MARK: Adding lines

    /// Adds a batch of lines: counts them, evicts beyond the retention limit, and updates the view.
    ///
    /// - Parameter pageRows: the list's height, to keep the end in view while following.
    /// - Complexity: O(b · f) for a batch of b lines and a filter of f nodes, plus O(n) on eviction.
    public mutating func append(_ batch: LogsBatch, pageRows: Int) {
        if !batch.health.isEmpty { health = batch.health }
        for record in batch.records {
            let seq = endSeq
            records.append(record)
            received += 1
            count(record)
            if shows(record) {
                visible.append(seq)
                if !following { newWhilePaused += 1 }
            }
        }
        evictBeyondRetention()
        if following { followEnd(pageRows: pageRows) } else { clampScroll(pageRows: pageRows) }
    }

    private mutating func count(_ record: LogsRecord) {
        let second = Self.floorSecond(record.time)
        let group = LevelGroup(record.event.level).rawValue
        perSecond[second, default: [0, 0, 0, 0]][group] += 1
        if newestSecond.map({ second > $0 }) ?? true {
            newestSecond = second
            let oldest = second - Self.rateSeconds
            if perSecond.count > Int(Self.rateSeconds) + 16 {
                perSecond = perSecond.filter { $0.key > oldest }
            }
        }
    }

    private mutating func evictBeyondRetention() {
        let excess = records.count - retention
        guard excess > 0 else { return }
        records.removeFirst(excess)
        firstSeq += excess
        evicted += excess
        let cut = Self.lowerBound(visible, firstSeq) ?? visible.count
        if cut > 0 {
            visible.removeFirst(cut)
            scrollTop = max(0, scrollTop - cut)
        }
        if let s = selected, s < firstSeq { selected = visible.first }
    }

    // MARK: Filter

    /// Whether a line passes the request view or else the filter.
    func shows(_ record: LogsRecord) -> Bool {
        if let request {
            let value = request.field == "trace_id" ? record.event.traceID : record.event.requestID
            return value == request.value
        }
        if case .always = filter.root { return true }
        var subject = LogEventFilterSubject(event: record.event, fields: filter.fields)
        return filter.matches(&subject)
    }

    /// Sets the filter from text; on a parse error the old filter stays and the error is kept.
    ///
    /// - Returns: whether the text parsed.
    @discardableResult
    public mutating func setFilter(_ text: String, pageRows: Int) -> Bool {
        do {
            let parsed = try LogFilter(parsing: text)
            filter = parsed
            filterText = text.logsTrimmed
            filterError = nil
            rebuildVisible(pageRows: pageRows)
            return true
        } catch let error as BurnwatchError {
            var message = error.message
            if message.hasPrefix("filter: ") { message.removeFirst("filter: ".count) }
            filterError = (message, error.position?.column ?? 1)
            return false
        } catch {
            filterError = ("\(error)", 1)
            return false
        }
    }

    /// Starts typing a filter: each key re-filters as it is typed.
    public mutating func beginEditing() {
        filterBeforeEditing = filterText
        editing = PromptState(mode: .input(id: "filter", label: "filter"), text: filterText)
    }

    /// Applies one key to the filter being typed.
    ///
    /// Enter keeps the filter (or stays open on a parse error); Esc restores the one from before.
    public mutating func editKey(_ key: Key, pageRows: Int) {
        guard var prompt = editing else { return }
        switch prompt.apply(key) {
        case .editing:
            editing = prompt
            if prompt.string.logsTrimmed.isEmpty {
                setFilter("", pageRows: pageRows)
            } else {
                setFilter(prompt.string, pageRows: pageRows)
            }
        case .submitted(let text):
            if setFilter(text, pageRows: pageRows) { editing = nil } else { editing = prompt }
        case .cancelled:
            editing = nil
            setFilter(filterBeforeEditing, pageRows: pageRows)
            filterError = nil
        }
    }

    /// Recomputes `visible` for the current filter or request view, keeping the selection when shown.
    ///
    /// - Complexity: O(n · f) over the kept lines.
    mutating func rebuildVisible(pageRows: Int) {
        var shown: [Int] = []
        shown.reserveCapacity(records.count)
        for (i, record) in records.enumerated() where shows(record) { shown.append(firstSeq + i) }
        visible = shown
        newWhilePaused = 0
        if following {
            followEnd(pageRows: pageRows)
        } else if let s = selected, let i = Self.lowerBound(visible, s) {
            selected = visible[i]
            reveal(pageRows: pageRows)
        } else {
            selected = visible.last
            reveal(pageRows: pageRows)
        }
    }

    // MARK: Request view

    /// Shows only the lines that share the selected line's request id (or else trace id), across
    /// all sources; called again, returns to the filtered view.
    public mutating func toggleRequestView(pageRows: Int) {
        if request != nil {
            request = nil
            rebuildVisible(pageRows: pageRows)
            return
        }
        guard let record = selectedRecord else { message = "no line selected"; return }
        if let id = record.event.requestID, !id.isEmpty {
            request = RequestFocus(field: "request_id", value: id)
        } else if let id = record.event.traceID, !id.isEmpty {
            request = RequestFocus(field: "trace_id", value: id)
        } else {
            message = "this line has no request_id or trace_id"
            return
        }
        following = false
        rebuildVisible(pageRows: pageRows)
    }

    // MARK: Movement

    /// Turns following on (jumping to the end) or off (keeping the selection).
    public mutating func toggleFollow(pageRows: Int) {
        following.toggle()
        if following { followEnd(pageRows: pageRows) }
    }

    /// Moves the selection by `delta` visible lines; moving pauses following, reaching the end does not resume it.
    public mutating func move(by delta: Int, pageRows: Int) {
        guard !visible.isEmpty else { return }
        let current = selectedIndex ?? (visible.count - 1)
        let target = min(max(0, current + delta), visible.count - 1)
        select(index: target, pageRows: pageRows)
    }

    /// Selects the first (`top`) or last line; the last resumes following.
    public mutating func jump(toTop: Bool, pageRows: Int) {
        guard !visible.isEmpty else { return }
        if toTop {
            select(index: 0, pageRows: pageRows)
        } else {
            following = true
            followEnd(pageRows: pageRows)
        }
    }

    /// Selects the next (or previous) visible line whose level group is `group`.
    ///
    /// - Returns: whether one was found.
    @discardableResult
    public mutating func jump(to group: LevelGroup, forward: Bool, pageRows: Int) -> Bool {
        guard !visible.isEmpty else { return false }
        let start = selectedIndex ?? (forward ? -1 : visible.count)
        var i = start + (forward ? 1 : -1)
        while i >= 0 && i < visible.count {
            if let r = record(visible[i]), LevelGroup(r.event.level) == group {
                select(index: i, pageRows: pageRows)
                return true
            }
            i += forward ? 1 : -1
        }
        return false
    }

    /// Selects the visible line at `index` and pauses following.
    public mutating func select(index: Int, pageRows: Int) {
        guard visible.indices.contains(index) else { return }
        following = false
        selected = visible[index]
        reveal(pageRows: pageRows)
    }

    /// Opens or closes the detail pane.
    public mutating func toggleDetail() { detailOpen.toggle() }

    private mutating func followEnd(pageRows: Int) {
        selected = visible.last
        newWhilePaused = 0
        scrollTop = max(0, visible.count - max(1, pageRows))
    }

    /// Scrolls so that the selection is on screen.
    mutating func reveal(pageRows: Int) {
        let rows = max(1, pageRows)
        if let i = selectedIndex {
            if i < scrollTop { scrollTop = i }
            if i >= scrollTop + rows { scrollTop = i - rows + 1 }
        }
        clampScroll(pageRows: pageRows)
    }

    private mutating func clampScroll(pageRows: Int) {
        scrollTop = min(max(0, scrollTop), max(0, visible.count - max(1, pageRows)))
    }

    /// Adjusts scrolling after the page height changed.
    public mutating func resize(pageRows: Int) {
        if following { followEnd(pageRows: pageRows) } else { reveal(pageRows: pageRows) }
    }

    // MARK: Strip

    /// Counts per second for `group`, for the `seconds` seconds ending at the newest event second.
    public func rates(_ group: LevelGroup, seconds: Int) -> [Double?] {
        guard let end = newestSecond, seconds > 0 else { return [] }
        return (0..<seconds).map { k in
            let s = end - Int64(seconds - 1 - k)
            return Double(perSecond[s]?[group.rawValue] ?? 0)
        }
    }

    // MARK: Helpers

    static func floorSecond(_ t: Timestamp) -> Int64 {
        t.milliseconds >= 0 ? t.milliseconds / 1000 : (t.milliseconds - 999) / 1000
    }

    /// The first index whose value is ≥ `value` in an ascending array, or nil when there is none.
    static func lowerBound(_ a: [Int], _ value: Int) -> Int? {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo < a.count ? lo : nil
    }
}

private extension String {
    /// The text without leading and trailing spaces and tabs.
    var logsTrimmed: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
