import BurnwatchCore
import Yams

/// A YAML node with the file it came from and its path in the document, for typed reads whose
/// errors name file, line, column and what was expected.
struct YAMLNode {
    let node: Node
    let file: String
    /// Where the node sits, e.g. `slos[2].objective`.
    let path: String
    /// The document's text, to place errors inside block scalars.
    var text: YAMLText? = nil

    /// The node's position (1-based line and column).
    var position: SourcePosition {
        SourcePosition(source: file, line: node.mark?.line, column: node.mark?.column)
    }

    /// A `.config` error at this node.
    func error(_ message: String) -> BurnwatchError { BurnwatchError(.config, message, at: position) }

    /// What the node is, for "found …" in messages.
    var kindDescription: String {
        switch node {
        case .scalar(let s): "`\(s.string)`"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The mapping's entries; an unknown key is an error that lists the known ones.
    ///
    /// - Parameters:
    ///   - allowed: the keys this mapping may hold (snake_case when `spelling` is given); `nil`
    ///     allows any.
    ///   - spelling: when given, each multi-word key is also accepted in its other spelling
    ///     (`error_query` or `errorQuery`) and entries are read by their snake_case name; the
    ///     error for an unknown key lists the keys in this spelling.
    /// - Throws: `.config` when the node is not a mapping, a key repeats (in either spelling), or
    ///   a key is unknown.
    func mapping(_ allowed: [String]?, spelling: KeySpelling? = nil) throws -> YAMLMapping {
        guard case .mapping(let m) = node else { throw error("expected a mapping at `\(path)`, found \(kindDescription)") }
        var canonical: [String: String] = [:]
        if let allowed, spelling != nil {
            for key in allowed { canonical[key] = key; canonical[KeySpelling.camel.spell(key)] = key }
        }
        var entries: [(String, YAMLNode)] = []
        for (k, v) in m {
            guard case .scalar(let key) = k else { throw YAMLNode(node: k, file: file, path: path, text: text).error("expected a text key in `\(path)`") }
            let keyNode = YAMLNode(node: k, file: file, path: path, text: text)
            var name = key.string
            if let allowed {
                if let spelling {
                    guard let c = canonical[name] else {
                        throw keyNode.error("unknown key `\(name)` in `\(path)`; expected one of: \(allowed.map(spelling.spell).joined(separator: ", "))")
                    }
                    name = c
                } else if !allowed.contains(name) {
                    throw keyNode.error("unknown key `\(name)` in `\(path)`; expected one of: \(allowed.joined(separator: ", "))")
                }
            }
            if entries.contains(where: { $0.0 == name }) {
                let other = name == key.string ? "" : " (as `\(name)` and `\(key.string)`)"
                throw keyNode.error("key `\(key.string)` appears twice in `\(path)`\(other)")
            }
            entries.append((name, YAMLNode(node: v, file: file, path: path.isEmpty ? key.string : "\(path).\(key.string)", text: text)))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    /// Whether the node is an empty document (nothing, `~` or `null`).
    var isEmptyDocument: Bool {
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// The list's items (a single non-list value is not accepted).
    func sequence() throws -> [YAMLNode] {
        guard case .sequence(let s) = node else { throw error("expected a list at `\(path)`, found \(kindDescription)") }
        return s.enumerated().map { YAMLNode(node: $1, file: file, path: "\(path)[\($0)]", text: text) }
    }

    /// The scalar's text.
    func string() throws -> String {
        guard case .scalar(let s) = node else { throw error("expected text at `\(path)`, found \(kindDescription)") }
        return s.string
    }

    /// A non-empty scalar text.
    func nonEmptyString() throws -> String {
        let s = try string()
        if s.isEmpty { throw error("expected non-empty text at `\(path)`") }
        return s
    }

    /// A number.
    func double() throws -> Double {
        let s = try string()
        guard let v = Double(s), v.isFinite else { throw error("expected a number at `\(path)`, found `\(s)`") }
        return v
    }

    /// `true` or `false` (YAML 1.1 spellings accepted).
    func bool() throws -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false at `\(path)`, found \(kindDescription)")
        }
    }

    /// A Prometheus duration (`30s`, `5m`, `30d`).
    func duration() throws -> Interval {
        let s = try string()
        guard let d = Interval.parse(s), d.milliseconds > 0 else { throw error("expected a duration such as 30s, 5m or 30d at `\(path)`, found `\(s)`") }
        return d
    }

    /// A list of texts; a single text counts as a list of one.
    func strings() throws -> [String] {
        if case .scalar = node { return [try nonEmptyString()] }
        return try sequence().map { try $0.nonEmptyString() }
    }

    /// A mapping of texts to texts (labels, annotations).
    func stringMap() throws -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in try mapping(nil).entries { out[k] = try v.string() }
        return out
    }
}

/// How a spec form spells its multi-word keys: Sloth `prometheus/v1` writes `error_query`, its
/// Kubernetes CRD writes `errorQuery`.
enum KeySpelling: Sendable {
    case snake, camel

    /// A snake_case key in this spelling (`page_alert` → `pageAlert` for `.camel`).
    func spell(_ snake: String) -> String {
        guard self == .camel, snake.contains("_") else { return snake }
        let parts = snake.split(separator: "_")
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// A YAML document's lines, shared by its nodes.
final class YAMLText: Sendable {
    let lines: [String]
    init(_ text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}

extension YAMLNode {
    /// A PromQL query (with Sloth's `{{.window}}` placeholder), checked by the embedded parser.
    ///
    /// - Throws: `.config` at the file position of the syntax error inside the query.
    func promQL() throws -> String {
        let query = try nonEmptyString()
        // The placeholder becomes a duration of the same length, so columns stay where they were.
        var probe = ""
        var rest = Substring(query)
        while let open = rest.firstRange(of: "{{"), let close = rest[open.upperBound...].firstRange(of: "}}") {
            probe += rest[..<open.lowerBound]
            let width = rest.distance(from: open.lowerBound, to: close.upperBound)
            probe += String(repeating: "0", count: max(0, width - 2)) + "5m"
            rest = rest[close.upperBound...]
        }
        probe += rest
        do {
            _ = try PromQLParser.parse(probe)
        } catch let e as BurnwatchError {
            throw BurnwatchError(.config, "invalid PromQL at `\(path)`: \(e.message)", at: position(inside: e.position))
        }
        return query
    }

    /// The file position of a line and column inside this scalar's text.
    func position(inside p: SourcePosition?) -> SourcePosition {
        guard case .scalar(let s) = node, let mark = node.mark, let line = p?.line, let column = p?.column else { return position }
        switch s.style {
        case .literal, .folded:
            // Content starts on the line after the indicator, indented like its first line.
            let fileLine = mark.line + line
            let first = mark.line  // 0-based index of the first content line
            let indent = text.flatMap { t in first < t.lines.count ? t.lines[first].prefix(while: { $0 == " " }).count : nil } ?? 0
            return SourcePosition(source: file, line: s.style == .literal ? fileLine : mark.line + 1, column: indent + column)
        case .singleQuoted, .doubleQuoted:
            return SourcePosition(source: file, line: mark.line + line - 1, column: line == 1 ? mark.column + column : column)
        default:
            return SourcePosition(source: file, line: mark.line + line - 1, column: line == 1 ? mark.column + column - 1 : column)
        }
    }
}

/// A mapping's entries with their keys, read by name.
struct YAMLMapping {
    let owner: YAMLNode
    let entries: [(String, YAMLNode)]

    /// The value of a key, or nil.
    subscript(_ key: String) -> YAMLNode? { entries.first { $0.0 == key }?.1 }

    /// The value of a key that must be present.
    func required(_ key: String) throws -> YAMLNode {
        guard let v = self[key] else { throw owner.error("missing key `\(key)` in `\(owner.path.isEmpty ? "the document" : owner.path)`") }
        return v
    }
}

/// Parsing YAML text into nodes, with positions in errors.
enum YAMLDocuments {
    /// Every document of a YAML text.
    ///
    /// - Throws: `.config` with the position of a syntax error.
    static func parse(_ text: String, file: String) throws -> [YAMLNode] {
        do {
            var out: [YAMLNode] = []
            let parser = try Parser(yaml: text)
            let shared = YAMLText(text)
            while let root = try parser.nextRoot() { out.append(YAMLNode(node: root, file: file, path: "", text: shared)) }
            return out
        } catch let error as YamlError {
            throw convert(error, file: file)
        }
    }

    /// Maps a Yams error to a `BurnwatchError` with the line and column.
    static func convert(_ error: YamlError, file: String) -> BurnwatchError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = [context.map { $0.text }, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return BurnwatchError(.config, "invalid YAML: \(what)", at: SourcePosition(source: file, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return BurnwatchError(.config, "key `\(duplicates.joined(separator: "`, `"))` appears twice",
                                  at: SourcePosition(source: file, line: context.mark.line, column: context.mark.column))
        default:
            return BurnwatchError(.config, "invalid YAML: \(error)", at: SourcePosition(source: file))
        }
    }
}
