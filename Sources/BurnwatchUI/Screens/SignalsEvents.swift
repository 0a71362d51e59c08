import BurnwatchCore

/// One detector round as the watch session sends it: the active signals and the recently resolved.
public struct SignalsUpdate: ExternalEvent, Equatable {
    public var at: Timestamp
    /// Active, then resolved within the last 15 minutes (the engine's `recent`).
    public var signals: [Signal]
    /// What changed in this round (fired, severity changed, resolved): the journal records them.
    public var transitions: [SignalTransition]
    public init(at: Timestamp, signals: [Signal], transitions: [SignalTransition] = []) {
        self.at = at; self.signals = signals; self.transitions = transitions
    }

    /// Active signals by severity.
    public var counts: [Severity: Int] { SignalCounts.active(signals) }
}

/// Asks one screen to run a `:` command and become current (the signals screen's `m` and `l`).
public struct ScreenCommandRequest: ExternalEvent, Equatable {
    public var screen: ScreenID
    public var words: [String]
    public init(screen: ScreenID, words: [String]) { self.screen = screen; self.words = words }
}

/// The effects the signals screen asks the run loop for.
public enum SignalEffects {
    public static let commandName = "screen.command"
    public static let acknowledgeName = "signal.acknowledge"
    public static let journalName = "signal.journal"

    /// Run `words` as a `:` command on `screen` and switch to it.
    public static func command(_ screen: ScreenID, _ words: [String]) -> Effect {
        .custom(name: commandName, arguments: [screen.rawValue] + words)
    }

    /// The request an effect carries, or nil for another effect.
    public static func parse(_ effect: Effect) -> ScreenCommandRequest? {
        guard case .custom(let name, let args) = effect, name == commandName, let screen = args.first else { return nil }
        return ScreenCommandRequest(screen: ScreenID(screen), words: Array(args.dropFirst()))
    }

    /// Record a timeline line about a signal at `time` (its transitions and acknowledgements).
    public static func journal(_ text: String, runbook: String?, at time: Timestamp) -> Effect {
        .custom(name: journalName, arguments: [text, runbook ?? "", String(time.milliseconds)])
    }

    /// The journal line an effect carries, or nil for another effect.
    public static func parseJournal(_ effect: Effect) -> (text: String, runbook: String?, at: Timestamp)? {
        guard case .custom(let name, let args) = effect, name == journalName, args.count == 3, let ms = Int64(args[2]) else { return nil }
        return (args[0], args[1].isEmpty ? nil : args[1], Timestamp(milliseconds: ms))
    }

    /// The journal line of a transition: what happened, with the numbers of its summary.
    public static func journalText(_ transition: SignalTransition) -> String {
        let s = transition.signal
        switch transition {
        case .fired: return "signal \(s.kind.rawValue) fired on \(s.service) (\(s.severity.rawValue)): \(s.summary)"
        case .severityChanged(_, let from, _):
            return "signal \(s.kind.rawValue) on \(s.service) \(from.rawValue) → \(s.severity.rawValue): \(s.summary)"
        case .resolved: return "signal \(s.kind.rawValue) resolved on \(s.service)"
        }
    }

    /// Record an acknowledgement of the signal `kind` of `service` (journal).
    public static func acknowledge(kind: SignalKind, service: String, by user: String) -> Effect {
        .custom(name: acknowledgeName, arguments: [kind.rawValue, service, user])
    }

    /// The acknowledgement an effect carries, or nil for another effect.
    public static func parseAcknowledge(_ effect: Effect) -> (kind: String, service: String, user: String)? {
        guard case .custom(let name, let args) = effect, name == acknowledgeName, args.count == 3 else { return nil }
        return (args[0], args[1], args[2])
    }
}

/// Severity counts as a status-line segment list (`1 PAGE`, `2 WARN`), empty when nothing is active.
public enum SignalCounts {
    /// Active signals by severity.
    public static func active(_ signals: [Signal]) -> [Severity: Int] {
        var out: [Severity: Int] = [:]
        for s in signals where s.isActive { out[s.severity, default: 0] += 1 }
        return out
    }

    public static func segments(_ counts: [Severity: Int]) -> [StatusSegment] {
        var out: [StatusSegment] = []
        if let n = counts[.page], n > 0 { out.append(StatusSegment(" \(n) SIGNAL\(n == 1 ? "" : "S") PAGE ", style: Style(.page, [.bold]))) }
        if let n = counts[.warning], n > 0 { out.append(StatusSegment(" \(n) WARN ", style: Style(.warning, [.bold]))) }
        if let n = counts[.info], n > 0 { out.append(StatusSegment(" \(n) info ", style: Style(.muted))) }
        return out
    }
}
