import Testing
@testable import BurnwatchCore

@Suite struct PromQLParserTests {
    func text(_ s: String) throws -> String { try PromQLParser.parse(s).description }

    func column(of s: String) -> Int? {
        do { _ = try PromQLParser.parse(s); return nil } catch let e as BurnwatchError { return e.position?.column } catch { return nil }
    }

    @Test func precedenceAndAssociativity() throws {
        #expect(try text("a + b * c") == "(a + (b * c))")
        #expect(try text("a - b - c") == "((a - b) - c)")
        #expect(try text("2 ^ 3 ^ 2") == "(2 ^ (3 ^ 2))")
        #expect(try text("a or b and c unless d") == "(a or ((b and c) unless d))")
        #expect(try text("a > b + c") == "(a > (b + c))")
        #expect(try text("a * b % c / d") == "(((a * b) % c) / d)")
        #expect(try text("a atan2 b * c") == "((a atan2 b) * c)")
        #expect(try text("-a ^ b") == "-(a ^ b)")
        #expect(try text("-a * b") == "(-a * b)")
        #expect(try text("- 2 ^ 2") == "-(2 ^ 2)" || text("- 2 ^ 2") == "-4")
    }

    @Test func modifiersAndSelectors() throws {
        #expect(try text("rate(x{a=~\"b.*\", c!=\"d\"}[5m] offset 1h)") == "rate(x{a=~\"b.*\", c!=\"d\"}[5m] offset 1h)")
        #expect(try text("x @ 100 offset -5m") == "x @ 100 offset -5m")
        #expect(try text("max_over_time(rate(x[1m])[10m:30s] @ end())") == "max_over_time(rate(x[1m])[10m:30s] @ end())")
        #expect(try text("sum without (a) (x)") == "sum without (a) (x)")
        #expect(try text("sum(x) by (a, b)") == "sum by (a, b) (x)")
        #expect(try text("topk(3, x)") == "topk by () (3, x)" || text("topk(3, x)") == "topk (3, x)")
        #expect(try text("a * on(x) group_left(y) b") == "(a * on(x) group_left(y) b)")
        #expect(try text("a == bool b") == "(a == bool b)")
        #expect(try text("0x1F + Inf + nan") == "((31 + +Inf) + NaN)")
        #expect(try text("{__name__=~\"a|b\"}") == "{__name__=~\"a|b\"}")
        #expect(try text("x[1h30m]") == "x[1h30m]")
        #expect(try text("{\"my.metric\", \"a.b\"=\"c\"}") == "{__name__=\"my.metric\", \"a.b\"=\"c\"}")  // reads back (fuzz finding)
    }

    @Test func errorsPointAtTheColumn() {
        #expect(column(of: "sum(rate(x[5m]) by (a)") == 17)
        #expect(column(of: "rate(x)") == 1)
        #expect(column(of: "x{a=\"b\"") == 8)
        #expect(column(of: "x +") == 4)
        #expect(column(of: "1 > 2") == 3)
        #expect(column(of: "foo(x)") == 1)
        #expect(column(of: "x{a=~\"(\"}") == 6)  // the regex string
        #expect(column(of: "x[5]") == 3)
        #expect(column(of: "(x)[5m]") == 4)
        #expect(column(of: "x $") == 3)
        #expect(column(of: "{a=\"\"}") == 1)
        #expect(column(of: "a and 1") == 3)
    }

    @Test func typeChecks() {
        #expect(throws: BurnwatchError.self) { try PromQLParser.parse("rate(x[5m] + 1)") }
        #expect(throws: BurnwatchError.self) { try PromQLParser.parse("sum(x[5m])") }
        #expect(throws: BurnwatchError.self) { try PromQLParser.parse("x[5m] + 1") }
        #expect(throws: BurnwatchError.self) { try PromQLParser.parse("label_replace(x, \"a\", \"b\", \"c\")") }
        #expect(throws: BurnwatchError.self) { try PromQLParser.parse("x offset 5m offset 1m") }
        #expect(throws: BurnwatchError.self) { try PromQLParser.parse("sum(x) + on(a) 1") }
        #expect((try? PromQLParser.parse("label_join(x, \"d\", \",\", \"a\", \"b\", \"c\")")) != nil)
        #expect((try? PromQLParser.parse("round(x)")) != nil)
    }

    @Test func regexEngine() throws {
        let r = try PromRegex("h(a|b)+[0-9]{2,3}\\d?")
        #expect(r.matches("hab12"))
        #expect(r.matches("ha1234"))
        #expect(!r.matches("ha1"))
        #expect(!r.matches("xhab12"))
        #expect(try PromRegex(".*").matches(""))
        #expect(!(try PromRegex("a.b").matches("a\nb")))
        #expect(try PromRegex("a.b", dotMatchesNewline: true).matches("a\nb"))
        #expect(try PromRegex("(?i)GET|post").matches("get"))
        #expect(try PromRegex("[^a-c\\s]x").matches("dx"))
        #expect(!(try PromRegex("[^a-c\\s]x").matches(" x")))
        #expect(try PromRegex("a{2}").matches("aa"))
        #expect(try PromRegex("a{,2}").matches("a{,2}"))
        #expect(try PromRegex("\\w+@\\w+\\.com").matches("me@x.com"))
        let caps = try PromRegex("(\\w+)-(?P<n>\\d+)").captures("ab-12")
        #expect(caps.map { $0.map { $0.map { String($0) } } } == [Optional("ab-12"), "ab", "12"])
        #expect(throws: BurnwatchError.self) { try PromRegex("a(") }
        #expect(throws: BurnwatchError.self) { try PromRegex("a**") }
        // No catastrophic backtracking.
        #expect(!(try PromRegex("(a*)*b").matches(String(repeating: "a", count: 2000))))
    }
}
