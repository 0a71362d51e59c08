import BurnwatchCore

/// The signals screen's state: the latest round, each signal's evidence history, selection, acks.
public struct SignalsScreenState: Equatable, Sendable {
    /// Who acknowledged a signal, and when.
    public struct Acknowledgement: Equatable, Sendable {
        public var by: String
        public var at: Timestamp
    }

    /// Active signals (severity, then age), then resolved ones (newest first).
    public private(set) var signals: [Signal] = []
    /// The main evidence (the first item) of each signal, one value per round, oldest first.
    public private(set) var history: [SignalKey: [Double?]] = [:]
    public private(set) var acknowledgements: [SignalKey: Acknowledgement] = [:]
    public var selected = 0
    public var offset = 0
    /// Whether the selected signal's evidence pane is open.
    public var detail = false
    public var lastUpdate: Timestamp?
    public var user: String
    public var glyphs: Glyphs

    /// How many rounds of evidence a sparkline keeps.
    public static let historyLength = 120

    public init(user: String = "unknown", glyphs: Glyphs = .unicode) { self.user = user; self.glyphs = glyphs }

    /// Takes a detector round, keeping the selection on the same signal when it is still listed.
    public mutating func apply(_ update: SignalsUpdate) {
        let selectedKey = selectedSignal?.key
        signals = update.signals
        lastUpdate = update.at
        var seen = Set<SignalKey>()
        for s in update.signals where s.isActive {
            seen.insert(s.key)
            var h = history[s.key] ?? []
            h.append(s.evidence.first?.value)
            if h.count > Self.historyLength { h.removeFirst(h.count - Self.historyLength) }
            history[s.key] = h
        }
        let listed = Set(update.signals.map(\.key))
        history = history.filter { listed.contains($0.key) }
        acknowledgements = acknowledgements.filter { seen.contains($0.key) }
        if let selectedKey, let i = signals.firstIndex(where: { $0.key == selectedKey }) { selected = i }
        selected = min(selected, max(0, signals.count - 1))
        if signals.isEmpty { detail = false }
    }

    public var selectedSignal: Signal? { signals.indices.contains(selected) ? signals[selected] : nil }

    public mutating func move(by delta: Int) {
        guard !signals.isEmpty else { return }
        selected = max(0, min(signals.count - 1, selected + delta))
    }

    /// Records that `user` acknowledged the selected active signal at `time`; nil when none is selected.
    public mutating func acknowledge(at time: Timestamp) -> Signal? {
        guard let s = selectedSignal, s.isActive else { return nil }
        acknowledgements[s.key] = Acknowledgement(by: user, at: time)
        return s
    }

    /// The first evidence query of the selected signal that is PromQL (for `m`).
    public var chartQuery: String? {
        selectedSignal?.evidence.lazy.map(\.source).first { (try? PromQLParser.parse($0)) != nil }
    }
}
