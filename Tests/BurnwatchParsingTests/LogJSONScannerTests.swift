import Foundation
import Testing
import BurnwatchCore
@testable import BurnwatchParsing

@Suite struct LogJSONScannerTests {
    /// Scans `line` for `paths` and returns each value as text (`nil` when missing, "null" for null).
    func extract(_ line: String, _ paths: [String], maxDepth: Int = 512) -> ([String?], JSONScanOutcome) {
        let selector = JSONFieldSelector(paths: paths)
        var slots = [JSONSpan](repeating: .missing, count: paths.count)
        var found = 0
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBufferPointer { b in
            let outcome = JSONObjectScanner(maxDepth: maxDepth).scan(b, selector, into: &slots, found: &found)
            return (slots.map { s in s.isMissing ? nil : (s.kind == .null ? "null" : JSONString.decode(b, s)) }, outcome)
        }
    }

    @Test func nestedPathsAndDottedKeys() {
        let line = #"{"a":1,"request":{"method":"GET","headers":{"X":["v"]}},"http":{"response":{"status_code":503}},"log.level":"warn"}"#
        let (v, o) = extract(line, ["request.method", "http.response.status_code", "log.level", "a", "missing", "request.headers.X"])
        #expect(o == .ok)
        #expect(v[0] == "GET")
        #expect(v[1] == "503")
        #expect(v[2] == "warn")
        #expect(v[3] == "1")
        #expect(v[4] == nil)
        #expect(v[5] == #"["v"]"#)
    }

