/// Splits a link destination into the runbook file and anchor it names.
public enum RunbookLinkTarget {
    /// Reads a destination as written in Markdown.
    ///
    /// `#a` names an anchor of the same file; `x.md`, `./x.md#a` or `dir/x.md#a` name another runbook
    /// by its file name; a URL with a scheme (`https:`, `mailto:`) or a path to something that is not
    /// Markdown is external and not followed.
    /// - Parameters:
    ///   - destination: the link destination.
    ///   - line: the 1-based line of the link, stored in the result.
    public static func parse(_ destination: String, line: Int) -> RunbookLink {
        let trimmed = String(destination.trimmingSpaces())
        if hasScheme(trimmed) || trimmed.hasPrefix("//") {
            return RunbookLink(destination: destination, targetFile: nil, anchor: nil, isExternal: true, line: line)
        }
        let path: Substring
        let anchor: String?
        if let hash = trimmed.firstIndex(of: "#") {
            path = trimmed[..<hash]
            anchor = percentDecoded(String(trimmed[trimmed.index(after: hash)...]))
        } else {
            path = Substring(trimmed)
            anchor = nil
        }
        let pathWithoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if pathWithoutQuery.isEmpty {
            return RunbookLink(destination: destination, targetFile: nil, anchor: anchor, isExternal: false, line: line)
        }
        let fileName = percentDecoded(String(pathWithoutQuery.split(separator: "/").last ?? ""))
        guard fileName.lowercased().hasSuffix(".md") else {
            return RunbookLink(destination: destination, targetFile: nil, anchor: nil, isExternal: true, line: line)
        }
        return RunbookLink(destination: destination, targetFile: fileName, anchor: anchor, isExternal: false, line: line)
    }

    /// True when the text starts with `scheme:` (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
    static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }

    /// Decodes `%XX` escapes as UTF-8; malformed escapes are kept as written.
    static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count, let hi = hexValue(utf8[i + 1]), let lo = hexValue(utf8[i + 2]) {
                bytes.append(hi << 4 | lo); i += 3
            } else {
                bytes.append(utf8[i]); i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
