import BurnwatchCore

/// One SLO's latest evaluation, as the watch session sends it.
public struct SLORowUpdate: Hashable, Sendable {
    public var spec: SLOSpec
    /// nil when the SLO's queries failed (then `error` says why).
    public var status: SLOStatus?
    /// The evaluation error (untrusted text: escaped by the buffer).
    public var error: String?
    /// Where the queries ran: `local` or the query API's URL.
    public var source: String
    /// The `le` bound a latency SLI's queries use, when known (for the exact query text).
    public var latencyBound: String?

    public init(spec: SLOSpec, status: SLOStatus?, error: String? = nil, source: String = "local", latencyBound: String? = nil) {
        self.spec = spec; self.status = status; self.error = error; self.source = source; self.latencyBound = latencyBound
    }

    /// `service/name`, unique per configuration.
    public var key: String { spec.service + "/" + spec.name }
}

/// An evaluation round of some SLOs (the local ones, or those of one query API).
public struct SLOUpdate: ExternalEvent, Hashable {
    public var at: Timestamp
    public var rows: [SLORowUpdate]
    public init(at: Timestamp, rows: [SLORowUpdate]) { self.at = at; self.rows = rows }
}

/// Asks the runbook screen to open a section (sent by the run loop after an `SLOEffects.openRunbook` effect).
public struct RunbookOpenRequest: ExternalEvent, Hashable {
    public var fileName: String
    public var anchor: String?
    public init(fileName: String, anchor: String?) { self.fileName = fileName; self.anchor = anchor }
}

/// The effects the SLO screen asks the run loop for.
public enum SLOEffects {
    public static let openRunbookName = "runbook.open"

    /// Open the runbook screen on `fileName#anchor`.
    public static func openRunbook(fileName: String, anchor: String) -> Effect {
        .custom(name: openRunbookName, arguments: [fileName, anchor])
    }

    /// The request an effect carries, or nil for another effect.
    public static func parse(_ effect: Effect) -> RunbookOpenRequest? {
        guard case .custom(let name, let args) = effect, name == openRunbookName, args.count == 2 else { return nil }
        return RunbookOpenRequest(fileName: args[0], anchor: args[1].isEmpty ? nil : args[1])
    }
}
