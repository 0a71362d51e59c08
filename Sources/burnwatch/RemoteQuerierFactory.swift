import BurnwatchConfig
import BurnwatchCore

/// Makes the querier for a service's Prometheus-compatible query API.
enum RemoteQuerierFactory {
    static func make(_ api: QueryAPIConfig) throws -> any PromQLQuerier {
        throw BurnwatchError(.usage, "query_api services are not supported by this build yet (\(api.url)); give --metrics")
    }
}
