import Foundation
import UpliftModel
import UpliftProfile

/// A profile of twelve references with a gently sloped spectrum, and mixes that depart from it by a
/// known presence bump (2–3.5 kHz): the gap report then proposes a mix-bus EQ cut there.
enum StudioFixtures {
    /// Standard 1/6-octave centres 20 Hz – 20 kHz.
    static let bandsHz: [Double] = (-30...29).map { 1000 * pow(2, Double($0) / 6) }.filter { $0 >= 19 && $0 <= 20_500 }

    static func levels(seed: Int, presenceDB: Double = 0) -> [Double] {
        bandsHz.enumerated().map { i, hz in
            let slope = -4.5 * log2(hz / 1000)
            let wobble = 0.4 * sin(Double(i * 7 + seed * 13) * 0.91)
            let bump = (2000...3600).contains(hz) ? presenceDB : 0
            return -30 + slope + wobble + bump
        }
    }

    static func analysis(_ file: String, seed: Int, presenceDB: Double = 0) -> TrackAnalysis {
        var a = TrackAnalysis(file: file, durationS: 60, sampleRate: 44_100, channels: 2)
        a.loudness = .init(integratedLUFS: -14, lraLU: 5, truePeakDBTP: -1, samplePeakDBFS: -1.2, shortTermMaxLUFS: -12,
                           momentaryMaxLUFS: -11, plrDB: 13)
        a.spectrum = .init(bandsHz: bandsHz, levelsDB: levels(seed: seed, presenceDB: presenceDB), balanceDB: [:])
        return a
    }

    static func profile() throws -> Profile {
        let tracks = (0..<12).map { i in
            let a = analysis("/refs/ref\(i).wav", seed: i)
            return AnalysedTrack(path: a.file, contentHash: ContentHash.hex(of: Data(a.file.utf8)), sizeBytes: 1, analysis: a, fromCache: false)
        }
        var options = ProfileAssembler.Options(name: "studio-test", roots: ["/refs"], clusterCount: 1)
        options.now = Date(timeIntervalSince1970: 0)
        return try ProfileAssembler(options: options).assemble(tracks: tracks, skipped: [], analyzerVersion: 1)
    }

    static func mix(presenceDB: Double) -> TrackAnalysis {
        analysis("/mix/mix.wav", seed: 99, presenceDB: presenceDB)
    }
}
