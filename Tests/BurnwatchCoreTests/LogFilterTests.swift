import Testing
@testable import BurnwatchCore

@Suite struct LogFilterTests {
    func event(_ build: (inout LogEvent) -> Void) -> LogEvent { var e = LogEvent(); build(&e); return e }

    func matches(_ filter: String, _ e: LogEvent) throws -> Bool {
        let f = try LogFilter(parsing: filter)
        var s = LogEventFilterSubject(event: e, fields: f.fields)
        return f.matches(&s)
    }

    @Test func theIssueExample() throws {
        let filter = #"status>=500 and level=error and msg~"timeout" and not tenant=acme"#
        let hit = event { $0.status = 503; $0.level = .error; $0.message = "upstream Timeout after 2s"; $0.tenant = "globex" }
        #expect(try matches(filter, hit))
        var miss = hit; miss.tenant = "acme"
        #expect(try !matches(filter, miss))
        miss = hit; miss.status = 499
        #expect(try !matches(filter, miss))
        miss = hit; miss.message = "slow"
        #expect(try !matches(filter, miss))
        miss = hit; miss.level = .warn
        #expect(try !matches(filter, miss))
    }

    @Test func precedenceParenthesesAndExistence() throws {
        let e = event { $0.status = 200; $0.method = "GET"; $0.fields = [("user.id", "7")] }
        #expect(try matches("status=500 or method=GET and status=200", e))      // and binds tighter
        #expect(try !matches("(status=500 or method=GET) and status=201", e))
        #expect(try matches("user.id", e))
        #expect(try !matches("tenant", e))
        #expect(try matches("not tenant", e))
        #expect(try matches("tenant!=acme", e))                                   // missing field: != is true
        #expect(try !matches("tenant=acme", e))
        #expect(try matches("method=GET status<300", e))                         // juxtaposition is and
        #expect(try matches("user.id>=7 && user.id<8", e))
        #expect(try matches("level:unknown or status=200", e))
        let text = event { $0.fields = [("code", "E500")] }
        #expect(try !matches("code>=500", text))        // text never orders against a number
        #expect(try !matches("code<500", text))
    }

    @Test func levelsCompareBySeverity() throws {
        let e = event { $0.level = .warn }
        #expect(try matches("level>=warn", e))
        #expect(try !matches("level>=error", e))
        #expect(try matches("level=WARNING", e))
        #expect(try matches("level<error", e))
    }

    @Test func errorsPointAtTheColumn() {
        let cases: [(String, Int)] = [
            ("status>=", 9),
            ("status>=abc", 9),
            ("(status=1", 10),
            ("status=1 and", 13),
            ("msg~\"open", 5),
            ("status=1 )", 10),
            ("=5", 1),
        ]
        for (text, column) in cases {
            do {
                _ = try LogFilter(parsing: text)
                Issue.record("\(text) parsed")
            } catch let e as BurnwatchError {
                #expect(e.position?.column == column, "\(text): \(e)")
                #expect(e.code == .usage)
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func emptyFilterMatchesEverything() throws {
        #expect(try matches("", LogEvent()))
        #expect(try LogFilter(parsing: "  ") == .all)
    }

    @Test func containsFoldsCase() {
        let hay = Array("Connection TIMEOUT reached".utf8)
        let yes = hay.withUnsafeBufferPointer { LogFilter.containsFolded($0, Array("timeout".utf8)) }
        let no = hay.withUnsafeBufferPointer { LogFilter.containsFolded($0, Array("refused".utf8)) }
        #expect(yes && !no)
    }

    @Test func terminalEscaping() {
        #expect(TerminalEscaping.escape("red \u{1b}[31mX") == "red \\x1b[31mX")
        #expect(TerminalEscaping.escape("bidi \u{202E}evil") == "bidi \\u202eevil")
        #expect(TerminalEscaping.escape("c1 \u{9B}31m") == "c1 \\u009b31m")
        #expect(TerminalEscaping.escape("tab\tnl\n") == "tab\\x09nl\\x0a")
        #expect(TerminalEscaping.escape("Zoë 😀") == "Zoë 😀")
    }
}
