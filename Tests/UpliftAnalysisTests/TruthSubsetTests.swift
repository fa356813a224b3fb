import Foundation
import Testing
import UpliftAnalysis
import UpliftModel

/// The small committed part of the truth corpus (`Tools/truth/subset`, made by `truth.py subset`):
/// mono 22.05 kHz clips of real renders (an LMMS project of ours with an lb302 line, a Hydrogen demo
/// song by other people) with their truth and ffmpeg's ebur128 reading of each clip. A few seconds;
/// the whole corpus is `make truth`.
@Suite("Truth subset: real renders with known tempo, key, 303 and ffmpeg loudness")
struct TruthSubsetTests {
    struct Clip: Decodable {
        let file: String
        let tempo: Double
        let key: String?
        let acid: Bool?
        let ffmpegIntegratedLUFS: Double
        enum CodingKeys: String, CodingKey {
            case file, tempo, key, acid, ffmpegIntegratedLUFS = "ffmpeg_integrated_lufs"
        }
    }
    struct Subset: Decodable { let clips: [Clip] }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tools/truth/subset").standardized

    static func clips() throws -> [Clip] {
        let data = try Data(contentsOf: directory.appendingPathComponent("subset.json"))
        return try JSONDecoder().decode(Subset.self, from: data).clips
    }

    @Test("tempo within 4 %, mono loudness within 0.15 LU of ffmpeg (BS.1770 single channel), the 303 found, drums alone not acid")
    func subsetScores() throws {
        let clips = try Self.clips()
        #expect(clips.count >= 3)
        for clip in clips {
            let path = Self.directory.appendingPathComponent(clip.file).path
            let a = try TrackAnalyzer().analyze(path: path)
            #expect(a.channels == 1)
            let tempo = try #require(a.tempo, "\(clip.file): no tempo")
            #expect(abs(tempo.bpm - clip.tempo) <= 0.04 * clip.tempo, "\(clip.file): \(tempo.bpm) BPM, truth \(clip.tempo)")
            // ffmpeg prints one decimal: 0.05 of rounding on top of the 0.1 LU asked.
            let lufs = try #require(a.loudness?.integratedLUFS)
            #expect(abs(lufs - clip.ffmpegIntegratedLUFS) <= 0.15, "\(clip.file): \(lufs) LUFS, ffmpeg \(clip.ffmpegIntegratedLUFS)")
            let acid = try #require(a.acid)
            if clip.acid == true { #expect(acid.score >= 0.2 && acid.confidence > 0, "\(clip.file): acid \(acid)") }
            if clip.acid == nil { #expect(acid.score == 0, "\(clip.file): drums only, acid \(acid.score)") }
            if let key = clip.key {
                // Exact: the relative key shares every note, and the sections' first chords decide it.
                let got = try #require(a.key, "\(clip.file): no key")
                #expect("\(got.tonic) \(got.mode)" == key, "\(clip.file): \(got.tonic) \(got.mode), truth \(key)")
            }
        }
    }
}
