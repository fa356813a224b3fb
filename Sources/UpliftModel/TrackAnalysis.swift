/// Everything `uplift analyze` says of one track: schema `uplift.analysis/2`.
/// 2: `acid.confidence`; acid parts and `supersaw.detune_cents` are `null` when not measured; tempo
/// `alternative_bpm`; mono loudness is BS.1770 single-channel; `silence` sections.
///
/// The JSON layout is the contract (`loudness.integrated_lufs` is `{"loudness": {"integrated_lufs": …}}`);
/// later work adds sections, never renames them. Sections an analysis could not measure are `nil`
/// and encode as absent keys. Non-finite numbers (silence gives -inf LUFS) encode as the strings
/// `"-inf"`, `"inf"`, `"nan"`: use `UpliftJSON` to encode and decode.
public struct TrackAnalysis: Codable, Sendable, Equatable {
    public static let schema = "uplift.analysis/2"

    public var schema: String = TrackAnalysis.schema
    public var file: String
    public var durationS: Double
    public var sampleRate: Double
    public var channels: Int
    /// Problems met while reading that did not stop the analysis (down-mix, NaN samples zeroed, …).
    public var warnings: [String] = []

    public var loudness: Loudness?
    public var spectrum: Spectrum?
    public var stereo: Stereo?

    public var tempo: Tempo?
    public var rhythm: Rhythm?
    public var pumping: Pumping?
    public var acid: Acid?
    public var supersaw: Supersaw?
    public var brightness: Brightness?
    public var key: Key?
    public var energy: Energy?
    public var sections: [Section]?
    /// Digital silence (below −80 dBFS for at least a second) before, after or inside the music:
    /// left out of the sections and the energy curve, reported here instead. `nil` before schema 2.
    public var silence: [SilenceSpan]?
    public var trance: Trance?
    /// MFCC statistics, pitch classes, per-section spectra: the similarity descriptor's material.
    public var timbre: Timbre?

    public init(file: String, durationS: Double, sampleRate: Double, channels: Int) {
        self.file = file
        self.durationS = durationS
        self.sampleRate = sampleRate
        self.channels = channels
    }

    enum CodingKeys: String, CodingKey {
        case schema, file, warnings, loudness, spectrum, stereo, tempo, rhythm, pumping, acid, supersaw
        case brightness, key, energy, sections, silence, trance, timbre
        case durationS = "duration_s", sampleRate = "sample_rate", channels
    }
}

extension TrackAnalysis {
    /// ITU-R BS.1770-4 / EBU R128 figures. `-infinity` means silence (below the absolute gate).
    public struct Loudness: Codable, Sendable, Equatable {
        public var integratedLUFS: Double
        public var lraLU: Double
        public var truePeakDBTP: Double
        public var samplePeakDBFS: Double
        public var shortTermMaxLUFS: Double
        public var momentaryMaxLUFS: Double
        /// Peak-to-loudness ratio: true peak minus integrated loudness.
        public var plrDB: Double

        public init(integratedLUFS: Double, lraLU: Double, truePeakDBTP: Double, samplePeakDBFS: Double,
                    shortTermMaxLUFS: Double, momentaryMaxLUFS: Double, plrDB: Double) {
            self.integratedLUFS = integratedLUFS; self.lraLU = lraLU; self.truePeakDBTP = truePeakDBTP
            self.samplePeakDBFS = samplePeakDBFS; self.shortTermMaxLUFS = shortTermMaxLUFS
            self.momentaryMaxLUFS = momentaryMaxLUFS; self.plrDB = plrDB
        }

        enum CodingKeys: String, CodingKey {
            case integratedLUFS = "integrated_lufs", lraLU = "lra_lu", truePeakDBTP = "true_peak_dbtp"
            case samplePeakDBFS = "sample_peak_dbfs", shortTermMaxLUFS = "short_term_max_lufs"
            case momentaryMaxLUFS = "momentary_max_lufs", plrDB = "plr_db"
        }
    }

    /// The five broad bands of the spectral balance, in the order they are reported.
    public enum Band: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable {
        case sub, bass, lowMid = "low_mid", highMid = "high_mid", air

        /// Edges in Hz: sub 20–60, bass 60–250, low-mid 250–2k, high-mid 2k–6k, air 6k–20k.
        public var rangeHz: ClosedRange<Double> {
            switch self {
            case .sub: 20...60
            case .bass: 60...250
            case .lowMid: 250...2000
            case .highMid: 2000...6000
            case .air: 6000...20000
            }
        }
    }

    /// Long-term average spectrum in 1/6-octave bands (20 Hz–20 kHz) and the broad balance.
    public struct Spectrum: Codable, Sendable, Equatable {
        /// Centre frequency of each 1/6-octave band.
        public var bandsHz: [Double]
        /// Mean power of each band in dB (full scale sine = 0 dB at its band).
        public var levelsDB: [Double]
        /// Energy of each broad band relative to the total, in dB (always ≤ 0).
        public var balanceDB: [Band: Double]

        public init(bandsHz: [Double], levelsDB: [Double], balanceDB: [Band: Double]) {
            self.bandsHz = bandsHz; self.levelsDB = levelsDB; self.balanceDB = balanceDB
        }

        enum CodingKeys: String, CodingKey {
            case bandsHz = "bands_hz", levelsDB = "levels_db", balanceDB = "balance_db"
        }
    }

    /// Stereo image: L/R correlation and side-to-mid energy, overall and per broad band.
    public struct Stereo: Codable, Sendable, Equatable {
        public var correlation: Double
        /// Side energy over mid energy, linear (0 = mono, 1 = as much side as mid).
        public var sideMidRatio: Double
        public var bands: [Band: BandStereo]

        public struct BandStereo: Codable, Sendable, Equatable {
            public var correlation: Double
            public var sideMidRatio: Double
            public init(correlation: Double, sideMidRatio: Double) {
                self.correlation = correlation; self.sideMidRatio = sideMidRatio
            }
            enum CodingKeys: String, CodingKey { case correlation, sideMidRatio = "side_mid_ratio" }
        }

        public init(correlation: Double, sideMidRatio: Double, bands: [Band: BandStereo]) {
            self.correlation = correlation; self.sideMidRatio = sideMidRatio; self.bands = bands
        }

        enum CodingKeys: String, CodingKey { case correlation, sideMidRatio = "side_mid_ratio", bands }
    }
}
