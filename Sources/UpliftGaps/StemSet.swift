import Foundation
import Synchronization
import UpliftModel
import UpliftProfile

/// Stems exported from Live (`uplift gaps --stems DIR`): one file per track, named like the track.
/// Each stem is analysed like a mix; its role (kick, bass, lead, pad, …) comes from the same
/// `RoleTable` that maps fixes onto tracks, so a stem `Bass.wav` is the bass track's.
public struct StemSet: Sendable {
    public struct Stem: Sendable {
        /// The track the stem is named after (file name without extension and Live's number prefix).
        public var track: String
        public var file: String
        /// The role the roles table gives this track, if any.
        public var role: String?
        public var analysis: TrackAnalysis

        public init(track: String, file: String, role: String? = nil, analysis: TrackAnalysis) {
            self.track = track; self.file = file; self.role = role; self.analysis = analysis
        }

        /// Mid and side energy of the whole stem (linear, the spectrum's power convention: the sum
        /// of the 1/6-octave band powers is mean |M|² + |S|²).
        var midSide: (mid: Double, side: Double)? {
            guard let spectrum = analysis.spectrum, let ratio = analysis.stereo?.sideMidRatio, ratio.isFinite else { return nil }
            let total = spectrum.levelsDB.reduce(0) { $0 + pow(10, $1 / 10) }
            return (total / (1 + ratio), total * ratio / (1 + ratio))
        }
    }

    public var stems: [Stem]

    /// Roles are assigned as for a Live set whose tracks are the stems; explicit `[roles]` win.
    public init(stems: [Stem], roles: RoleTable = RoleTable()) {
        let set = LiveSetDescription(tracks: stems.enumerated().map { .init(index: $0.offset, name: $0.element.track, devices: []) })
        let assigned = roles.assignments(in: set)
        let roleOfTrack = Dictionary(assigned.map { ($0.value.lowercased(), $0.key) }, uniquingKeysWith: { a, _ in a })
        self.stems = stems.map { stem in
            var s = stem
            s.role = roleOfTrack[stem.track.lowercased()]
            return s
        }
    }

    public func stem(forRole role: String) -> Stem? { stems.first { $0.role == role.lowercased() } }

    /// Track name from a stem file name: `Bass.wav` → `Bass`; Live's export prefixes
    /// (`3-Bass.wav`, `03 Bass.wav`) and a set name before the track in `My Song Bass` are not
    /// guessed away except the leading number, which no track name needs.
    public static func trackName(fromFile path: String) -> String {
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var rest = Substring(base)
        let digits = rest.prefix { $0.isNumber }
        if !digits.isEmpty, digits.count < rest.count {
            let after = rest.dropFirst(digits.count)
            if let sep = after.first, sep == "-" || sep == " " || sep == "_" || sep == "." {
                rest = after.dropFirst().drop { $0 == " " }
            }
        }
        return rest.isEmpty ? base : String(rest)
    }

    /// The audio files directly in `directory`, sorted. A missing or empty folder throws (said before
    /// anything is analysed, so `uplift watch --stems` can refuse to start on a typo).
    public static func audioFiles(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw GapsError(.badArgument, "--stems \(directory): no such folder; export the stems from Live (one file per track) into a folder and name it")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let files = names.filter { !$0.hasPrefix(".") && AudioFileScanner.audioExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted().map { (directory as NSString).appendingPathComponent($0) }
        guard !files.isEmpty else {
            throw GapsError(.badArgument, "--stems \(directory): no audio files (WAV, AIFF, FLAC, OGG, MP3) in the folder; export the stems from Live into it")
        }
        return files
    }

    /// Every audio file directly in `directory`, analysed. A missing or empty folder throws; a stem
    /// that cannot be decoded becomes a warning and is left out (its gaps fall back to the mix).
    public static func load(directory: String, roles: RoleTable, analyzer: any TrackAnalyzing = StandardTrackAnalyzer())
        throws -> (StemSet, warnings: [String]) {
        let files = try audioFiles(in: directory)
        // Stems are independent: analyse them on every core, keep the folder's order.
        let results = Mutex<[Int: Result<TrackAnalysis, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let result = Result { try analyzer.analyze(path: files[i]) }
            results.withLock { $0[i] = result }
        }
        var stems: [Stem] = [], warnings: [String] = []
        let all = results.withLock { $0 }
        for (i, file) in files.enumerated() {
            switch all[i]! {
            case .success(let analysis): stems.append(Stem(track: trackName(fromFile: file), file: file, analysis: analysis))
            case .failure(let error):
                warnings.append("stem \((file as NSString).lastPathComponent) could not be decoded (\(error)): its gaps are measured on the mix")
            }
        }
        return (StemSet(stems: stems, roles: roles), warnings)
    }
}
