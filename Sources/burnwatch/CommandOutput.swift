import BurnwatchCore
import BurnwatchRuntime

/// Where the headless commands write, and the terminal rule they all follow.
///
/// Text from input (log lines, label values, runbook text, config values quoted in errors) is
/// data: on a terminal every control, escape sequence and bidi override is shown escaped; to a pipe
/// or a file, data output stays byte for byte. Diagnostics on stderr are always escaped.
enum CommandOutput {
    /// Whether stdout is a terminal.
    static let stdoutIsTerminal = PlatformFiles.isTerminal(1)

    /// Data (log lines, counts): byte for byte to a pipe or a file, escaped on a terminal.
    static func data(_ text: String) {
        write(1, stdoutIsTerminal ? TerminalEscaping.escape(text, keepingNewlines: true) : text)
    }

    /// A human report that quotes input (runbook text, SLO tables): always escaped.
    static func report(_ text: String, terminator: String = "\n") {
        write(1, TerminalEscaping.escape(text, keepingNewlines: true) + terminator)
    }

    /// JSON text: byte for byte to a pipe or a file; on a terminal, unsafe scalars as `\uXXXX`.
    static func json(_ text: String) {
        write(1, (stdoutIsTerminal ? TerminalEscaping.jsonForTerminal(text) : text) + "\n")
    }

    /// A diagnostic on stderr, always escaped (line breaks kept).
    static func error(_ text: String) {
        write(2, TerminalEscaping.escape(text, keepingNewlines: true) + (text.hasSuffix("\n") ? "" : "\n"))
    }

    private static func write(_ fd: Int32, _ text: String) {
        var t = text
        t.withUTF8 { _ = PlatformFiles.writeAll(fd, UnsafeRawBufferPointer($0)) }
    }
}
