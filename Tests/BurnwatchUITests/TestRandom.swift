import BurnwatchCore

/// Core's seeded generator (SplitMix64), so that property tests are repeatable.
typealias SeededRandom = BurnwatchCore.SeededRandom

/// Scalars of every width class, for generated text.
enum SampleScalars {
    static let narrow: [Unicode.Scalar] = ["a", "Z", "0", " ", "-", "é", "ß", "Ω", "─", "→"]
    static let wide: [Unicode.Scalar] = ["中", "文", "日", "한", "ｱ", "😀", "🚀", "🔥", "\u{3000}"]
    static let zero: [Unicode.Scalar] = ["\u{0301}", "\u{0308}", "\u{200D}", "\u{FE0F}", "\u{20DD}"]
    static let control: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{0A}", "\u{7F}", "\u{9B}", "\u{202E}", "\u{2066}"]

    static func text(_ rng: inout SeededRandom, length: Int, controls: Bool = true) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<length {
            let pick = Int.random(in: 0..<10, using: &rng)
            switch pick {
            case 0..<5: s.append(narrow.randomElement(using: &rng)!)
            case 5..<7: s.append(wide.randomElement(using: &rng)!)
            case 7..<9: s.append(zero.randomElement(using: &rng)!)
            default: s.append((controls ? control : narrow).randomElement(using: &rng)!)
            }
        }
        return String(s)
    }
}
