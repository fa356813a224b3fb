import Foundation

/// Reads what a RIFF/WAVE header announces, to catch truncated files: libsndfile quietly
/// shortens the frame count of a WAV whose data chunk runs past the end of the file, so a
/// half-copied export would otherwise look like a short, healthy one.
enum WAVHeader {
    /// Frames the `data` chunk announces, or nil when the file is not a plain RIFF/WAVE or the
    /// size is a placeholder (0 or 0xFFFFFFFF, left by streaming writers).
    static func announcedFrames(path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 65_536) else { return nil }
        return announcedFrames(head: [UInt8](head))
    }

    /// The same from the first bytes of the file (up to 64 KiB).
    static func announcedFrames(head bytes: [UInt8]) -> Int? {
        guard bytes.count >= 12 else { return nil }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<(at + 4)], as: UTF8.self) }
        guard tag(0) == "RIFF", tag(8) == "WAVE" else { return nil }
        var offset = 12
        var blockAlign = 0
        while offset + 8 <= bytes.count {
            let id = tag(offset), size = Int(u32(offset + 4))
            if id == "fmt ", offset + 8 + 14 <= bytes.count {
                blockAlign = Int(bytes[offset + 8 + 12]) | Int(bytes[offset + 8 + 13]) << 8
            }
            if id == "data" {
                guard blockAlign > 0, size != 0, size != 0xFFFF_FFFF else { return nil }
                return size / blockAlign
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }
}
