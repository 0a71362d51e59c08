/// How far a movement action moves the selection of a list screen (SLOs, signals).
enum ListMovement {
    /// The rows `action` moves by, `page` rows a page; nil when it is not a movement.
    static func delta(_ action: Action, page: Int) -> Int? {
        switch action {
        case .up: -1
        case .down: 1
        case .pageUp, .halfPageUp: -page
        case .pageDown, .halfPageDown: page
        case .top: -Int(Int32.max)
        case .bottom: Int(Int32.max)
        default: nil
        }
    }
}
