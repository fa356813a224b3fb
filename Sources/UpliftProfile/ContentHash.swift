internal import CXXHash
import Foundation

/// The analysis cache's key: a hash of a file's bytes, so a renamed or moved track is found again and an
/// edited one is not. Nothing here needs a cryptographic hash (no one forges a WAV to hit our cache), so
/// it is XXH3-128 from libxxhash: about ten times faster than SHA-256 and without BoringSSL in the build.
///
/// Hashes are written `xxh3-128:<32 hex digits>` (XXH128's canonical, big-endian form, as `xxhsum -H2`
/// prints it). Profiles and caches written before carry bare 64-digit SHA-256 hex: `isCurrent` tells them
/// apart, and `BatchAnalyzer` re-hashes such an entry once, keeping its cached analysis.
public enum ContentHash {
    public static let prefix = "xxh3-128:"

    /// Whether `hash` was made by this algorithm (an older profile's SHA-256 is not).
    public static func isCurrent(_ hash: String) -> Bool { hash.hasPrefix(prefix) }

    public static func hex(of data: some DataProtocol) -> String {
        let bytes = Array(data)
        return bytes.withUnsafeBytes { format(XXH3_128bits($0.baseAddress, $0.count)) }
    }

    /// Streams the file in 1 MiB reads (memory stays flat for any track length).
    public static func hexOfFile(atPath path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ProfileError(.unreadable, "cannot open for hashing: \(String(cString: strerror(errno)))", path: path) }
        defer { close(fd) }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        guard let state = XXH3_createState() else { throw ProfileError(.unreadable, "out of memory for hashing", path: path) }
        defer { XXH3_freeState(state) }
        XXH3_128bits_reset(state)
        while true {
            let got = read(fd, buffer, chunk)
            if got < 0 {
                if errno == EINTR { continue }
                throw ProfileError(.unreadable, "read failed while hashing: \(String(cString: strerror(errno)))", path: path)
            }
            if got == 0 { break }
            XXH3_128bits_update(state, buffer, got)
        }
        return format(XXH3_128bits_digest(state))
    }

    private static func format(_ hash: XXH128_hash_t) -> String {
        prefix + hex64(hash.high64) + hex64(hash.low64)
    }

    private static func hex64(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
