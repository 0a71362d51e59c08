import BurnwatchCore

/// The log formats burnwatch knows, each with the paths of its normalised fields.
public enum LogPreset: String, CaseIterable, Sendable {
    case slog, zap, zerolog, logrus, bunyan, ecs, otel, caddy, envoy, haproxy, nginx, gokit, logfmt
    /// JSON of no known shape: every preset's candidates, in a sensible order.
    case json
    /// Lines that are not structured: message-only events.
    case text

    /// The field mapping of the preset.
    public var mapping: LogFieldMapping {
        switch self {
        case .slog:
            return LogFieldMapping(Self.common(time: ["time"], level: ["level"], msg: ["msg"], duration: [.init("duration", .nanoseconds)]))
        case .zap:
            return LogFieldMapping(Self.common(time: ["ts", "time"], level: ["level"], msg: ["msg"], duration: [.init("duration"), .init("elapsed")]))
        case .zerolog:
            return LogFieldMapping(Self.common(time: ["time"], level: ["level"], msg: ["message"],
                                               duration: [.init("duration", .milliseconds), .init("elapsed", .milliseconds), .init("latency", .milliseconds)]))
        case .logrus:
            return LogFieldMapping(Self.common(time: ["time"], level: ["level"], msg: ["msg"], duration: [.init("duration", .nanoseconds)]))
        case .gokit, .logfmt:
            return LogFieldMapping(Self.common(time: ["ts", "time", "t"], level: ["level", "lvl"], msg: ["msg", "message"], duration: [.init("duration")]))
        case .bunyan:
            var c = Self.common(time: ["time"], level: ["level"], msg: ["msg"],
                                duration: [.init("latency", .milliseconds), .init("duration", .milliseconds), .init("responseTime", .milliseconds)])
            c["service"] = [.init("name")]
            c["instance"] = [.init("hostname")]
            c["request_id"] = [.init("req_id")] + (c["request_id"] ?? [])
            c["method"] = [.init("req.method")] + (c["method"] ?? [])
            c["path"] = [.init("req.url")] + (c["path"] ?? [])
            c["status"] = [.init("res.statusCode")] + (c["status"] ?? [])
            return LogFieldMapping(c)
        case .ecs:
            return LogFieldMapping([
                "time": [.init("@timestamp")], "level": [.init("log.level")], "msg": [.init("message")],
                "service": [.init("service.name")], "instance": [.init("host.name"), .init("host.hostname"), .init("service.node.name")],
                "request_id": [.init("http.request.id"), .init("transaction.id")], "trace_id": [.init("trace.id")], "span_id": [.init("span.id")],
                "tenant": [.init("labels.tenant"), .init("organization.id")], "method": [.init("http.request.method")],
                "route": [.init("url.route"), .init("http.route")], "path": [.init("url.path"), .init("url.original")],
                "status": [.init("http.response.status_code")], "duration": [.init("event.duration", .nanoseconds)],
                "error_kind": [.init("error.type"), .init("error.code")], "dependency": [.init("destination.service.name"), .init("span.destination.service.resource")],
                "attempt": [.init("labels.attempt")], "idempotency_key": [.init("labels.idempotency_key")],
            ])
        case .otel:
            return LogFieldMapping([
                "time": [.init("timeUnixNano"), .init("Timestamp"), .init("observedTimeUnixNano"), .init("ObservedTimestamp")],
                "level": [.init("severityText"), .init("SeverityText"), .init("severityNumber"), .init("SeverityNumber")],
                "msg": [.init("body.stringValue"), .init("body"), .init("Body")],
                "service": [.init("resource.service.name"), .init("Resource.service.name"), .init("resource.attributes.service.name")],
                "instance": [.init("resource.service.instance.id"), .init("Resource.service.instance.id"), .init("resource.host.name")],
                "trace_id": [.init("traceId"), .init("TraceId")], "span_id": [.init("spanId"), .init("SpanId")],
                "request_id": [.init("attributes.request_id"), .init("Attributes.request_id")],
                "tenant": [.init("attributes.tenant"), .init("Attributes.tenant")],
                "method": [.init("attributes.http.request.method"), .init("attributes.http.method"), .init("Attributes.http.request.method")],
                "route": [.init("attributes.http.route"), .init("Attributes.http.route")],
                "path": [.init("attributes.url.path"), .init("Attributes.url.path")],
                "status": [.init("attributes.http.response.status_code"), .init("attributes.http.status_code"), .init("Attributes.http.response.status_code")],
                "duration": [.init("attributes.duration_ms", .milliseconds), .init("attributes.http.server.request.duration")],
                "error_kind": [.init("attributes.error.type"), .init("attributes.exception.type"), .init("Attributes.error.type")],
                "attempt": [.init("attributes.http.request.resend_count")],
            ])
        case .caddy:
            var c = Self.common(time: ["ts"], level: ["level"], msg: ["msg"], duration: [.init("duration")])
            c["method"] = [.init("request.method")]
            c["path"] = [.init("request.uri")]
            c["instance"] = [.init("request.host")]
            c["request_id"] = [.init("request.headers.X-Request-Id"), .init("request.headers.X-Request-ID")]
            c["traceparent"] = [.init("request.headers.Traceparent")]
            c["service"] = [.init("service")]
            return LogFieldMapping(c)
        case .envoy:
            return LogFieldMapping([
                "time": [.init("start_time"), .init("timestamp")], "level": [.init("level")], "msg": [.init("message")],
                "method": [.init("method")], "path": [.init("path")], "status": [.init("response_code")],
                "duration": [.init("duration", .milliseconds)], "request_id": [.init("x_request_id"), .init("request_id"), .init("x-request-id")],
                "traceparent": [.init("traceparent")], "trace_id": [.init("trace_id")],
                "dependency": [.init("upstream_cluster")], "instance": [.init("authority")],
                "error_kind": [.init("response_code_details"), .init("response_flags")],
                "attempt": [.init("upstream_request_attempt_count")], "service": [.init("service")],
            ])
        case .haproxy:
            return LogFieldMapping([
                "time": [.init("accept_ts"), .init("time"), .init("timestamp")], "msg": [.init("message")],
                "service": [.init("frontend")], "instance": [.init("server")], "dependency": [.init("backend")],
                "request_id": [.init("request_id"), .init("unique_id")], "method": [.init("method")],
                "path": [.init("uri"), .init("path")], "status": [.init("status")],
                "duration": [.init("Tt", .milliseconds), .init("Ta", .milliseconds), .init("duration_ms", .milliseconds)],
                "retries": [.init("retries")], "error_kind": [.init("termination_state")],
                "traceparent": [.init("traceparent")],
            ])
        case .nginx:
            return LogFieldMapping([
                "time": [.init("time_iso8601"), .init("time_local"), .init("time"), .init("msec")],
                "level": [.init("level")], "msg": [.init("message"), .init("request")],
                "service": [.init("service")], "instance": [.init("host"), .init("server_name")],
                "request_id": [.init("request_id"), .init("http_x_request_id")], "traceparent": [.init("http_traceparent")],
                "method": [.init("request_method")], "path": [.init("uri"), .init("request_uri")],
                "status": [.init("status")], "duration": [.init("request_time")],
                "dependency": [.init("upstream_addr")], "tenant": [.init("http_x_tenant_id")],
            ])
        case .json:
            var m = LogPreset.slog.mapping
            for p in [LogPreset.zap, .zerolog, .caddy, .ecs, .otel, .bunyan, .envoy, .haproxy, .nginx] { m = m.merged(with: p.mapping) }
            // Which logger wrote `duration` is not known per line: tell slog and zap apart by the number's form.
            if var d = m.candidates["duration"], let i = d.firstIndex(where: { $0.path == "duration" }) {
                d[i].unit = .integerNanosecondsElseSeconds
                m.candidates["duration"] = d
            }
            return m
        case .text:
            return LogFieldMapping([:])
        }
    }

