import BurnwatchCore
import BurnwatchParsing

/// The log filter grammar: the input's first line is a filter, the rest a log line it is run on.
/// An error's column lies within the filter; an accepted filter's canonical form parses to itself.
enum LogFilterFuzz {
    /// The JSON line parser the filter runs behind, made once (only the line comes from the input).
    nonisolated(unsafe) static var parser = LogLineParser(preset: .json)

    static func run(_ data: UnsafeRawBufferPointer) {
        let bytes = Array(data)
        let split = bytes.firstIndex(of: 10) ?? bytes.count
        let text = String(decoding: bytes[..<split], as: UTF8.self)
        let filter: LogFilter
        do {
            filter = try LogFilter(parsing: text)
        } catch let error as BurnwatchError {
            let column = error.position?.column ?? -1
            fuzzCheck(column >= 1 && column <= text.count + 1, "filter error column \(column) outside 1...\(text.count + 1)")
            return
        } catch {
            fatalError("filter threw a non-BurnwatchError: \(error)")
        }
        let printed = filter.description
        do {
            let again = try LogFilter(parsing: printed)
            fuzzCheck(again.description == printed, "canonical form \(printed) reads back as \(again.description)")
        } catch {
            fuzzCheck(false, "canonical form \(printed) of \(text) does not parse: \(error)")
        }
        let line = Array(bytes[min(split + 1, bytes.count)...])
        let event = line.withUnsafeBufferPointer { parser.parse($0).event }
        var subject = LogEventFilterSubject(event: event, fields: filter.fields)
        _ = filter.matches(&subject)
    }
}
