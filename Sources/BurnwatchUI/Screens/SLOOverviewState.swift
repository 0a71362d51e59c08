import BurnwatchCore
import BurnwatchRunbooks

/// A bounded history of values, oldest first (the newest `capacity` are kept).
public struct BoundedHistory: Hashable, Sendable {
    public private(set) var values: [Double?] = []
    public let capacity: Int
    public init(capacity: Int) { self.capacity = max(1, capacity) }
    /// Appends a value, dropping the oldest beyond the capacity.
    public mutating func append(_ v: Double?) {
        if values.count >= capacity { values.removeFirst(values.count - capacity + 1) }
        values.append(v)
    }
}

/// One SLO row of the overview: the latest evaluation and its history since the console started.
public struct SLORowState: Hashable, Sendable {
    public var key: String
    public var spec: SLOSpec
    public var status: SLOStatus?
    public var error: String?
    public var source: String
    public var latencyBound: String?
    /// The 5m error ratio per update (the row's sparkline).
    public var errorRatio: BoundedHistory
    /// The burn rate per window (`SLOWindow.all` order) per update.
    public var burn: [BoundedHistory]
    /// Budget remaining per update.
    public var budget: BoundedHistory
    /// Time of the first and last update in the histories.
    public var firstUpdate: Timestamp?
    public var lastUpdate: Timestamp?

    static let historyCapacity = 300

    init(_ update: SLORowUpdate) {
        key = update.key; spec = update.spec; status = nil; error = nil; source = update.source
        errorRatio = BoundedHistory(capacity: Self.historyCapacity)
        burn = Array(repeating: BoundedHistory(capacity: Self.historyCapacity), count: SLOWindow.all.count)
        budget = BoundedHistory(capacity: Self.historyCapacity)
    }

    mutating func apply(_ update: SLORowUpdate, at time: Timestamp) {
        spec = update.spec; status = update.status; error = update.error; source = update.source
        if let bound = update.latencyBound { latencyBound = bound }
        let windows = update.status?.windows ?? []
        errorRatio.append(windows.first?.errorRatio)
        for k in burn.indices { burn[k].append(k < windows.count ? windows[k].burnRate : nil) }
        budget.append(update.status?.budgetRemaining)
        if firstUpdate == nil { firstUpdate = time }
        lastUpdate = time
    }

    /// The state text: PAGE, TICKET, ok, low traffic, no data, or error.
    public var stateText: String {
        if status == nil, error != nil { return "error" }
        switch status?.state {
        case .page?: return "PAGE"
        case .ticket?: return "TICKET"
        case .ok?: return "ok"
        case .lowTraffic?: return "low traffic"
        case .noData?, nil: return "no data"
        }
    }

    /// Sort rank: worst first.
    var rank: Int {
        if status == nil, error != nil { return 2 }
        switch status?.state {
        case .page?: return 0
        case .ticket?: return 1
        case .noData?, nil: return 3
        case .lowTraffic?: return 4
        case .ok?: return 5
        }
    }

    /// The style role of the state.
    public var stateRole: StyleRole {
        switch rank {
        case 0: .page
        case 1, 2: .warning
        case 5: .ok
        default: .muted
        }
    }

    /// The role of a window's burn rate: page or ticket colour when it exceeds a firing-capable
    /// tier's factor that uses this window, ok below, muted without data.
    public func burnRole(windowIndex k: Int) -> StyleRole {
        guard let status, k < status.windows.count, let burn = status.windows[k].burnRate else { return .muted }
        guard case .fixed(let length) = status.windows[k].window else { return .normal }
        var role: StyleRole = .ok
        for alert in status.alerts where alert.tier.long == length || alert.tier.short == length {
            if burn > alert.tier.factor {
                if alert.tier.severity == .page { return .page }
                role = .warning
            }
        }
        return role
    }

