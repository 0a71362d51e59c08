/// A screen that only shows a few lines of text: a stand-in for features not built yet.
public struct MessageScreen: ScreenModel {
    public var id: ScreenID
    public var title: String
    public var lines: [String]
    public var scroll: Int = 0

    public init(id: ScreenID, title: String, lines: [String]) {
        self.id = id
        self.title = title
        self.lines = lines
    }

    public mutating func handle(_ input: ScreenInput, context: ScreenContext) -> ScreenResponse {
        guard case .action(let action) = input else { return .ignored }
        let maxScroll = max(0, lines.count - context.bodySize.height)
        let old = scroll
        switch action {
        case .up: scroll -= 1
        case .down: scroll += 1
        case .top: scroll = 0
        case .bottom: scroll = maxScroll
        case .pageUp: scroll -= context.bodySize.height
        case .pageDown: scroll += context.bodySize.height
        case .halfPageUp: scroll -= context.bodySize.height / 2
        case .halfPageDown: scroll += context.bodySize.height / 2
        default: return .ignored
        }
        scroll = min(max(0, scroll), maxScroll)
        return ScreenResponse(handled: scroll != old)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect, context: ScreenContext) {
        let inner = area.inset(Margin(horizontal: 1))
        for (i, line) in lines.dropFirst(scroll).prefix(inner.height).enumerated() {
            buffer.write(line, in: inner.row(i), ellipsis: context.glyphs.ellipsis)
        }
    }
}
