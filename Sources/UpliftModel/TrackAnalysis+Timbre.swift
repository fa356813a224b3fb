/// The timbre section of `uplift.analysis/1`: what the similarity descriptor is built from and no
/// other section carries. MFCC statistics (40 log-mel bands → 20 coefficients), a pitch-class
/// profile, and the 1/6-octave spectrum per section kind with its spread over time.
extension TrackAnalysis {
    public struct Timbre: Codable, Sendable, Equatable {
        /// Mean of the 20 MFCCs c0…c19 over the non-silent hops (c0 carries the level; c1… the shape).
        public var mfccMean: [Double]
        /// Covariance of c0…c19, the upper triangle row by row (210 values: (0,0), (0,1), … (19,19)).
        public var mfccCovariance: [Double]
        /// Energy per pitch class C, C#, … B from 200 Hz–5 kHz, summing to 1 (all zero for silence).
        public var chroma: [Double]
        /// The 1/6-octave spectrum (the bands of `spectrum.bands_hz`) of the whole track, the drops and the
        /// breakdowns, each with its spread over time; a kind the track does not have is absent.
        public var sections: [SectionSpectrum]

        public init(mfccMean: [Double], mfccCovariance: [Double], chroma: [Double], sections: [SectionSpectrum]) {
            self.mfccMean = mfccMean; self.mfccCovariance = mfccCovariance; self.chroma = chroma; self.sections = sections
        }

        enum CodingKeys: String, CodingKey {
            case mfccMean = "mfcc_mean", mfccCovariance = "mfcc_covariance", chroma, sections
        }

        public func section(_ kind: SectionSpectrum.Kind) -> SectionSpectrum? { sections.first { $0.kind == kind } }
    }

    public struct SectionSpectrum: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable { case whole, drop, breakdown }
        public var kind: Kind
        /// Mean power per band in dB over the section (floored at −120 dB).
        public var levelsDB: [Double]
        /// Standard deviation over ~1 s blocks of each band's level in dB (how much it moves).
        public var spreadDB: [Double]
        /// Seconds of audio the figures come from.
        public var seconds: Double

        public init(kind: Kind, levelsDB: [Double], spreadDB: [Double], seconds: Double) {
            self.kind = kind; self.levelsDB = levelsDB; self.spreadDB = spreadDB; self.seconds = seconds
        }

        enum CodingKeys: String, CodingKey { case kind, levelsDB = "levels_db", spreadDB = "spread_db", seconds }
    }
}
