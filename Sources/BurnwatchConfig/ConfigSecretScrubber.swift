/// Removes secrets from a configuration's text before it is stored in a recording: the values of
/// keys that name a secret (`password`, `token`, `secret`, `authorization`, `api_key`,
/// `credentials`…), every value under `headers:` (block or flow form), and the password of a URL's
/// `user:password@`. Each becomes `<redacted>`; the rest of the text, comments and layout stay.
///
/// Files a config points to (a bearer token file, a client key) are never read into a recording,
/// so their paths stay and their contents never appear.
public enum ConfigSecretScrubber {
    public static let redacted = "<redacted>"

    /// Words that make a key secret when its name contains them (case-insensitive), unless it ends
    /// in `_file` (a path to the secret, not the secret).
    static let secretWords = ["password", "passwd", "secret", "token", "authorization", "api_key", "apikey",
                              "credential", "private_key", "cookie"]

    /// `text` with every secret replaced.
    ///
    /// - Complexity: O(n) in the text's length.
    public static func scrub(_ text: String) -> String {
        var out: [String] = []
        var headersIndent: Int?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = scrubURLPasswords(String(rawLine))
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if let h = headersIndent {
                if content.isEmpty || content.hasPrefix("#") {
                    out.append(line); continue
                }
                if indent > h {
                    line = redactValue(ofKeyIn: line, force: true)
                    out.append(line)
                    continue
                }
                headersIndent = nil
            }
            let key = keyName(content)
            if let key, key == "headers" {
                let rest = value(afterKeyIn: content)
                if rest.isEmpty { headersIndent = indent } else { line = String(line.prefix(indent)) + "headers: " + redactFlow(rest) }
                out.append(line)
                continue
            }
            line = scrubFlowPairs(line)
            if let key, isSecret(key) { line = redactValue(ofKeyIn: line, force: true) }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }

    /// Whether a key names a secret.
    static func isSecret(_ key: String) -> Bool {
        let k = key.lowercased()
        if k.hasSuffix("_file") || k.hasSuffix("file") { return false }
        return secretWords.contains { k.contains($0) }
    }

    /// The key of a `key: value` or `- key: value` line, unquoted.
    static func keyName(_ content: Substring) -> String? {
        var c = content
        if c.hasPrefix("- ") { c = c.dropFirst(2).drop { $0 == " " } }
        guard let colon = c.firstIndex(of: ":") else { return nil }
        var key = c[..<colon].trimmedOf(" ")
        if key.hasPrefix("\""), key.hasSuffix("\""), key.count >= 2 { key = String(key.dropFirst().dropLast()) }
        if key.hasPrefix("'"), key.hasSuffix("'"), key.count >= 2 { key = String(key.dropFirst().dropLast()) }
        guard !key.isEmpty, !key.contains(" "), !key.contains("{"), !key.contains("/") else { return nil }
        return key
    }

    static func value(afterKeyIn content: Substring) -> String {
        guard let colon = content.firstIndex(of: ":") else { return "" }
        return content[content.index(after: colon)...].trimmedOf(" ")
    }

    /// The line with the value after its first `key:` replaced.
    static func redactValue(ofKeyIn line: String, force: Bool) -> String {
        let indent = line.prefix { $0 == " " }.count
        var content = line.dropFirst(indent)
        var dash = ""
        if content.hasPrefix("- ") { dash = "- "; content = content.dropFirst(2) }
        guard let colon = content.firstIndex(of: ":") else { return line }
        let after = content[content.index(after: colon)...].trimmedOf(" ")
        if after.isEmpty || after.hasPrefix("#") { return line }
        if after.hasPrefix("{") { return String(line.prefix(indent)) + dash + content[...colon] + " " + redactFlow(after) }
        return String(line.prefix(indent)) + dash + content[...colon] + " \"" + redacted + "\""
    }

    /// A flow mapping `{a: x, b: y}` with every value replaced.
    static func redactFlow(_ flow: String) -> String {
        guard flow.hasPrefix("{") else { return "\"" + redacted + "\"" }
        let inner = flow.dropFirst().prefix { $0 != "}" }
        let pairs = splitFlow(String(inner)).map { pair -> String in
            guard let colon = pair.firstIndex(of: ":") else { return pair }
            return pair[..<colon].trimmedOf(" ") + ": \"" + redacted + "\""
        }
        return "{" + pairs.joined(separator: ", ") + "}"
    }

    /// Secret keys inside flow mappings on a line (`{url: …, password: x}`), nested ones too;
    /// every value of a flow `headers:` mapping.
    static func scrubFlowPairs(_ line: String) -> String {
        guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}"), open < close else { return line }
        let scrubbed = scrubFlowMapping(String(line[open...close]))
        return String(line[..<open]) + scrubbed + String(line[line.index(after: close)...])
    }

    /// A flow mapping `{…}` with its secrets replaced; unchanged when it has none.
    static func scrubFlowMapping(_ flow: String) -> String {
        guard flow.hasPrefix("{"), flow.hasSuffix("}") else { return flow }
        let inner = String(flow.dropFirst().dropLast())
        var changed = false
        let pairs = splitFlow(inner).map { pair -> String in
            guard let colon = pair.firstIndex(of: ":") else { return pair }
            let key = pair[..<colon].trimmedOf(" ").trimmedOf("\"'")
            let value = pair[pair.index(after: colon)...].trimmedOf(" ")
            let keyText = pair[..<colon].trimmedOf(" ")
            if isSecret(key) {
                changed = true
                return keyText + ": \"" + redacted + "\""
            }
            if key == "headers" {
                changed = true
                return keyText + ": " + redactFlow(value)
            }
            if value.hasPrefix("{") {
                let nested = scrubFlowMapping(value)
                if nested != value { changed = true; return keyText + ": " + nested }
            }
            return pair
        }
        guard changed else { return flow }
        return "{" + pairs.map { $0.trimmedOf(" ") }.joined(separator: ", ") + "}"
    }

    /// Splits `a: x, b: "y, z"` at top-level commas (not inside quotes or brackets).
    static func splitFlow(_ s: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        var depth = 0
        for ch in s {
            if let q = quote {
                current.append(ch)
                if ch == q { quote = nil }
                continue
            }
            switch ch {
            case "\"", "'": quote = ch; current.append(ch)
            case "[", "{": depth += 1; current.append(ch)
            case "]", "}": depth -= 1; current.append(ch)
            case "," where depth == 0: parts.append(current); current = ""
            default: current.append(ch)
            }
        }
        if !current.trimmedOf(" ").isEmpty { parts.append(current) }
        return parts
    }

    /// `scheme://user:password@host` becomes `scheme://user:<redacted>@host` (every URL in `line`).
    public static func scrubURLPasswords(_ line: String) -> String {
        guard line.contains("://"), line.contains("@") else { return line }
        var out = ""
        var rest = Substring(line)
        while let range = rest.range(of: "://") {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let authority = rest.prefix { !"/ \"'},?#".contains($0) }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                out += authority[..<colon] + ":" + redacted + "@"
                rest = rest[authority.index(after: at)...]
            }
        }
        return out + rest
    }
}

extension StringProtocol {
    /// The text without the given characters at either end.
    fileprivate func trimmedOf(_ set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
