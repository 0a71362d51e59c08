import BurnwatchConfig
import BurnwatchCore

/// The YAML configuration: any text is a configuration or a `BurnwatchError` whose line and column
/// lie within the text.
enum ConfigFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        let text = fuzzText(data)
        do {
            _ = try ConfigLoader.parse(text, file: "fuzz.yaml")
        } catch let error as BurnwatchError {
            checkYAMLPosition(error, text)
        } catch {
            fatalError("config threw a non-BurnwatchError: \(error)")
        }
    }
}

/// A YAML error's line lies within the text (one past the last line at most) and its column is positive.
func checkYAMLPosition(_ error: BurnwatchError, _ text: String) {
    // YAML ends a line at \n, \r, \r\n, NEL, LS and PS.
    var lines = 1
    var previous: Unicode.Scalar = " "
    for c in text.unicodeScalars {
        if c == "\r" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}" || (c == "\n" && previous != "\r") { lines += 1 }
        previous = c
    }
    if let line = error.position?.line { fuzzCheck(line >= 1 && line <= lines + 1, "error line \(line) outside 1...\(lines + 1): \(error)") }
    if let column = error.position?.column { fuzzCheck(column >= 1, "error column \(column) below 1: \(error)") }
}
