import Foundation
import UpliftAudio
import UpliftDSP
import UpliftModel

/// Offline analysis of one file: decoder → ring buffer → `AnalysisEngine` → extractors, as fast
/// as the CPU allows, with the same extractors live analysis uses.
public struct TrackAnalyzer: Sendable {
    /// Bumped whenever a change alters any figure, so cached analyses are recomputed.
    /// 2: energy-curve points carry their side/mid width (per-section width).
    /// 3: supersaw detune is absent (not 0) when no detuned tonal cluster was found.
    /// 4: acid counts only where a 16th-note line plays, read above the sustained floor.
    /// 5: a mono file is metered as one channel (BS.1770), 3.01 LU below its dual-mono reading.
    /// 6: the timbre section (MFCCs, chroma, per-section spectra) for the similarity descriptor.
    /// 7: a faster tempo reading without the same kick on each of its beats is octave-ambiguous
    ///    (other octave in `tempo.alternative_bpm`, confidence ≤ 0.45).
    /// 8: acid accent read against notes of the same pitch at the same 16th of the beat; the key weighs
    ///    the first tonal bar of each section beside the whole track (relative major/minor).
    public static let version = 8

    /// BS.1770 meters a mono file as one channel; the engine sees it duplicated onto two, which
    /// reads 10·log10(2) = 3.01 LU louder. That dual-mono reading is what two speakers play.
    public static let dualMonoOffsetLU = 10 * log10(2.0)

    /// How the analysis's own warning about a short file begins.
    static let truncationWarningPrefix = "file is truncated"

    /// The extractors of one pass: the standard set, or a subset (the benchmark's floor and mix cases).
    let makeExtractors: @Sendable (STFTFormat, Int) throws -> [any HopExtractor]
    /// false (default): a mono file's loudness is BS.1770 single-channel, as ffmpeg and pyloudnorm
    /// meter it; true: as played on two speakers (dual mono, 3.01 LU louder).
    public let dualMono: Bool

    public init() { self.init(dualMono: false) }

    public init(dualMono: Bool) {
        makeExtractors = { try StandardExtractors.make(format: $0, expectedFrames: $1) }
        self.dualMono = dualMono
    }

    public init(extractors: @escaping @Sendable (STFTFormat, Int) throws -> [any HopExtractor]) {
        self.init(dualMono: false, extractors: extractors)
    }

    public init(dualMono: Bool, extractors: @escaping @Sendable (STFTFormat, Int) throws -> [any HopExtractor]) {
        makeExtractors = extractors
        self.dualMono = dualMono
    }

    public func analyze(path: String) throws(AnalysisError) -> TrackAnalysis {
        let reader: AudioFileReader
        do { reader = try AudioFileReader(path: path) } catch { throw AnalysisError(error) }
        return try analyze(reader: reader)
    }

    public func analyze(reader: AudioFileReader) throws(AnalysisError) -> TrackAnalysis {
        let format: STFTFormat
        let engine: AnalysisEngine
        do {
            format = try STFTFormat(sampleRate: reader.sampleRate)
            let ring = try SPSCRingBuffer(capacityFrames: 16_384)
            let extractors = try makeExtractors(format, reader.frameCount)
            engine = try AnalysisEngine(format: format, ring: ring, extractors: extractors)
        } catch let error as DSPError {
            throw AnalysisError(path: reader.path, message: error.message)
        } catch let error as AudioError {
            throw AnalysisError(error)
        } catch {
            throw AnalysisError(path: reader.path, message: "\(error)")
        }
        let blockFrames = 4096
        let block = UnsafeMutablePointer<Float>.allocate(capacity: blockFrames * 2)
        defer { block.deallocate() }
        while true {
            let got: Int
            do { got = try reader.read(into: block, maxFrames: blockFrames) } catch { throw AnalysisError(error) }
            if got == 0 { break }
            engine.ring.write(block, frameCount: got)
            engine.processAvailableHops()
        }
        engine.finish()
        if reader.framesRead == 0 {
            throw AnalysisError(path: reader.path, message: "no audio could be decoded; the file is truncated or corrupt, re-export it")
        }
        var analysis = TrackAnalysis(file: reader.path, durationS: Double(reader.framesRead) / reader.sampleRate,
                                     sampleRate: reader.sampleRate, channels: reader.channels)
        analysis.warnings = reader.warnings
        if reader.endedShort {
            analysis.warnings.append("\(Self.truncationWarningPrefix): header announces \(reader.announcedFrameCount) frames, only \(reader.framesRead) could be read")
        }
        engine.summarize(into: &analysis)
        if reader.channels == 1, !dualMono, var loudness = analysis.loudness {
            Self.meterAsSingleChannel(&loudness)
            analysis.loudness = loudness
        }
        return analysis
    }
}

extension TrackAnalyzer {
    /// The engine meters every file as stereo; a mono file arrives duplicated (L = R), so every
    /// loudness figure is exactly `dualMonoOffsetLU` above the single-channel one. Peaks and the
    /// loudness range do not change; the peak-to-loudness ratio grows by the same 3.01 dB.
    static func meterAsSingleChannel(_ loudness: inout TrackAnalysis.Loudness) {
        loudness.integratedLUFS -= dualMonoOffsetLU
        loudness.shortTermMaxLUFS -= dualMonoOffsetLU
        loudness.momentaryMaxLUFS -= dualMonoOffsetLU
        loudness.plrDB += dualMonoOffsetLU
    }
}

/// An analysis that could not be made: the file and the cause, in one line.
public struct AnalysisError: Error, CustomStringConvertible, Sendable {
    public let path: String?
    public let message: String
    public let audio: AudioError?

    public init(path: String?, message: String) {
        self.path = path; self.message = message; self.audio = nil
    }
    public init(_ error: AudioError) {
        path = error.path; message = error.message; audio = error
    }
    public var description: String { path.map { "\($0): \(message)" } ?? message }
}
