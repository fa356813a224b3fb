/// What the live panes show, published by the analysis thread after each hop (latest wins).
///
/// Immutable and `Sendable`: the UI reads one while the analysis thread builds the next.
/// Sections are `nil` until the extractor behind them has something to say.
public struct AnalysisSnapshot: Sendable, Equatable {
    public enum SourceKind: String, Sendable { case file, device, pipe, none }
    public enum InputState: String, Sendable { case running, paused, stopped, ended, waiting }

    public struct Source: Sendable, Equatable {
        public var kind: SourceKind
        /// File path, device name or `-` for standard input.
        public var name: String
        public var state: InputState
        public var sampleRate: Double
        /// Playback/capture position in seconds (file: position in the file).
        public var positionS: Double
        /// Length of the file in seconds; `nil` for live input.
        public var durationS: Double?
        /// Frames dropped because analysis fell behind (ring overruns), and hops the engine had to wait for.
        public var droppedFrames: Int
        public var underruns: Int
        /// `nil` when audio plays; otherwise why it does not ("no output device", "--no-audio").
        public var audioOutNote: String?
        /// A one-line note for the status line: end of input, no input for a while, a re-read file.
        public var note: String? = nil
        public init(kind: SourceKind, name: String, state: InputState, sampleRate: Double, positionS: Double,
                    durationS: Double?, droppedFrames: Int, underruns: Int, audioOutNote: String?) {
            self.kind = kind; self.name = name; self.state = state; self.sampleRate = sampleRate
            self.positionS = positionS; self.durationS = durationS; self.droppedFrames = droppedFrames
            self.underruns = underruns; self.audioOutNote = audioOutNote
        }
    }

    /// Short-time spectrum: level per band, smoothed, with peak hold.
    public struct LiveSpectrum: Sendable, Equatable {
        /// Centre frequencies (1/6 octave or finer; the UI re-bins to its width).
        public var bandsHz: [Double]
        public var levelsDB: [Double]
        public var peaksDB: [Double]
        public init(bandsHz: [Double], levelsDB: [Double], peaksDB: [Double]) {
            self.bandsHz = bandsHz; self.levelsDB = levelsDB; self.peaksDB = peaksDB
        }
    }

    /// Plain signal level of the last 400 ms (not loudness: no K-weighting, no gating).
    public struct LiveLevel: Sendable, Equatable {
        /// RMS over both channels, dB relative to full scale (a full-scale sine reads −3 dBFS).
        public var rmsDBFS: Double
        /// Largest absolute sample, dBFS.
        public var peakDBFS: Double
        public init(rmsDBFS: Double, peakDBFS: Double) { self.rmsDBFS = rmsDBFS; self.peakDBFS = peakDBFS }
    }

    public struct LiveLoudness: Sendable, Equatable {
        public var momentaryLUFS: Double
        public var shortTermLUFS: Double
        public var integratedLUFS: Double
        public var truePeakDBTP: Double
        public var lraLU: Double
        /// Short-term loudness, one value per 100 ms, oldest first (bounded length).
        public var shortTermHistory: [Double]
        /// Where in the file the integrated reading starts when a seek restarted it; `nil` from the start.
        public var integratedSinceS: Double? = nil
        public init(momentaryLUFS: Double, shortTermLUFS: Double, integratedLUFS: Double, truePeakDBTP: Double,
                    lraLU: Double, shortTermHistory: [Double]) {
            self.momentaryLUFS = momentaryLUFS; self.shortTermLUFS = shortTermLUFS; self.integratedLUFS = integratedLUFS
            self.truePeakDBTP = truePeakDBTP; self.lraLU = lraLU; self.shortTermHistory = shortTermHistory
        }
    }

    public var sequence: Int
    public var source: Source
    public var spectrum: LiveSpectrum?
    public var loudness: LiveLoudness?
    /// Per-bar energy so far (live) or of the whole file (file mode, from its offline analysis).
    public var energy: [TrackAnalysis.EnergyPoint]
    public var sections: [TrackAnalysis.Section]
    public var tempo: TrackAnalysis.Tempo?
    public var key: TrackAnalysis.Key?
    public var trance: TrackAnalysis.Trance?
    /// Level of the last 400 ms (live engine; independent of the loudness meter).
    public var level: LiveLevel? = nil
    /// Share of one core the analysis thread used over the last second, 0…1.
    public var analysisLoad: Double? = nil
    /// Live musical analysis (rolling summary at each bar line); `nil` until the first summary or
    /// when the engine runs without it. Live mode also mirrors its tempo, key, trance score, energy
    /// and sections into the fields above, so every pane reads one place.
    public var music: LiveMusic? = nil

    public init(sequence: Int, source: Source, spectrum: LiveSpectrum? = nil, loudness: LiveLoudness? = nil,
                energy: [TrackAnalysis.EnergyPoint] = [], sections: [TrackAnalysis.Section] = [],
                tempo: TrackAnalysis.Tempo? = nil, key: TrackAnalysis.Key? = nil, trance: TrackAnalysis.Trance? = nil) {
        self.sequence = sequence; self.source = source; self.spectrum = spectrum; self.loudness = loudness
        self.energy = energy; self.sections = sections; self.tempo = tempo; self.key = key; self.trance = trance
    }
}
