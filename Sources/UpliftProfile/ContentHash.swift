import Crypto
import Foundation

/// The SHA-256 of a file's bytes: the analysis cache's key, so a renamed or moved track is found
/// again and an edited one is not. swift-crypto's (BoringSSL, SHA-NI where the CPU has it): the
/// hash is a visible share of a cold profile build.
public enum ContentHash {
    public static func hex(of data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Streams the file in 1 MiB reads (memory stays flat for any track length).
    public static func hexOfFile(atPath path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ProfileError(.unreadable, "cannot open for hashing: \(String(cString: strerror(errno)))", path: path) }
        defer { close(fd) }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        while true {
            let got = read(fd, buffer, chunk)
            if got < 0 {
                if errno == EINTR { continue }
                throw ProfileError(.unreadable, "read failed while hashing: \(String(cString: strerror(errno)))", path: path)
            }
            if got == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: got))
        }
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
