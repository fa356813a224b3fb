import Foundation
import UpliftAudio
import UpliftProfile
import UpliftSynth

/// The bundled demo's audio, all from `UpliftSynth`: the references behind `Samples/demo.uplift-profile`
/// and the arrangement `uplift` opens with no arguments.
public enum DemoMaterial {
    /// One demo reference: a full five-section arrangement (8 bars each) in the reference's sub-style.
    public static func render(_ reference: DemoProfile.Reference, path: String) throws {
        var drop = TrancePattern.drop
        drop.acid = reference.acid > 0
        let arrangement = TranceRecipe.standardArrangement(barsEach: 8).map { section in
            section.kind == .drop ? TranceSection(kind: .drop, bars: section.bars, pattern: drop) : section
        }
        let recipe = TranceRecipe(
            seed: reference.seed, bpm: reference.bpm,
            key: MusicalKey(tonic: Int(reference.seed % 12), mode: reference.seed % 3 == 0 ? .major : .minor),
            sections: arrangement,
            sidechain: SidechainSettings(depthDB: reference.pumpingDB),
            supersaw: SupersawSettings(voices: reference.supersawVoices, stereoSpreadPercent: reference.supersawSpread * 100))
        try write(recipe.render(sampleRate: 44_100), to: path, format: .wavPCM16)
    }

    /// The demo mix in the cache folder (or, when that cannot be written, the temporary folder),
    /// rendered on first use (about 70 s of audio: too large to ship as FLAC under 1 MiB, and a few
    /// seconds to render).
    public static func demoMixPath() throws -> String {
        try inDemoFolder("demo-trance-138bpm-v1.flac") { path in
            if !FileManager.default.fileExists(atPath: path) { try renderDemoMix(to: path) }
        }
    }

    /// The demo profile (`Samples/demo.uplift-profile`, embedded in the binary), written beside the
    /// demo mix so the gap session loads it like any profile file.
    public static func demoProfilePath() throws -> String {
        try inDemoFolder("demo.uplift-profile") { path in
            let text = DemoProfileEmbedded.fileText
            if (try? String(contentsOfFile: path, encoding: .utf8)) != text {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
    }

    /// The first `count` demo references as WAV files in the demo folder (rendered on first use):
    /// what `uplift ab` with no files compares the demo mix with.
    public static func demoReferencePaths(count: Int = 3) throws -> [String] {
        try DemoProfile.references.prefix(count).map { reference in
            try inDemoFolder("demo-reference-\(reference.seed).wav") { path in
                if !FileManager.default.fileExists(atPath: path) { try render(reference, path: path) }
            }
        }
    }

    /// Where a profile's reference is on this machine: the path itself when it exists; for the demo
    /// profile's machine-independent `demo-references/NAME.wav`, that reference rendered into the demo
    /// folder (on first use); nil otherwise.
    public static func locateReference(_ path: String) -> String? {
        if FileManager.default.fileExists(atPath: path) { return path }
        guard path.hasPrefix("demo-references/") else { return nil }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard let reference = DemoProfile.references.first(where: { $0.name == name }) else { return nil }
        return try? inDemoFolder("demo-reference-\(reference.seed).wav") { file in
            if !FileManager.default.fileExists(atPath: file) { try render(reference, path: file) }
        }
    }

    /// `make` the file in the cache's demo folder, else in a temporary one; the path that worked.
    private static func inDemoFolder(_ name: String, make: (String) throws -> Void) throws -> String {
        var firstError: (any Error)?
        for folder in [AnalysisCache.defaultDirectory() + "/demo", NSTemporaryDirectory() + "uplift-demo"] {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let path = folder + "/" + name
                try make(path)
                return path
            } catch {
                firstError = firstError ?? error
            }
        }
        throw firstError!
    }

    /// The demo mix: a 138 BPM A-minor arrangement with 8-bar sections, as FLAC.
    public static func renderDemoMix(to path: String) throws {
        let recipe = TranceRecipe(seed: 7, bpm: 138, sections: TranceRecipe.standardArrangement(barsEach: 8))
        try write(recipe.render(sampleRate: 44_100), to: path, format: .flac16)
    }

    private static func write(_ track: RenderedTrack, to path: String, format: AudioFileWriter.Format) throws {
        try AudioFileWriter.write(track.interleaved, channels: 2, sampleRate: Int(track.sampleRate), format: format, to: path)
    }
}
