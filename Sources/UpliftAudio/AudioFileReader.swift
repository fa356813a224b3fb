import Foundation
internal import CSndfile

/// Streams a sound file through libsndfile as stereo float frames, a block at a time, so a
/// two-hour file never sits in memory whole. WAV, AIFF, FLAC, OGG/Vorbis and MP3 (libsndfile ≥ 1.1).
///
/// Mono is duplicated to both sides. More than two channels are down-mixed to stereo with the
/// ITU-R BS.775 coefficients (centre and surrounds at −3 dB, LFE dropped) and a warning.
/// Non-finite samples are counted and replaced by zero.
public final class AudioFileReader {
    public let path: String
    public let sampleRate: Double
    /// Channels in the file (the reader always delivers two).
    public let channels: Int
    /// Frames there are to read (libsndfile's count: for a truncated WAV, what is really there).
    public let frameCount: Int
    /// Frames the file's header announces; more than `frameCount` when the file is truncated.
    public let announcedFrameCount: Int
    /// The header promises more audio than the file holds (a partial copy or an aborted export).
    public var isTruncated: Bool { announcedFrameCount > frameCount }
    public let formatName: String
    public private(set) var framesRead = 0
    public private(set) var nonFiniteSamples = 0
    public var durationSeconds: Double { Double(frameCount) / sampleRate }

    private let handle: OpaquePointer
    private let blockFrames: Int
    private let fileBuffer: UnsafeMutablePointer<Float>
    private let downmix: [(left: Float, right: Float)]

    public static let maxBlockFrames = 8192

    public init(path: String, blockFrames: Int = 4096) throws(AudioError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioError(.notFound, "no such file; check the path", path: path)
        }
        guard !isDirectory.boolValue else {
            throw AudioError(.notAFile, "is a directory, not an audio file", path: path)
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size == 0 {
            throw AudioError(.empty, "file is empty (0 bytes); re-export it", path: path)
        }
        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            let reason = String(cString: sf_strerror(nil))
            throw AudioError(.unreadable, "not a readable audio file (\(reason)); supported: WAV, AIFF, FLAC, OGG, MP3", path: path)
        }
        guard info.channels > 0, info.samplerate > 0 else {
            sf_close(handle)
            throw AudioError(.unsupportedFormat, "header declares \(info.channels) channels at \(info.samplerate) Hz", path: path)
        }
        guard info.frames > 0 else {
            sf_close(handle)
            throw AudioError(.empty, "holds no audio frames; re-export it", path: path)
        }
        guard (8000...192_000).contains(Int(info.samplerate)) else {
            sf_close(handle)
            throw AudioError(.unsupportedFormat, "sample rate \(info.samplerate) Hz is outside 8 kHz…192 kHz", path: path)
        }
        self.handle = handle
        self.blockFrames = min(max(blockFrames, 1), Self.maxBlockFrames)
        sampleRate = Double(info.samplerate)
        channels = Int(info.channels)
        frameCount = Int(info.frames)
        announcedFrameCount = max(frameCount, WAVHeader.announcedFrames(path: path) ?? 0)
        formatName = Self.formatName(info.format)
        fileBuffer = .allocate(capacity: self.blockFrames * channels)
        downmix = Self.downmixCoefficients(channels: channels)
        // Float reads of integer files come back in −1…1; clipping stays off so overs are measured.
        sf_command(handle, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
    }

    deinit {
        sf_close(handle)
        fileBuffer.deallocate()
    }

    /// Warnings a report should carry (down-mix, zeroed samples, short file).
    public var warnings: [String] {
        var result: [String] = []
        if channels > 2 { result.append("\(channels) channels down-mixed to stereo (ITU-R BS.775)") }
        if nonFiniteSamples > 0 { result.append("\(nonFiniteSamples) NaN/Inf samples replaced by silence") }
        return result
    }

    /// Reads up to `maxFrames` (≤ the block size) stereo frames, interleaved, into `stereo`.
    /// Returns 0 at the end of the file. Throws if libsndfile reports an error mid-stream.
    public func read(into stereo: UnsafeMutablePointer<Float>, maxFrames: Int) throws(AudioError) -> Int {
        let want = min(maxFrames, blockFrames)
        let got = Int(sf_readf_float(handle, fileBuffer, sf_count_t(want)))
        if got <= 0 {
            let status = sf_error(handle)
            if status != 0 {
                throw AudioError(.unreadable, "read error after \(framesRead) frames: \(String(cString: sf_strerror(handle)))", path: path)
            }
            return 0
        }
        for f in 0..<got {
            let frame = fileBuffer + f * channels
            for c in 0..<channels where !frame[c].isFinite {
                frame[c] = 0
                nonFiniteSamples += 1
            }
            switch channels {
            case 1:
                stereo[2 * f] = frame[0]; stereo[2 * f + 1] = frame[0]
            case 2:
                stereo[2 * f] = frame[0]; stereo[2 * f + 1] = frame[1]
            default:
                var l: Float = 0, r: Float = 0
                for c in 0..<channels {
                    l += downmix[c].left * frame[c]
                    r += downmix[c].right * frame[c]
                }
                stereo[2 * f] = l; stereo[2 * f + 1] = r
            }
        }
        framesRead += got
        return got
    }

    /// Moves the read position (a frame index from the start).
    public func seek(toFrame frame: Int) throws(AudioError) {
        let target = max(0, min(frame, frameCount))
        guard sf_seek(handle, sf_count_t(target), SEEK_SET) >= 0 else {
            throw AudioError(.unreadable, "cannot seek to frame \(target)", path: path)
        }
        framesRead = target
    }

    /// BS.775 down-mix for WAVE channel order L R C LFE Ls Rs [Lb Rb] [more]: front pair at 1,
    /// centre and surrounds at 1/√2, LFE dropped. Channels beyond 8 go to both sides at −6 dB.
    static func downmixCoefficients(channels: Int) -> [(left: Float, right: Float)] {
        let g: Float = 0.70710677
        let layout: [(Float, Float)] = [(1, 0), (0, 1), (g, g), (0, 0), (g, 0), (0, g), (g, 0), (0, g)]
        return (0..<channels).map { c in c < layout.count ? layout[c] : (0.5, 0.5) }
    }

    private static func formatName(_ format: Int32) -> String {
        switch format & Int32(SF_FORMAT_TYPEMASK) {
        case Int32(SF_FORMAT_WAV), Int32(SF_FORMAT_WAVEX), Int32(SF_FORMAT_RF64): "WAV"
        case Int32(SF_FORMAT_AIFF): "AIFF"
        case Int32(SF_FORMAT_FLAC): "FLAC"
        case Int32(SF_FORMAT_OGG): "OGG"
        case Int32(SF_FORMAT_MPEG): "MP3"
        default: "audio"
        }
    }
}
