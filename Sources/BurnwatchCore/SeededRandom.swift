/// A small deterministic pseudo-random generator (SplitMix64): the same seed gives the same sequence.
///
/// For jitter and for repeatable generated test data, not for anything secret. Each `next()` adds
/// the golden-ratio increment to the state and mixes it (Steele, Lea and Flood, 2014).
/// - Complexity: O(1) per number.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    /// The current state; the next number is derived from `state + 0x9E3779B97F4A7C15`.
    public var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed` (the initial state).
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
