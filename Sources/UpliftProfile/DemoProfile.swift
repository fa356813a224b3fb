import Foundation
import UpliftModel

/// The small demo profile in `Samples/demo.uplift-profile`: a dozen short references in three
/// sub-styles, rendered by a caller-supplied renderer (the CLI passes `UpliftSynth`'s), analysed
/// and assembled like any profile. Sources are recorded relative to the sample folder's name
/// so the file does not carry the build machine's paths.
public enum DemoProfile {
    public struct Reference: Sendable, Equatable {
        public var name: String
        public var style: String
        public var bpm: Double
        /// 0…1 strength of a 303 line.
        public var acid: Double
        /// Supersaw stereo spread 0…1 and voices.
        public var supersawSpread: Double
        public var supersawVoices: Int
        /// Sidechain duck depth, dB.
        public var pumpingDB: Double
        public var seconds: Double
        public var seed: UInt64
    }

    /// 4 acid (138), 4 progressive (132), 4 uplifting (140) references, 24 s each.
    public static let references: [Reference] = (0..<12).map { i in
        let style = ["acid", "progressive", "uplifting"][i / 4]
        let j = Double(i % 4)
        switch style {
        case "acid":
            return Reference(name: "acid-\(i % 4 + 1)", style: style, bpm: 138 + j * 0.25, acid: 0.8, supersawSpread: 0.3,
                             supersawVoices: 3, pumpingDB: 5, seconds: 24, seed: UInt64(100 + i))
        case "progressive":
            return Reference(name: "progressive-\(i % 4 + 1)", style: style, bpm: 132 - j * 0.25, acid: 0, supersawSpread: 0.4,
                             supersawVoices: 5, pumpingDB: 3, seconds: 24, seed: UInt64(100 + i))
        default:
            return Reference(name: "uplifting-\(i % 4 + 1)", style: style, bpm: 140 + j * 0.25, acid: 0, supersawSpread: 0.9,
                             supersawVoices: 9, pumpingDB: 9, seconds: 24, seed: UInt64(100 + i))
        }
    }

    /// Renders each reference to `<folder>/<name>.wav` with `render`, builds the profile and writes
    /// it atomically to `output`.
    public static func build(output: String, folder: String, clusterCount: Int? = 3,
                             analyzer: any TrackAnalyzing = StandardTrackAnalyzer(),
                             render: (Reference, _ path: String) throws -> Void) throws -> Profile {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for reference in references { try render(reference, "\(folder)/\(reference.name).wav") }
        let builder = ProfileBuilder(batch: BatchAnalyzer(analyzer: analyzer, cache: nil))
        var profile = try builder.build(roots: [folder], name: "demo", clusterCount: clusterCount).profile
        // Machine-independent paths: "demo-references/acid-1.wav".
        let base = (AudioFileScanner.absolute(folder) as NSString).deletingLastPathComponent + "/"
        func relative(_ p: String) -> String { p.hasPrefix(base) ? String(p.dropFirst(base.count)) : p }
        profile.roots = profile.roots.map(relative)
        for i in profile.sources.indices { profile.sources[i].path = relative(profile.sources[i].path) }
        for i in profile.clusters.indices { profile.clusters[i].members = profile.clusters[i].members.map(relative) }
        for i in profile.skipped.indices { profile.skipped[i].path = relative(profile.skipped[i].path) }
        try ProfileFile.save(profile, to: output)
        return profile
    }

    /// Stand-in renderer until the trance synthesizer lands: kick at the reference's tempo, a
    /// chord and noise (`WAVFile.writeTestTrack`). Carries tempo only, none of the style.
    public static func standInRender(_ reference: Reference, path: String) throws {
        try WAVFile.writeTestTrack(path: path, seconds: reference.seconds, bpm: reference.bpm, variant: reference.seed)
    }
}
