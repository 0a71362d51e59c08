/// Finds the configuration file: `--config`, then `./burnwatch.yaml`, then
/// `$XDG_CONFIG_HOME/burnwatch/config.yaml` (or `~/.config/burnwatch/config.yaml`).
public enum ConfigLocator {
    /// The candidate paths in the order they are tried.
    ///
    /// - Parameters:
    ///   - explicit: the `--config` value, if given (then it is the only candidate).
    ///   - environment: the process environment (`XDG_CONFIG_HOME`, `HOME`).
    public static func candidates(explicit: String?, environment: [String: String]) -> [String] {
        if let explicit { return [explicit] }
        var out = ["burnwatch.yaml"]
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            out.append(xdg + "/burnwatch/config.yaml")
        } else if let home = environment["HOME"], !home.isEmpty {
            out.append(home + "/.config/burnwatch/config.yaml")
        }
        return out
    }

    /// The first candidate that exists, or nil.
    ///
    /// - Parameter exists: tells whether a file exists (the caller's I/O).
    public static func locate(explicit: String?, environment: [String: String], exists: (String) -> Bool) -> String? {
        if let explicit { return explicit }
        return candidates(explicit: nil, environment: environment).first(where: exists)
    }
}
