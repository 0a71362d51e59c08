/// Where each normalised field is found in a format's lines: candidate paths, first present wins.
///
/// A config `fields:` mapping overrides entries with `overriding(_:)` (normalised name → path).
public struct LogFieldMapping: Sendable, Equatable {
    /// A path and, for durations, the unit its numbers are in.
    public struct Candidate: Sendable, Equatable {
        public var path: String
        public var unit: LogDurationUnit
        public init(_ path: String, _ unit: LogDurationUnit = .seconds) { self.path = path; self.unit = unit }
    }

    /// The normalised field names, in the order `LogEvent` declares them.
    public static let names = ["time", "level", "msg", "service", "instance", "request_id", "trace_id", "span_id",
                               "traceparent", "tenant", "method", "route", "path", "status", "duration", "attempt",
                               "retries", "error_kind", "dependency", "idempotency_key"]

    /// Candidates by normalised name (see `names`).
    public var candidates: [String: [Candidate]]

    public init(_ candidates: [String: [Candidate]]) { self.candidates = candidates }

    /// Builds a mapping from plain paths (durations in `durationUnit`).
    public init(paths: [String: [String]], durationUnit: LogDurationUnit = .seconds) {
        var c: [String: [Candidate]] = [:]
        for (k, v) in paths { c[k] = v.map { Candidate($0, k == "duration" ? durationUnit : .seconds) } }
        candidates = c
    }

    /// A copy where the given normalised fields read only the given paths (a config `fields:` mapping).
    ///
    /// A path may end in `:ms`, `:us`, `:ns` or `:s` to give a duration's unit.
    /// - Throws: `BurnwatchError` `.config` for a name that is not a normalised field.
    public func overriding(_ mapping: [String: String]) throws -> LogFieldMapping {
        var copy = self
        for (name, spec) in mapping.sorted(by: { $0.key < $1.key }) {
            let canonical = name == "message" ? "msg" : name
            guard LogFieldMapping.names.contains(canonical) else {
                throw BurnwatchError(.config, "fields: '\(name)' is not a log field; expected one of \(LogFieldMapping.names.joined(separator: ", "))")
            }
            var path = spec
            var unit = LogDurationUnit.seconds
            if let colon = spec.lastIndex(of: ":") {
                let suffix = spec[spec.index(after: colon)...]
                let units: [String: LogDurationUnit] = ["s": .seconds, "ms": .milliseconds, "us": .microseconds, "ns": .nanoseconds]
                if let u = units[String(suffix)] { unit = u; path = String(spec[..<colon]) }
            }
            copy.candidates[canonical] = [Candidate(path, unit)]
        }
        return copy
    }

    /// This mapping followed by `other`'s candidates that it lacks (for sources mixing formats).
    public func merged(with other: LogFieldMapping) -> LogFieldMapping {
        var copy = self
        for (name, list) in other.candidates {
            var mine = copy.candidates[name] ?? []
            for c in list where !mine.contains(where: { $0.path == c.path }) { mine.append(c) }
            copy.candidates[name] = mine
        }
        return copy
    }

    /// Every distinct path, in a stable order (normalised-name order, then candidate order).
    public var allPaths: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for name in LogFieldMapping.names {
            for c in candidates[name] ?? [] where seen.insert(c.path).inserted { out.append(c.path) }
        }
        return out
    }
}

import BurnwatchCore