    /// Candidates shared by the Go loggers: the usual attribute names services pick.
    static func common(time: [String], level: [String], msg: [String], duration: [LogFieldMapping.Candidate]) -> [String: [LogFieldMapping.Candidate]] {
        func list(_ paths: [String]) -> [LogFieldMapping.Candidate] { paths.map { LogFieldMapping.Candidate($0) } }
        return [
            "time": list(time), "level": list(level), "msg": list(msg),
            "service": list(["service", "service.name", "app", "component"]),
            "instance": list(["instance", "host", "hostname", "pod"]),
            "request_id": list(["request_id", "requestID", "requestId", "req_id", "http.request_id", "x_request_id"]),
            "trace_id": list(["trace_id", "traceID", "traceId", "trace.id", "dd.trace_id"]),
            "span_id": list(["span_id", "spanID", "spanId", "span.id"]),
            "traceparent": list(["traceparent"]),
            "tenant": list(["tenant", "tenant_id", "tenantID", "customer", "org"]),
            "method": list(["method", "http.method", "http.request.method", "request.method", "http_method"]),
            "route": list(["route", "http.route", "handler", "pattern"]),
            "path": list(["path", "url.path", "http.path", "uri", "request.uri", "url"]),
            "status": list(["status", "status_code", "http.status", "http.status_code", "http.response.status_code"]),
            "duration": duration + [LogFieldMapping.Candidate("duration_ms", .milliseconds), .init("latency_ms", .milliseconds),
                                    .init("duration_seconds"), .init("elapsed_ms", .milliseconds)],
            "attempt": list(["attempt", "attempts", "try"]),
            "retries": list(["retries", "retry", "retry_count"]),
            "error_kind": list(["error_kind", "error.kind", "error_type", "error.type", "err_kind", "errorKind"]),
            "dependency": list(["dependency", "dep", "upstream", "peer.service", "target"]),
            "idempotency_key": list(["idempotency_key", "idempotencyKey", "Idempotency-Key"]),
        ]
    }
}
