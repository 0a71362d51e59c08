import BurnwatchConfig
import Testing

@Suite("Config secrets are removed before recording")
struct ConfigSecretScrubberTests {
    static let config = """
        services:
          - name: api   # the public API
            targets:
              - {url: "https://scraper:s3cr3t-pass@api.internal:9100/metrics", interval: 15s}
              - url: http://10.0.0.5:8080/metrics
                labels: {team: payments, token: abc-flow-token}
            query_api:
              url: https://prom.internal
              headers:
                Authorization: Bearer eyJhbGciOi.secret.part
                X-Scope-OrgID: tenant-7
          - name: db
            query_api: {url: "https://thanos", headers: {Authorization: "Basic dXNlcjpwYXNz"}}
        auth:
          password: hunter2
          api_key: "k-123456"
          bearer_token_file: /etc/burnwatch/token
          client_secret: 'shh'
        slos:
          - service: api
            name: availability
            objective: 99.9
        """

    @Test func secretsAreGoneAndEverythingElseStays() {
        let scrubbed = ConfigSecretScrubber.scrub(Self.config)
        for secret in ["s3cr3t-pass", "abc-flow-token", "eyJhbGciOi", "tenant-7", "dXNlcjpwYXNz", "hunter2", "k-123456", "shh"] {
            #expect(!scrubbed.contains(secret), "\(secret) is still in:\n\(scrubbed)")
        }
        for kept in ["name: api   # the public API", "https://scraper:<redacted>@api.internal:9100/metrics", "interval: 15s",
                     "http://10.0.0.5:8080/metrics", "team: payments", "url: https://prom.internal", "Authorization: \"<redacted>\"",
                     "bearer_token_file: /etc/burnwatch/token", "objective: 99.9", "{url: \"https://thanos\", headers: {Authorization: \"<redacted>\"}}"] {
            #expect(scrubbed.contains(kept), "\(kept) is missing from:\n\(scrubbed)")
        }
        #expect(scrubbed.split(separator: "\n", omittingEmptySubsequences: false).count
                == Self.config.split(separator: "\n", omittingEmptySubsequences: false).count)
    }

    @Test func aConfigWithoutSecretsIsUnchanged() {
        let plain = "services:\n  - name: api\n    targets:\n      - {url: \"http://127.0.0.1:9100/metrics\"}\n"
        #expect(ConfigSecretScrubber.scrub(plain) == plain)
    }

    @Test func theScrubbedConfigStillLoads() throws {
        let scrubbed = ConfigSecretScrubber.scrub("""
            services:
              - name: api
                targets:
                  - {url: "http://u:p@127.0.0.1:9100/metrics"}
              - name: fleet
                query_api:
                  url: http://127.0.0.1:9090
                  headers: {Authorization: "Bearer x"}
            """)
        let config = try ConfigLoader.parse(scrubbed, file: "scrubbed.yaml")
        #expect(config.services.last?.queryAPI?.headers["Authorization"] == "<redacted>")
        #expect(config.services.first?.targets.first?.url == "http://u:<redacted>@127.0.0.1:9100/metrics")
    }
}