    @Test func scanStopsOnceTheStopFieldsAreFound() {
        let line = Array(#"{"status":503,"http":{"status_code":200},"rest":[1,2,3]}"#.utf8)
        // Slot 0 (status) is the stop field; slot 1 is only a fallback candidate.
        let early = JSONFieldSelector(paths: ["status", "http.status_code"], stopAfter: [0])
        var slots = [JSONSpan](repeating: .missing, count: 2)
        var found = 0
        line.withUnsafeBufferPointer { _ = JSONObjectScanner().scan($0, early, into: &slots, found: &found) }
        #expect(!slots[0].isMissing && slots[1].isMissing)
        // Without the first candidate the scan goes on and finds the fallback.
        let missing = Array(#"{"http":{"status_code":200},"rest":[1]}"#.utf8)
        missing.withUnsafeBufferPointer { _ = JSONObjectScanner().scan($0, early, into: &slots, found: &found) }
        #expect(slots[0].isMissing && !slots[1].isMissing)
    }

    @Test func everyEscapeAndSurrogatePairs() {
        let line = #"{"s":"q\" b\\ s\/ \b\f\n\r\t \u00e9 \u4e2d \ud83d\ude00 lone \ud800 end"}"#
        let (v, _) = extract(line, ["s"])
        #expect(v[0] == "q\" b\\ s/ \u{8}\u{c}\n\r\t é 中 😀 lone \u{FFFD} end")
        // Escaped keys match too.
        let (k, _) = extract(#"{"st\u0061tus":200}"#, ["status"])
        #expect(k[0] == "200")
    }

    @Test func numbersAsStringsDashAndNull() {
        let line = #"{"status":"200","retries":"+1","size":"-","x":null,"f":-1.5e3,"t":true}"#
        let (v, _) = extract(line, ["status", "retries", "size", "x", "f", "t"])
        #expect(v == ["200", "+1", "-", "null", "-1.5e3", "true"])
        var b = Array("200".utf8)
        #expect(b.withUnsafeBufferPointer { JSONNumber.parse($0) } == 200)
        b = Array("+1".utf8)
        #expect(b.withUnsafeBufferPointer { JSONNumber.parse($0) } == 1)
        b = Array("-".utf8)
        #expect(b.withUnsafeBufferPointer { JSONNumber.parse($0) } == nil)
        b = Array("0.000057456".utf8)
        #expect(b.withUnsafeBufferPointer { JSONNumber.parse($0) } == 0.000057456)
    }

    @Test func tenThousandDeepNestingIsReportedNotCrashing() {
        let deep = "{\"a\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + ",\"status\":500}"
        let (_, o) = extract(deep, ["status"])
        guard case .tooDeep = o else { Issue.record("expected tooDeep, got \(o)"); return }
        let deepObjects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let (_, o2) = extract(deepObjects, ["a.a.a"])
        guard case .tooDeep = o2 else { Issue.record("expected tooDeep, got \(o2)"); return }
    }

    @Test func malformedLinesAreInvalidWithAnOffset() {
        for bad in [#"{"a":}"#, #"{"a" 1}"#, #"{"a":"unterminated}"#, #"{"a":1,}"#, "{", #"{"a":1 "b":2}"#, #"{"a":@}"#] {
            let (_, o) = extract(bad, ["zzz"])
            guard case .invalid = o else { Issue.record("\(bad): expected invalid, got \(o)"); continue }
        }
        #expect(extract("not json", ["a"]).1 == .notObject)
        #expect(extract("", ["a"]).1 == .notObject)
    }

    @Test func binaryGarbageNeverCrashes() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes: [UInt8] = [0x7B] + (0..<Int.random(in: 0..<200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if Bool.random(using: &rng) { bytes.append(0x7D) }
            var parser = LogLineParser(preset: .json)
            let r = bytes.withUnsafeBufferPointer { parser.parse($0) }
            #expect(r.event.message != nil || r.structured)
        }
    }

    /// Builds a random JSON object line with nested values, escapes and non-ASCII text.
    func randomObject(_ rng: inout SystemRandomNumberGenerator, depth: Int = 0) -> String {
        let pieces = ["a", "é", "中文", "😀", "\\\"", "\\\\", "\\n", "\\t", "\\u00e9", "\\ud83d\\ude00", "\\/", " ", "x y"]
        func str() -> String { "\"" + (0..<Int.random(in: 0..<5, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() + "\"" }
        var members: [String] = []
        for k in 0..<Int.random(in: 1..<7, using: &rng) {
            let value: String
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: value = str()
            case 1: value = String(Int.random(in: -100_000...100_000, using: &rng))
            case 2: value = String(Double(Int.random(in: 0...100_000, using: &rng)) / 64)
            case 3: value = ["true", "false", "null"].randomElement(using: &rng)!
            case 4 where depth < 3: value = randomObject(&rng, depth: depth + 1)
            case 5: value = "[" + (0..<Int.random(in: 0..<3, using: &rng)).map { _ in str() }.joined(separator: ",") + "]"
            default: value = str()
            }
            members.append("\"k\(k)\" : \(value)")
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    func flatten(_ object: [String: Any], _ prefix: String = "") -> [String: Any] {
        var out: [String: Any] = [:]
        for (k, v) in object {
            out[prefix + k] = v
            if let nested = v as? [String: Any] { out.merge(flatten(nested, prefix + k + "."), uniquingKeysWith: { a, _ in a }) }
        }
        return out
    }

    @Test func differentialAgainstJSONSerialization() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let line = randomObject(&rng)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            let flat = flatten(object)
            let paths = flat.keys.sorted()
            let (values, outcome) = extract(line, paths)
            #expect(outcome == .ok, "\(line)")
            for (path, got) in zip(paths, values) {
                let want = flat[path]!
                if let s = want as? String {
                    #expect(got == s, "\(path) in \(line)")
                } else if want is NSNull {
                    #expect(got == "null")
                } else if let n = want as? NSNumber, !(want is [Any]), !(want is [String: Any]) {
                    if got == "true" || got == "false" {
                        #expect(got == (n.boolValue ? "true" : "false"))
                    } else {
                        let parsed = got.flatMap { g in Array(g.utf8).withUnsafeBufferPointer { JSONNumber.parse($0) } }
                        #expect(parsed == n.doubleValue, "\(path) in \(line)")
                    }
                }
            }
        }
    }
}
