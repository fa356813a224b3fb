import Foundation
import UpliftAbleton
import UpliftAnalysis
import UpliftAudio
import UpliftGaps
import UpliftProfile
import UpliftStudio
import UpliftTUI

/// One entry point per parser Uplift owns or calls, each taking raw bytes: what `make fuzz`
/// (libFuzzer) and the hostile-input tests feed. An entry returns what became of the input; it
/// never traps on any input. A crash or a stall here is a defect, by definition.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Any audio libsndfile opens (WAV, AIFF, FLAC, OGG/Vorbis, MP3), decoded from memory (libsndfile's virtual I/O).
    case audio
    /// The same, decoded and then analysed in full (`uplift analyze`): slower, so fuzzed less, but
    /// where the analyzers meet what the decoder delivers.
    case analysis
    /// A `.uplift-profile` (JSON).
    case profile
    /// The analysis cache (an SQLite file): opened, set aside if damaged, queried.
    case cache
    /// A theme file (TOML).
    case theme
    /// `config.toml` (the gap mapping's roles and mix bus).
    case config
    /// A fix journal (one JSON object a line), replayed into its history.
    case journal
    /// A datagram from AbletonOSC.
    case osc
    /// Raw PCM from a pipe (`uplift live --input -`); the first two bytes pick format and channels.
    case pcm

    public enum Outcome: Equatable, Sendable {
        /// The input was read; the text says what came out (for tests that check a result).
        case accepted(String)
        /// The input was refused with this message.
        case refused(String)

        public var isRefused: Bool { if case .refused = self { true } else { false } }
    }

    public func run(_ bytes: [UInt8]) -> Outcome {
        switch self {
        case .audio: Self.audio(bytes)
        case .analysis: Self.analysis(bytes)
        case .profile: Self.profile(bytes)
        case .cache: Self.cache(bytes)
        case .theme: Self.theme(bytes)
        case .config: Self.config(bytes)
        case .journal: Self.journal(bytes)
        case .osc: Self.osc(bytes)
        case .pcm: Self.pcm(bytes)
        }
    }

    /// The seed corpus a target mutates (the analysis shares the audio seeds).
    public var corpusName: String { self == .analysis ? FuzzTarget.audio.rawValue : rawValue }

    static func audio(_ bytes: [UInt8]) -> Outcome {
        do {
            let reader = try AudioFileReader(bytes: bytes, name: "fuzz-input", blockFrames: 4096)
            let block = UnsafeMutablePointer<Float>.allocate(capacity: 2 * 4096)
            defer { block.deallocate() }
            while try reader.read(into: block, maxFrames: 4096) > 0 {}
            return .accepted(String(format: "%@ %d of %d frames at %.0f Hz, %d ch; %d warnings", reader.formatName, reader.framesRead,
                                    reader.frameCount, reader.sampleRate, reader.channels, reader.warnings.count))
        } catch {
            return .refused(error.message)
        }
    }

    static func analysis(_ bytes: [UInt8]) -> Outcome {
        do {
            let reader = try AudioFileReader(bytes: bytes, name: "fuzz-input", blockFrames: 4096)
            let analysis = try TrackAnalyzer().analyze(reader: reader)
            return .accepted(String(format: "%@ %.3f s at %.0f Hz, %d ch; %d warnings", reader.formatName, analysis.durationS,
                                    analysis.sampleRate, analysis.channels, analysis.warnings.count))
        } catch let error as AudioError {
            return .refused(error.message)
        } catch {
            return .refused("\(error)")
        }
    }

    static func profile(_ bytes: [UInt8]) -> Outcome {
        do {
            let profile = try ProfileFile.decode(Data(bytes), path: "fuzz-input")
            return .accepted("\(profile.trackCount) tracks, \(profile.clusters.count) clusters")
        } catch {
            return .refused("\(error)")
        }
    }

    /// One scratch folder per process: the cache entry writes the bytes there as the database file.
    private static let scratch: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-fuzz-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func cache(_ bytes: [UInt8]) -> Outcome {
        let path = scratch + "/analysis-cache.sqlite"
        let fm = FileManager.default
        defer {
            for name in (try? fm.contentsOfDirectory(atPath: scratch)) ?? [] { try? fm.removeItem(atPath: scratch + "/" + name) }
        }
        guard fm.createFile(atPath: path, contents: Data(bytes)) else { return .refused("scratch file not written") }
        do {
            let cache = try AnalysisCache(path: path)
            _ = cache.analysis(contentHash: "0", analyzerVersion: TrackAnalyzer.version)
            _ = cache.rememberedHash(path: "/x.wav", stamp: .init(size: 1, mtimeNS: 1, inode: 1, device: 1))
            return .accepted("\(cache.count()) entries\(cache.notice.map { "; " + $0 } ?? "")")
        } catch {
            return .refused("\(error)")
        }
    }

    static func theme(_ bytes: [UInt8]) -> Outcome {
        do {
            let theme = try ThemeParser.parse(String(decoding: bytes, as: UTF8.self), source: "fuzz-input")
            return .accepted(theme.name)
        } catch {
            return .refused(error.description)
        }
    }

    static func config(_ bytes: [UInt8]) -> Outcome {
        do {
            let config = try UpliftConfig.parse(String(decoding: bytes, as: UTF8.self), path: "fuzz-input")
            return .accepted("\(config.roles.count) roles")
        } catch {
            return .refused("\(error)")
        }
    }

    static func journal(_ bytes: [UInt8]) -> Outcome {
        let contents = Journal.decode(Data(bytes), name: "fuzz-input")
        let history = JournalHistory(entries: contents.entries)
        let text = "\(contents.entries.count) entries, \(history.groups.count) groups, \(contents.warnings.count) warnings"
        return contents.entries.isEmpty && !contents.warnings.isEmpty ? .refused(text) : .accepted(text)
    }

    static func osc(_ bytes: [UInt8]) -> Outcome {
        do {
            let messages = try OSCReplyDecoder.decode(bytes)
            return .accepted(messages.map(\.description).joined(separator: "; "))
        } catch {
            return .refused(error.description)
        }
    }

    static func pcm(_ bytes: [UInt8]) -> Outcome {
        guard bytes.count >= 2 else { return .refused("too short to pick a format") }
        let format: PCMSampleFormat = bytes[0] & 1 == 0 ? .f32le : .s16le
        let channels = Int(bytes[1] % 8) + 1
        let payload = Array(bytes.dropFirst(2))
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return .refused("no pipe") }
        let writeEnd = ends[1]
        // A thread writes (a pipe holds only 64 KiB) while the source reads.
        let writer = Thread {
            payload.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(writeEnd, raw.baseAddress! + offset, raw.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(writeEnd)
        }
        let source: PCMPipeSource
        do {
            source = try PCMPipeSource(fileDescriptor: ends[0], name: "fuzz-input", format: format, sampleRate: 44_100,
                                       channels: channels, whenBehind: .wait, ringCapacityFrames: 1 << 12)
        } catch {
            close(ends[0]); close(ends[1])
            return .refused(error.message)
        }
        writer.start()
        do { try source.start() } catch { return .refused(error.message) }
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * 256)
        defer { scratch.deallocate() }
        var frames = 0
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let n = min(256, source.ring.availableFrames)
            if n > 0, source.ring.read(into: scratch, frameCount: n) {
                frames += n
                continue
            }
            let state = source.status().state
            if (state == .ended || state == .stopped) && source.ring.availableFrames == 0 { break }
            usleep(200)
        }
        source.stop()
        return .accepted("\(frames) frames")
    }
}
