import BurnwatchConfig
import BurnwatchCore
import BurnwatchRuntime

/// Makes the querier for a service's Prometheus-compatible query API (`query_api` in the config).
enum RemoteQuerierFactory {
    static func make(_ api: QueryAPIConfig) throws -> any PromQLQuerier {
        var options = RemoteQueryClient.Options()
        options.timeoutSeconds = api.timeout.seconds
        options.headers = api.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return RemoteQueryClient(baseURL: api.url, options: options)
    }
}
