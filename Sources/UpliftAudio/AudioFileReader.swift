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
    /// libsndfile's frame count as the header has it, unchecked (2⁶³−1 when an OGG stream does
    /// not say). Never used to size anything; `frameCount` is this when plausible, else what decoded.
    public let declaredFrameCount: Int
    /// The header promises more audio than the file holds (a partial copy or an aborted export).
    public var isTruncated: Bool { announcedFrameCount > frameCount }
    /// Reading ended before the announced length (after the last `read`): a truncated file.
    /// MP3 lengths are estimates that count the encoder's delay and padding (up to two MPEG
    /// frames and the decoder delay), so a healthy MP3 decodes a few hundred frames short of it.
    public var endedShort: Bool { framesRead + (formatName == "MP3" ? 2 * 1152 + 576 : 0) < announcedFrameCount }
    public let formatName: String
    public private(set) var framesRead = 0
    public private(set) var nonFiniteSamples = 0
    /// Set when the decoder failed part-way (what came before was delivered).
    public private(set) var decodeStop: String?
    public var durationSeconds: Double { Double(frameCount) / sampleRate }

    private let handle: OpaquePointer
    /// Kept alive for the handle (the memory stream is libsndfile's `user_data`).
    private let source: Source
    private let blockFrames: Int
    private let fileBuffer: UnsafeMutablePointer<Float>
    private let downmix: [(left: Float, right: Float)]
    /// `DecodeLimits.maxDuration` at this file's rate: reading past it is an error.
    private let frameLimit: Int

    public static let maxBlockFrames = 8192

    public convenience init(path: String, blockFrames: Int = 4096) throws(AudioError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioError(.notFound, "no such file; check the path", path: path)
        }
        guard !isDirectory.boolValue else {
            throw AudioError(.notAFile, "is a directory, not an audio file", path: path)
        }
        let bytesOnDisk = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
        try self.init(source: .file(path), name: path, bytes: bytesOnDisk, blockFrames: blockFrames)
    }

    /// Decodes bytes held in memory (libsndfile's virtual I/O), with the same checks as a file;
    /// `name` stands for the path in messages.
    public convenience init(bytes: [UInt8], name: String = "memory", blockFrames: Int = 4096) throws(AudioError) {
        try self.init(source: .memory(SndfileMemoryStream(bytes)), name: name, bytes: bytes.count, blockFrames: blockFrames)
    }

    private enum Source {
        case file(String)
        case memory(SndfileMemoryStream)

        func open(_ info: inout SF_INFO) -> OpaquePointer? {
            info = SF_INFO()
            switch self {
            case .file(let path): return sf_open(path, Int32(SFM_READ), &info)
            case .memory(let stream): return stream.open(&info)
            }
        }

        func announcedWAVFrames() -> Int? {
            switch self {
            case .file(let path): WAVHeader.announcedFrames(path: path)
            case .memory(let stream): WAVHeader.announcedFrames(head: Array(stream.bytes.prefix(65_536)))
            }
        }
    }

    private init(source: Source, name path: String, bytes bytesOnDisk: Int, blockFrames: Int) throws(AudioError) {
        self.path = path
        self.source = source
        if bytesOnDisk == 0 {
            throw AudioError(.empty, "file is empty (0 bytes); re-export it", path: path)
        }
        var info = SF_INFO()
        guard var handle = source.open(&info) else {
            let reason = String(cString: sf_strerror(nil))
            throw AudioError(.unreadable, "not a readable audio file (\(reason)); supported: WAV, AIFF, FLAC, OGG, MP3", path: path)
        }
        do throws(AudioError) {
            try DecodeLimits.check(channels: Int(info.channels), sampleRate: Int(info.samplerate), path: path)
        } catch {
            sf_close(handle)
            throw error
        }
        self.blockFrames = min(max(blockFrames, 1), Self.maxBlockFrames)
        self.sampleRate = Double(info.samplerate)
        channels = Int(info.channels)
        fileBuffer = .allocate(capacity: self.blockFrames * Int(info.channels))
        let declared = Int(info.frames)
        declaredFrameCount = declared
        let frameLimit = DecodeLimits.maxFrames(sampleRate: Int(info.samplerate))
        self.frameLimit = frameLimit
        let blockFrames = self.blockFrames, buffer = fileBuffer, sampleRate = Double(info.samplerate)
        if DecodeLimits.isPlausible(declaredFrames: declared, bytesOnDisk: bytesOnDisk, sampleRate: Int(info.samplerate)) {
            frameCount = declared
        } else {
            // The header's length cannot be true for this many bytes (a corrupt or unfinished
            // stream: libsndfile says 2⁶³−1 for an OGG without its last page). Count what decodes;
            // that costs time in proportion to the bytes on disk, never to what the header claims.
            let counted: Int
            do throws(AudioError) {
                counted = try Self.countDecodableFrames(handle, buffer: buffer, blockFrames: blockFrames,
                                                        limit: frameLimit, sampleRate: sampleRate, path: path)
            } catch {
                sf_close(handle); buffer.deallocate()
                throw error
            }
            sf_close(handle)
            guard let reopened = source.open(&info) else {
                buffer.deallocate()
                throw AudioError(.unreadable, "cannot re-open after counting its frames (\(String(cString: sf_strerror(nil))))", path: path)
            }
            guard Int(info.channels) == channels, Double(info.samplerate) == sampleRate else {
                sf_close(reopened); buffer.deallocate()
                throw AudioError(.unreadable, "changed while being read; try again once it is written", path: path)
            }
            handle = reopened
            frameCount = counted
        }
        guard frameCount > 0 else {
            sf_close(handle); buffer.deallocate()
            throw AudioError(.empty, "holds no audio frames that decode; the file is truncated or corrupt, re-export it", path: path)
        }
        self.handle = handle
        announcedFrameCount = max(frameCount, source.announcedWAVFrames() ?? 0)
        formatName = Self.formatName(info.format)
        downmix = Self.downmixCoefficients(channels: channels)
        // Float reads of integer files come back in −1…1; clipping stays off so overs are measured.
        sf_command(handle, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
    }

    /// Decodes the whole stream once to learn its real length (only when the header's is implausible).
    private static func countDecodableFrames(_ handle: OpaquePointer, buffer: UnsafeMutablePointer<Float>, blockFrames: Int,
                                             limit: Int, sampleRate: Double, path: String) throws(AudioError) -> Int {
        var total = 0
        while true {
            let got = Int(sf_readf_float(handle, buffer, sf_count_t(blockFrames)))
            if got <= 0 { break }
            total += got
            if total > limit {
                throw AudioError(.unsupportedFormat, DecodeLimits.tooLongMessage(sampleRate: sampleRate), path: path)
            }
        }
        return total
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
        if let decodeStop { result.append(decodeStop) }
        if declaredFrameCount != frameCount, !isTruncated {
            result.append(DecodeLimits.disagreementWarning(declared: declaredFrameCount, decoded: frameCount, sampleRate: sampleRate))
        }
        return result
    }

    /// Reads up to `maxFrames` (≤ the block size) stereo frames, interleaved, into `stereo`.
    /// Returns 0 at the end of the file, or where decoding failed part-way (`decodeStop` says why).
    /// Throws if nothing at all decodes, or past `DecodeLimits.maxDurationS`.
    public func read(into stereo: UnsafeMutablePointer<Float>, maxFrames: Int) throws(AudioError) -> Int {
        let want = min(maxFrames, blockFrames)
        guard framesRead <= frameLimit else {
            throw AudioError(.unsupportedFormat, DecodeLimits.tooLongMessage(sampleRate: sampleRate), path: path)
        }
        let got = Int(sf_readf_float(handle, fileBuffer, sf_count_t(want)))
        if got <= 0 {
            let status = sf_error(handle)
            if status != 0 {
                // A damaged or cut tail (a FLAC losing sync): what decoded before it stands, as
                // with a truncated WAV, and the reason is kept for the warnings.
                if framesRead > 0 {
                    decodeStop = String(format: "decoding stopped after %.2f s: %@", Double(framesRead) / sampleRate,
                                        String(cString: sf_strerror(handle)))
                    return 0
                }
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
