/// Parses logfmt lines (`ts=… level=info msg="hello \"x\"" dur=1.2ms`), as Prometheus and many Go services write.
public enum LogfmtScanner {
    /// Whether a line looks like logfmt: it starts with `key=`.
    public static func looksLikeLogfmt(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < line.count, isKeyByte(line[i]) { i += 1 }
        return i > 0 && i < line.count && line[i] == 0x3D
    }

    /// The key/value pairs of a logfmt line, in order; a bare key has the value `"true"`; a value
    /// without a key (`=x`) is skipped.
    ///
    /// Quoted values resolve `\"`, `\\`, `\n`, `\t`; invalid UTF-8 is repaired with U+FFFD.
    /// - Complexity: O(n).
    public static func pairs(_ line: UnsafeBufferPointer<UInt8>) -> [(String, String)] {
        var out: [(String, String)] = []
        var i = 0
        let n = line.count
        while i < n {
            while i < n, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
            guard i < n else { break }
            let keyStart = i
            while i < n, line[i] != 0x3D, line[i] != 0x20, line[i] != 0x09 { i += 1 }
            let key = String(decoding: UnsafeBufferPointer(rebasing: line[keyStart..<i]), as: UTF8.self)
            guard i < n, line[i] == 0x3D else {
                if !key.isEmpty { out.append((key, "true")) }
                continue
            }
            i += 1
            if i < n, line[i] == 0x22 {
                i += 1
                var bytes: [UInt8] = []
                while i < n, line[i] != 0x22 {
                    if line[i] == 0x5C, i + 1 < n {
                        i += 1
                        switch line[i] {
                        case 0x6E: bytes.append(0x0A)
                        case 0x74: bytes.append(0x09)
                        case 0x72: bytes.append(0x0D)
                        default: bytes.append(line[i])
                        }
                    } else {
                        bytes.append(line[i])
                    }
                    i += 1
                }
                i += 1
                if !key.isEmpty { out.append((key, String(decoding: bytes, as: UTF8.self))) }
            } else {
                let valueStart = i
                while i < n, line[i] != 0x20, line[i] != 0x09 { i += 1 }
                if !key.isEmpty { out.append((key, String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<i]), as: UTF8.self))) }
            }
        }
        return out
    }

    static func isKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2E || c == 0x2D || c == 0x40
    }
}
