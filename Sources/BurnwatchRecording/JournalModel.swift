import BurnwatchCore

/// One line of the incident journal: a tick, an untick, a note on a checklist item, or a
/// free-form entry for the post-incident timeline.
public struct JournalEntry: Hashable, Sendable {
    /// What kind of entry; open so that callers can add their own.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A checklist item was ticked.
        public static let tick = Kind("tick")
        /// A tick was taken back.
        public static let untick = Kind("untick")
        /// A note on a checklist item.
        public static let note = Kind("note")
        /// A free-form remark of a responder.
        public static let comment = Kind("comment")
        /// Something done to the system (a rollback, a flag flipped).
        public static let action = Kind("action")
        /// A signal fired, changed severity or resolved.
        public static let signal = Kind("signal")
        /// An SLO's burn-rate alert started or ended (with its burn rates).
        public static let alert = Kind("alert")
        /// A responder acknowledged a signal or an alert.
        public static let acknowledgement = Kind("ack")
    }

    /// Row id: also the order of entries written at the same millisecond.
    public var id: Int64
    public var time: Timestamp
    public var kind: Kind
    /// Who wrote it (`$USER`).
    public var who: String
    public var text: String
    /// The checklist item id for ticks and notes.
    public var itemID: String?
    /// A runbook reference (`errors.md#retry-storms`) the entry is about, if any.
    public var runbookRef: String?

    public init(id: Int64, time: Timestamp, kind: Kind, who: String, text: String, itemID: String?, runbookRef: String?) {
        self.id = id; self.time = time; self.kind = kind; self.who = who; self.text = text
        self.itemID = itemID; self.runbookRef = runbookRef
    }
}

/// A note on a checklist item.
public struct JournalNote: Hashable, Sendable {
    public var text: String
    public var who: String
    public var time: Timestamp

    public init(text: String, who: String, time: Timestamp) { self.text = text; self.who = who; self.time = time }
}

/// The journal's view of one checklist item.
public struct ChecklistItemState: Hashable, Sendable {
    public var itemID: String
    /// Whether its latest tick/untick was a tick.
    public var ticked: Bool
    /// Who ticked or unticked it last, and when (nil when never touched).
    public var changedBy: String?
    public var changedAt: Timestamp?
    /// Notes in time order.
    public var notes: [JournalNote]

    public init(itemID: String, ticked: Bool, changedBy: String?, changedAt: Timestamp?, notes: [JournalNote]) {
        self.itemID = itemID; self.ticked = ticked; self.changedBy = changedBy; self.changedAt = changedAt; self.notes = notes
    }

    /// An item the journal knows nothing about.
    public static func untouched(_ itemID: String) -> ChecklistItemState {
        ChecklistItemState(itemID: itemID, ticked: false, changedBy: nil, changedAt: nil, notes: [])
    }
}

/// How many items of a list are ticked: shown as "7/12".
public struct ChecklistProgress: Hashable, Sendable, CustomStringConvertible {
    public var done: Int
    public var total: Int
    public init(done: Int, total: Int) { self.done = done; self.total = total }
    public var description: String { "\(done)/\(total)" }
}
