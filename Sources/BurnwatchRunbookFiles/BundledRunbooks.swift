import Foundation

/// Where the runbooks bundled with the binary live: `Runbooks/` of the repository, copied as a
/// package resource next to the executable.
public enum BundledRunbooks {
    /// The directory holding the bundled runbook Markdown files, if the resource bundle is present.
    public static var directory: URL? {
        Bundle.module.url(forResource: "Runbooks", withExtension: nil)
    }
}

/// The demo incident bundled with the binary: `Demo/incident.burnwatch` of the repository, made by
/// `make demo-record` from real servers.
public enum BundledDemo {
    /// The bundled recording, if the resource bundle is present.
    public static var recording: URL? {
        Bundle.module.url(forResource: "Demo", withExtension: nil)?.appendingPathComponent("incident.burnwatch")
    }
}
