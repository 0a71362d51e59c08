import BurnwatchCore
import BurnwatchRunbooks
import BurnwatchRuntime
import BurnwatchUI

/// A small library and an app showing the runbook screen, for reduce tests.
enum RunbookScreenFixtures {
    static let reliability = """
        # Reliability

        How to keep a service up. See [errors](errors.md#taxonomy) and [nowhere](missing.md#gone).

        ## Retry storms
        <!-- burnwatch:signals retry_storm -->

        Retries multiply load: a **retry storm** happens when every layer retries.

        - [ ] Retries are below 10% of requests
        - [ ] Every retry loop has a budget
        - [ ] Jittered backoff is in place

        > Retry only idempotent requests.

        ## Timeouts

        - [ ] Every outbound call has a deadline

        """
    static let errors = """
        # Errors

        ## Taxonomy

        Classify errors as retryable or idempotent-safe.

        - [ ] Errors are classified

        """

    static var library: RunbookLibrary {
        RunbookLibrary(documents: [
            RunbookParser.parse(reliability, fileName: "reliability.md"),
            RunbookParser.parse(errors, fileName: "errors.md"),
        ])
    }

    static let start = Timestamp(milliseconds: 1_764_000_000_000)

    /// An app at `size` on `place`, with the marks of `journal`.
    static func app(place: RunbookPlace = RunbookPlace(fileName: "reliability.md", anchor: "retry-storms"),
                    journal: MemoryChecklistJournal = MemoryChecklistJournal(), glyphs: Glyphs = .unicode,
                    size: TerminalSize = TerminalSize(width: 120, height: 40), mouse: Bool = false) throws -> AppState {
        let screen = RunbookScreenState(library: library, place: place, marks: try journal.loadMarks(), user: "alice",
                                        glyphs: glyphs, size: TerminalSize(width: size.width, height: size.height - 2))
        var app = AppState(screens: [RunbookScreen(state: screen)], size: size, glyphs: glyphs, mouseEnabled: mouse)
        app = reduce(app, .tick(start)).0
        return app
    }
}

/// Drives an app with events the way the run loop does, carrying out journal effects.
struct RunbookDriver {
    var app: AppState
    let journal: MemoryChecklistJournal
    var time = RunbookScreenFixtures.start
    var effects: [Effect] = []

    var screen: RunbookScreenState { (app.currentScreen as! RunbookScreen).state }

    mutating func send(_ event: AppEvent) {
        let (next, produced) = reduce(app, event)
        app = next
        effects += produced
        for effect in produced {
            guard let write = RunbookJournalWrite(effect: effect) else { continue }
            do { try journal.record(write) } catch {
                let (failed, more) = reduce(app, .external(RunbookJournalFailure(message: "\(error)")))
                app = failed
                effects += more
            }
        }
    }

    /// Sends keys; each is preceded by a tick one second later, as the run loop stamps events.
    mutating func press(_ keys: Key...) {
        for key in keys {
            time = time + Interval(seconds: 1)
            send(.tick(time))
            send(.key(key))
        }
    }

    mutating func type(_ text: String) {
        for character in text { press(.char(character)) }
    }
}
