import BurnwatchCore

/// A moment of a recording the timeline marks and `n`/`N` step to: an alert or a signal that
/// started, changed or ended.
public struct ReplayMark: Hashable, Sendable {
    public enum Level: String, Hashable, Sendable { case page, warning, info, resolved }
    public var time: Timestamp
    public var level: Level
    public var text: String
    public init(time: Timestamp, level: Level, text: String) { self.time = time; self.level = level; self.text = text }
}

/// Where a replay stands: sent by the replay session, shown as the timeline row.
public struct ReplayStatus: ExternalEvent, Hashable {
    public var start: Timestamp
    public var end: Timestamp
    public var position: Timestamp
    /// Recording seconds per real second; nil for "as fast as possible".
    public var speed: Double?
    public var paused: Bool
    public var marks: [ReplayMark]

    public init(start: Timestamp, end: Timestamp, position: Timestamp, speed: Double?, paused: Bool, marks: [ReplayMark]) {
        self.start = start; self.end = end; self.position = position; self.speed = speed; self.paused = paused; self.marks = marks
    }

    /// `×10`, `×1000`, `max`.
    public var speedText: String {
        guard let speed else { return "max" }
        return "×" + (speed == speed.rounded() ? String(Int(speed)) : String(speed))
    }
}

/// The replay went back in time and starts again from the recording's start: screens that
/// accumulate (the logs) drop what they hold; the others are replaced by the next updates.
public struct ReplayRewound: ExternalEvent, Hashable {
    public init() {}
}

/// What a replay key or command asks the replay session to do.
public enum ReplayCommand: Hashable, Sendable {
    case togglePause, faster, slower, nextMark, previousMark
    case seek(Timestamp)
}

/// The effects that carry replay commands and journal notes from `reduce` to the run loop.
public enum ReplayEffects {
    static let name = "replay.control"
    static let noteName = "journal.note"

    /// The effect carrying `command`.
    public static func effect(_ command: ReplayCommand) -> Effect {
        switch command {
        case .togglePause: .custom(name: name, arguments: ["pause"])
        case .faster: .custom(name: name, arguments: ["faster"])
        case .slower: .custom(name: name, arguments: ["slower"])
        case .nextMark: .custom(name: name, arguments: ["next"])
        case .previousMark: .custom(name: name, arguments: ["previous"])
        case .seek(let t): .custom(name: name, arguments: ["seek", String(t.milliseconds)])
        }
    }

    /// The command an effect carries, or nil for another effect.
    public static func parse(_ effect: Effect) -> ReplayCommand? {
        guard case .custom(let n, let args) = effect, n == name, let first = args.first else { return nil }
        switch first {
        case "pause": return .togglePause
        case "faster": return .faster
        case "slower": return .slower
        case "next": return .nextMark
        case "previous": return .previousMark
        case "seek": return args.count == 2 ? Int64(args[1]).map { .seek(Timestamp(milliseconds: $0)) } : nil
        default: return nil
        }
    }

    /// A journal note written at `time` (`:note TEXT`, live or replayed), about `subject` when one is selected.
    public static func note(_ text: String, at time: Timestamp) -> Effect {
        .custom(name: noteName, arguments: [text, String(time.milliseconds)])
    }

    /// The note an effect carries, or nil.
    public static func parseNote(_ effect: Effect) -> (text: String, at: Timestamp)? {
        guard case .custom(let n, let args) = effect, n == noteName, args.count == 2, let ms = Int64(args[1]) else { return nil }
        return (args[0], Timestamp(milliseconds: ms))
    }

    /// The time `text` names for `:goto`: `14:05` or `14:05:30` (UTC, on the day of the position,
    /// as the console shows times), `-10m` or `+90s` from the position, `start`, `end`, an RFC 3339
    /// time or Unix seconds; clamped to the recording.
    public static func target(_ text: String, in status: ReplayStatus) -> Timestamp? {
        let t = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        func clamp(_ ms: Int64) -> Timestamp {
            Timestamp(milliseconds: min(max(ms, status.start.milliseconds), status.end.milliseconds))
        }
        switch t {
        case "start", "begin": return status.start
        case "end": return status.end
        default: break
        }
        if let sign = t.first, sign == "-" || sign == "+", let d = Interval.parse(String(t.dropFirst())) {
            return clamp(status.position.milliseconds + (sign == "-" ? -d.milliseconds : d.milliseconds))
        }
        let parts = t.split(separator: ":")
        if (parts.count == 2 || parts.count == 3), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            let h = Int64(parts[0])!, m = Int64(parts[1])!, s = parts.count == 3 ? Int64(parts[2])! : 0
            guard h < 24, m < 60, s < 60 else { return nil }
            let day: Int64 = 86_400_000
            let offset = (h * 3600 + m * 60 + s) * 1000
            // the same time of day on the position's day, else on the day before or after, whichever is in the recording
            let base = status.position.milliseconds - status.position.milliseconds % day
            for candidate in [base + offset, base - day + offset, base + day + offset]
            where candidate >= status.start.milliseconds - 999 && candidate <= status.end.milliseconds + 999 {
                return clamp(candidate)
            }
            return clamp(base + offset)
        }
        if let time = RFC3339.parse(t) { return clamp(time.milliseconds) }
        if let seconds = Double(t) { return clamp(Int64(seconds * 1000)) }
        return nil
    }
}

extension Keymap {
    /// The replay's keys: they come before the screens' own while a recording plays.
    public static let replay = Keymap([
        KeyBinding(keys: [.char(" ")], action: .custom("replay-pause"), help: "pause / play", group: "Replay"),
        KeyBinding(keys: [.char("+"), .char("=")], action: .custom("replay-faster"), help: "faster (×1 … ×1000, max)", group: "Replay"),
        KeyBinding(keys: [.char("-")], action: .custom("replay-slower"), help: "slower", group: "Replay"),
        KeyBinding(keys: [.char("n")], action: .custom("replay-next"), help: "next alert or signal", group: "Replay"),
        KeyBinding(keys: [.char("N")], action: .custom("replay-previous"), help: "previous alert or signal", group: "Replay"),
        KeyBinding(keys: [.ctrl("n")], action: .nextMatch, help: "next search match", group: "Replay"),
        KeyBinding(keys: [.ctrl("p")], action: .previousMatch, help: "previous search match", group: "Replay"),
    ])

    /// The replay command of a replay key's action, if it is one.
    static func replayCommand(_ action: Action) -> ReplayCommand? {
        switch action {
        case .custom("replay-pause"): .togglePause
        case .custom("replay-faster"): .faster
        case .custom("replay-slower"): .slower
        case .custom("replay-next"): .nextMark
        case .custom("replay-previous"): .previousMark
        default: nil
        }
    }
}
