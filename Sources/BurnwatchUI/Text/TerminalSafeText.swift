import BurnwatchCore

/// The console's name for the one terminal-escaping rule (`TerminalEscaping` in the core).
///
/// Every text-writing API of `ScreenBuffer` goes through it, so nothing untrusted reaches the
/// terminal raw.
public typealias TerminalSafeText = TerminalEscaping

extension TerminalEscaping {
    /// Calls `body` with each scalar of the escaped form of `text`, without building a string.
    ///
    /// - Complexity: O(n) in the number of scalars.
    @inlinable
    public static func forEachSafeScalar(in text: some StringProtocol, _ body: (Unicode.Scalar) -> Void) {
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                for s in escapeSequence(for: scalar).unicodeScalars { body(s) }
            } else {
                body(scalar)
            }
        }
    }
}
