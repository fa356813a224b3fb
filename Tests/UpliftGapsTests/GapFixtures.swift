import Foundation
import UpliftModel
@testable import UpliftProfile

/// Builds profiles in memory from hand-made analyses, through the real assembler.
enum GapFixtures {
    static func profile(_ analyses: [TrackAnalysis], name: String = "favs", clusters: Int? = nil) throws -> Profile {
        let tracks = analyses.map { AnalysedTrack(path: $0.file, contentHash: ContentHash.hex(of: Data($0.file.utf8)), sizeBytes: 1,
                                                  analysis: $0, fromCache: false) }
        var options = ProfileAssembler.Options(name: name, roots: ["/refs"], clusterCount: clusters)
        options.now = Date(timeIntervalSince1970: 0)
        return try ProfileAssembler(options: options).assemble(tracks: tracks, skipped: [], analyzerVersion: 1)
    }

    /// Standard 1/6-octave centres 20 Hz – 20 kHz (1 kHz · 2^(k/6)).
    static let bandsHz: [Double] = (-30...29).map { 1000 * pow(2, Double($0) / 6) }.filter { $0 >= 19 && $0 <= 20_500 }

    /// A track with loudness -14 LUFS (the profile's reference level, so no shift) and a given spectrum.
    static func spectral(_ file: String, levels: [Double], features: [String: Double] = [:]) -> TrackAnalysis {
        var a = TrackAnalysis(file: file, durationS: 60, sampleRate: 44_100, channels: 2)
        a.loudness = .init(integratedLUFS: -14, lraLU: 5, truePeakDBTP: -1, samplePeakDBFS: -1.2, shortTermMaxLUFS: -12,
                           momentaryMaxLUFS: -11, plrDB: 13)
        a.spectrum = .init(bandsHz: bandsHz, levelsDB: levels, balanceDB: [:])
        return a
    }

    /// Deterministic small wobble in -amplitude…amplitude.
    static func wobble(_ i: Int, _ seed: Int, amplitude: Double) -> Double {
        amplitude * sin(Double(i * 7 + seed * 13) * 0.91)
    }
}
