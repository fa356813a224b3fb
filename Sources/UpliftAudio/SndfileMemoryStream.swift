import Foundation
internal import CSndfile

/// Bytes in memory, read by libsndfile through its virtual I/O: the same decoders as a file on
/// disk, for fuzzing and for tests that mutate audio without touching the disk.
final class SndfileMemoryStream {
    let bytes: [UInt8]
    private(set) var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func rewind() { position = 0 }

    /// Opens a libsndfile handle on the bytes (from the start). The stream must outlive the handle.
    func open(_ info: inout SF_INFO) -> OpaquePointer? {
        rewind()
        var io = SF_VIRTUAL_IO(
            get_filelen: { user in SndfileMemoryStream.from(user).bytesCount },
            seek: { offset, whence, user in SndfileMemoryStream.from(user).seek(offset, whence) },
            read: { pointer, count, user in SndfileMemoryStream.from(user).read(into: pointer, count) },
            write: { _, _, _ in 0 },
            tell: { user in sf_count_t(SndfileMemoryStream.from(user).position) })
        return sf_open_virtual(&io, Int32(SFM_READ), &info, Unmanaged.passUnretained(self).toOpaque())
    }

    private static func from(_ user: UnsafeMutableRawPointer?) -> SndfileMemoryStream {
        Unmanaged<SndfileMemoryStream>.fromOpaque(user!).takeUnretainedValue()
    }

    private var bytesCount: sf_count_t { sf_count_t(bytes.count) }

    private func seek(_ offset: sf_count_t, _ whence: Int32) -> sf_count_t {
        let base: Int
        switch whence {
        case SEEK_SET: base = 0
        case SEEK_CUR: base = position
        case SEEK_END: base = bytes.count
        default: return -1
        }
        let (target, overflow) = base.addingReportingOverflow(Int(offset))
        guard !overflow, target >= 0 else { return -1 }
        position = target  // past the end is allowed (reads there return 0), as with a file
        return sf_count_t(position)
    }

    private func read(into pointer: UnsafeMutableRawPointer?, _ count: sf_count_t) -> sf_count_t {
        guard let pointer, count > 0, position < bytes.count else { return 0 }
        let n = min(Int(count), bytes.count - position)
        bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return sf_count_t(n)
    }
}
