import BurnwatchCore
import Testing
@testable import BurnwatchParsing

/// Access logs have no level field: the status decides it. Lines of another format inside a
/// source keep their level and message.
@Suite struct LogLevelFromStatusTests {
    func parse(_ line: String, _ preset: LogPreset) -> LogLineResult {
        var p = LogLineParser(preset: preset)
        let b = Array(line.utf8)
        return b.withUnsafeBufferPointer { p.parse($0) }
    }

    func matches(_ filter: String, _ line: String, _ preset: LogPreset) throws -> Bool {
        var m = LogLineMatcher(filter: try LogFilter(parsing: filter), preset: preset)
        let b = Array(line.utf8)
        return b.withUnsafeBufferPointer { m.matches($0) }
    }

    func haproxy(_ status: Int) -> String {
        #"{"time":"2026-11-24T21:11:01Z","frontend":"fe","backend":"be","method":"GET","uri":"/x","status":\#(status),"retries":"0","Tt":3}"#
    }

    @Test(arguments: [(200, LogLevel.info), (302, .info), (404, .warn), (429, .warn), (499, .warn), (500, .error), (503, .error), (599, .error), (100, .info)])
    func statusDecidesTheLevelOfAnAccessLine(status: Int, level: LogLevel) throws {
        #expect(parse(haproxy(status), .haproxy).event.level == level)
        #expect(LogLevel.fromStatus(status) == level)
        // the fast filter path agrees with the parser
        #expect(try matches("level=\(level)", haproxy(status), .haproxy))
        #expect(try matches("level>=error", haproxy(status), .haproxy) == (level == .error))
    }

    @Test func aLevelFieldWinsOverTheStatus() throws {
        let caddy = #"{"level":"info","ts":1795554661.9,"logger":"http.log.access","msg":"handled request","status":500}"#
        #expect(parse(caddy, .caddy).event.level == .info)
        #expect(try !matches("level=error", caddy, .caddy))
        // a level the parser does not know stays unknown: it is the logger's word, not absent
        let odd = #"{"level":"chatty","ts":1795554661.9,"msg":"x","status":500}"#
        #expect(parse(odd, .caddy).event.level == .unknown)
    }

    @Test func logfmtAccessLinesToo() {
        #expect(parse("ts=2026-11-24T21:11:01Z method=GET path=/x status=502 duration=3ms", .logfmt).event.level == .error)
        #expect(parse("ts=2026-11-24T21:11:01Z level=debug status=502", .logfmt).event.level == .debug)
    }

    @Test func anApplicationLineInAnAccessLogKeepsItsLevelAndMessage() {
        let app = #"{"time":"2026-11-24T21:11:02.5Z","level":"ERROR","msg":"db pool exhausted","service":"api"}"#
        let r = parse(app, .haproxy)
        #expect(r.event.level == .error)
        #expect(r.event.message == "db pool exhausted")
        #expect(r.event.time == Timestamp(milliseconds: 1_795_554_662_500))
        #expect(r.otherFormat)
        // other loggers' spellings
        let zap = parse(#"{"lvl":"warn","message":"slow","ts":1795554662.5}"#, .haproxy)
        #expect(zap.event.level == .warn && zap.event.message == "slow" && zap.otherFormat)
        #expect(zap.event.time == Timestamp(milliseconds: 1_795_554_662_500))
        // lines that fit are not counted
        #expect(!parse(haproxy(200), .haproxy).otherFormat)
        #expect(!parse(#"{"nothing":"known"}"#, .haproxy).otherFormat)
    }

    @Test func theDecoderCountsLinesOfAnotherFormat() throws {
        var d = try LogStreamDecoder(source: "s", preset: .haproxy)
        _ = d.decode(Array(haproxy(503).utf8))
        _ = d.decode(Array(#"{"level":"info","msg":"started"}"#.utf8))
        #expect(d.otherFormat == 1 && d.lines == 2)
    }
}
