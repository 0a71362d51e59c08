/// Something that draws itself into an area of a screen buffer: a value, rendered by a pure function.
///
/// Widgets never draw outside `area` and never keep state between frames; scrolling positions and
/// selections are part of the widget value the view builds from the app state.
public protocol Widget {
    /// Draws the widget into `area` of `buffer`.
    func render(into buffer: inout ScreenBuffer, area: Rect)
}

extension ScreenBuffer {
    /// Draws `widget` into `area`, clipped to the buffer.
    public mutating func render(_ widget: some Widget, in area: Rect) {
        widget.render(into: &self, area: area.intersection(bounds))
    }
}
