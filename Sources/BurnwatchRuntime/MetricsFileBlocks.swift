import BurnwatchCore

/// A metrics file read a block at a time, decompressed on the way when it is gzip.
///
/// `tail()` gives the body's last bytes before the body is read (a plain file: read at its end; a
/// gzip file: one decompressing pass that keeps only the tail). A file that cannot seek (a pipe,
/// `<(curl …)`) or reports no size (/proc) is read whole on the first call and handed on from memory.
final class MetricsFileBlocks {
    private let path: String
    private let fd: Int32
    private let blockSize: Int
    private let isGzip: Bool
    private let isSeekable: Bool
    /// The bytes read before the file turned out not to seek.
    private let firstBytes: [UInt8]
    /// The whole body, for a file that cannot seek (read on first use).
    private var held: [UInt8]?
    /// The body's size in bytes (decompressed; for gzip, known once `tail()` has read it).
    private(set) var bodySize = 0

    private init(path: String, fd: Int32, blockSize: Int) {
        self.path = path
        self.fd = fd
        self.blockSize = blockSize
        var magic: [UInt8] = [0, 0]
        let n = magic.withUnsafeMutableBytes { PlatformFiles.read(fd, into: $0.baseAddress!, count: 2) }
        bodySize = Int(PlatformFiles.identity(of: fd)?.size ?? 0)
        // A file that reports no size (as /proc's do) has no end to read first: it is read whole.
        isSeekable = PlatformFiles.seek(fd, to: 0) == 0 && bodySize > 0
        if !isSeekable { PlatformFiles.seek(fd, to: Int64(max(0, n))) }
        firstBytes = isSeekable ? [] : Array(magic[0..<max(0, n)])
        isGzip = path.hasSuffix(".gz") || (n == 2 && magic == [0x1f, 0x8b])
    }

    /// Opens `path`.
    /// - Throws: `BurnwatchError(.io)` when it cannot be opened.
    static func open(_ path: String, blockSize: Int) throws -> MetricsFileBlocks {
        var reason = ""
        guard let fd = PlatformFiles.openForReading(path, error: &reason) else {
            throw failure("cannot read metrics file: \(reason)", path)
        }
        return MetricsFileBlocks(path: path, fd: fd, blockSize: blockSize)
    }

    /// Reads a file that cannot seek whole (once).
    private func holdUnseekable() throws {
        guard !isSeekable, held == nil else { return }
        var reason = ""
        guard let rest = PlatformFiles.readAll(fd, error: &reason) else { throw Self.failure("cannot read metrics file: \(reason)", path) }
        var whole = firstBytes + rest
        if isGzip { whole = try Self.decompressWhole(whole, path: path) }
        held = whole
        bodySize = whole.count
    }

    deinit { PlatformFiles.close(fd) }

    /// The last (up to) 64 bytes of the body.
    /// - Throws: `BurnwatchError(.io)` on a read or decompression error.
    func tail() throws -> [UInt8] {
        try holdUnseekable()
        if let held { return Array(held.suffix(64)) }
        if !isGzip {
            let start = max(0, Int64(bodySize) - 64)
            guard PlatformFiles.seek(fd, to: start) == start else { throw Self.failure("cannot seek in metrics file", path) }
            var last = [UInt8](repeating: 0, count: 64)
            let n = last.withUnsafeMutableBytes { PlatformFiles.read(fd, into: $0.baseAddress!, count: $0.count) }
            guard n >= 0, PlatformFiles.seek(fd, to: 0) == 0 else { throw Self.failure("cannot read metrics file: \(PlatformFiles.errorText())", path) }
            return Array(last[0..<n])
        }
        defer { PlatformFiles.seek(fd, to: 0) }
        var last: [UInt8] = []
        try forEachBlock { block in
            last.append(contentsOf: block.suffix(64))
            if last.count > 64 { last.removeFirst(last.count - 64) }
        }
        return last
    }

    /// Calls `body` with each block of the body in order (a view valid during the call only).
    /// - Throws: `BurnwatchError(.io)` on a read or decompression error (the blocks before it were handed on).
    func forEachBlock(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try holdUnseekable()
        if let held { try held.withUnsafeBytes { try body($0) }; return }
        var buffer = [UInt8](repeating: 0, count: blockSize)
        let inflater = isGzip ? try inflaterOrThrow() : nil
        while true {
            let n = buffer.withUnsafeMutableBytes { PlatformFiles.read(fd, into: $0.baseAddress!, count: $0.count) }
            if n < 0 { throw Self.failure("cannot read metrics file: \(PlatformFiles.errorText())", path) }
            if n == 0 { break }
            try buffer.withUnsafeBytes { raw in
                let block = UnsafeRawBufferPointer(rebasing: raw[0..<n])
                if let inflater {
                    do { try inflater.inflate(block, body) } catch let e as GzipInflater.Failure { throw Self.failure(e.description, path) }
                } else {
                    try body(block)
                }
            }
        }
        if let inflater {
            do { try inflater.finish() } catch let e as GzipInflater.Failure { throw Self.failure(e.description, path) }
            bodySize = inflater.totalOut
        }
    }

    private func inflaterOrThrow() throws -> GzipInflater {
        do { return try GzipInflater() } catch let e as GzipInflater.Failure { throw Self.failure(e.description, path) }
    }

    private static func decompressWhole(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        var out: [UInt8] = []
        do {
            let inflater = try GzipInflater()
            try bytes.withUnsafeBytes { try inflater.inflate($0) { out.append(contentsOf: $0) } }
            try inflater.finish()
        } catch let e as GzipInflater.Failure { throw failure(e.description, path) }
        return out
    }

    private static func failure(_ message: String, _ path: String) -> BurnwatchError {
        BurnwatchError(.io, message, at: SourcePosition(source: path))
    }
}
