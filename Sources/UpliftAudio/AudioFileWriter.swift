import Foundation
internal import CSndfile

/// Writes interleaved float audio through libsndfile, atomically: samples go to a temporary file
/// beside the target, which is renamed over it only by `finish()`. A writer dropped without
/// `finish()` (an error, a crash of the caller's logic) removes its temporary file and leaves any
/// previous file at the target untouched.
public final class AudioFileWriter {
    public enum Format: Sendable, Equatable {
        case wavFloat32
        case wavPCM16
        case wavPCM24
        case flac16
        case flac24

        var sndfileFormat: Int32 {
            switch self {
            case .wavFloat32: Int32(SF_FORMAT_WAV) | Int32(SF_FORMAT_FLOAT)
            case .wavPCM16: Int32(SF_FORMAT_WAV) | Int32(SF_FORMAT_PCM_16)
            case .wavPCM24: Int32(SF_FORMAT_WAV) | Int32(SF_FORMAT_PCM_24)
            case .flac16: Int32(SF_FORMAT_FLAC) | Int32(SF_FORMAT_PCM_16)
            case .flac24: Int32(SF_FORMAT_FLAC) | Int32(SF_FORMAT_PCM_24)
            }
        }
    }

    public let path: String
    public let channels: Int
    public let sampleRate: Int
    public private(set) var framesWritten = 0
    private let temporaryPath: String
    private var handle: OpaquePointer?

    public init(path: String, format: Format, sampleRate: Int, channels: Int) throws(AudioError) {
        guard channels > 0, sampleRate > 0 else {
            throw AudioError(.invalidArgument, "cannot write \(channels) channels at \(sampleRate) Hz", path: path)
        }
        self.path = path
        self.channels = channels
        self.sampleRate = sampleRate
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = format.sndfileFormat
        guard sf_format_check(&info) != 0 else {
            throw AudioError(.unsupportedFormat, "libsndfile cannot write \(format) with \(channels) channels at \(sampleRate) Hz", path: path)
        }
        guard let handle = sf_open(temporaryPath, Int32(SFM_WRITE), &info) else {
            throw AudioError(.unreadable, "cannot create file (\(String(cString: sf_strerror(nil)))); check the folder exists and is writable", path: path)
        }
        self.handle = handle
        // Floats outside ±1 are written as they are into float files (no silent clipping), and
        // clipped rather than wrapped around when converted to integer PCM.
        sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
    }

    deinit {
        if let handle {
            sf_close(handle)
            unlink(temporaryPath)
        }
    }

    /// Appends whole frames (`samples.count` must be a multiple of `channels`).
    public func write(_ samples: UnsafeBufferPointer<Float>) throws(AudioError) {
        guard let handle else { throw AudioError(.stream, "writer already finished", path: path) }
        let frames = samples.count / channels
        guard frames > 0 else { return }
        let wrote = Int(sf_writef_float(handle, samples.baseAddress!, sf_count_t(frames)))
        guard wrote == frames else {
            throw AudioError(.stream, "write failed after \(framesWritten) frames: \(String(cString: sf_strerror(handle)))", path: path)
        }
        framesWritten += frames
    }

    public func write(_ samples: [Float]) throws(AudioError) {
        var failure: AudioError?
        samples.withUnsafeBufferPointer { buffer in
            do throws(AudioError) { try write(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Closes the file and renames it over `path`.
    public func finish() throws(AudioError) {
        guard let handle else { return }
        self.handle = nil
        sf_write_sync(handle)
        sf_close(handle)
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw AudioError(.stream, "cannot move the finished file into place (\(reason))", path: path)
        }
    }

    /// Writes a whole interleaved buffer in one call.
    public static func write(_ samples: [Float], channels: Int = 2, sampleRate: Int, format: Format, to path: String) throws(AudioError) {
        let writer = try AudioFileWriter(path: path, format: format, sampleRate: sampleRate, channels: channels)
        try writer.write(samples)
        try writer.finish()
    }
}