    /// The exact PromQL behind window `k`'s error ratio (and its errors and totals).
    public func queries(windowIndex k: Int, at time: Timestamp?) -> [String] {
        let queries = SLOQueries(spec.indicator, latencyBound: latencyBound)
        let window = SLOWindow.all[k]
        let length = window.length(for: spec.period, at: time ?? Timestamp(milliseconds: 0))
        return [queries.errorRatioQuery(window: length)]
    }
}

/// The SLO overview's whole state: rows sorted worst first, the selection, the detail, the sources.
public struct SLOOverviewState: Hashable, Sendable {
    public internal(set) var rows: [SLORowState] = []
    public internal(set) var selected = 0
    public internal(set) var offset = 0
    /// The key of the SLO whose detail is open, if any.
    public internal(set) var detailKey: String?
    /// In the detail: the focused line (windows first, then runbook sections).
    public internal(set) var detailFocus = 0
    public internal(set) var sources: [SourceHealth] = []
    public internal(set) var droppedEvents = 0
    public internal(set) var lastUpdate: Timestamp?
    /// The runbook sections for `slo_burn`.
    public var runbookSections: [RunbookSectionRef]
    public var glyphs: Glyphs

    public init(specs: [SLOSpec] = [], runbookSections: [RunbookSectionRef] = [], glyphs: Glyphs = .unicode) {
        self.runbookSections = runbookSections
        self.glyphs = glyphs
        rows = specs.map { SLORowState(SLORowUpdate(spec: $0, status: nil)) }
        sortRows()
    }

    /// The row whose detail is open.
    public var detailRow: SLORowState? { detailKey.flatMap { key in rows.first { $0.key == key } } }

    /// The selected row.
    public var selectedRow: SLORowState? { rows.indices.contains(selected) ? rows[selected] : nil }

    /// Applies an evaluation round: updates (or adds) rows, appends history, re-sorts worst first
    /// keeping the selection on the same SLO.
    /// - Complexity: O(rows log rows).
    public mutating func apply(_ update: SLOUpdate) {
        let selectedKey = selectedRow?.key
        var index: [String: Int] = [:]
        for (i, row) in rows.enumerated() { index[row.key] = i }
        for u in update.rows {
            if let i = index[u.key] {
                rows[i].apply(u, at: update.at)
            } else {
                var row = SLORowState(u)
                row.apply(u, at: update.at)
                index[u.key] = rows.count
                rows.append(row)
            }
        }
        lastUpdate = update.at
        sortRows()
        if let selectedKey, let i = rows.firstIndex(where: { $0.key == selectedKey }) { selected = i }
    }

    /// Worst first: state, then budget remaining (least first), then the key.
    mutating func sortRows() {
        rows.sort { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            let ba = a.status?.budgetRemaining ?? .infinity, bb = b.status?.budgetRemaining ?? .infinity
            if ba != bb { return ba < bb }
            return a.key < b.key
        }
    }

    mutating func applySources(_ update: WatchSourcesUpdate) {
        sources = update.sources
        droppedEvents = update.droppedEvents
    }

    /// Moves the selection (overview) or the focus (detail) by `delta`, clamped.
    mutating func move(by delta: Int) {
        if detailKey != nil {
            let count = SLOWindow.all.count + runbookSections.count
            detailFocus = min(max(0, detailFocus + delta), max(0, count - 1))
        } else {
            selected = min(max(0, selected + delta), max(0, rows.count - 1))
        }
    }

    mutating func openDetail() -> Bool {
        guard let row = selectedRow else { return false }
        detailKey = row.key
        detailFocus = 0
        return true
    }

    mutating func closeDetail() -> Bool {
        guard detailKey != nil else { return false }
        detailKey = nil
        return true
    }

    /// The runbook section focused in the detail, if the focus is on one.
    public var focusedSection: RunbookSectionRef? {
        let i = detailFocus - SLOWindow.all.count
        return detailKey != nil && runbookSections.indices.contains(i) ? runbookSections[i] : nil
    }

    /// The window focused in the detail (index into `SLOWindow.all`), or the 5m window.
    public var focusedWindow: Int { detailFocus < SLOWindow.all.count ? detailFocus : 0 }
}
