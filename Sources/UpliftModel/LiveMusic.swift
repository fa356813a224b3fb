/// What the live engine hears as music (not only levels): the rolling summary of the offline
/// extractors over the last bars, recomputed at each bar line off the real-time path, plus what
/// it has accumulated since listening began (the energy curve and the sections).
public struct LiveMusic: Sendable, Equatable {
    /// Where the grid comes from: detected in the audio, or Live's own transport (bridge).
    public enum GridSource: String, Sendable { case detected, ableton }

    /// The beat grid at the time of the summary, extrapolated forward by readers.
    public struct Grid: Sendable, Equatable {
        public var bpm: Double
        /// Stream time (s) of the latest downbeat the summary saw.
        public var downbeatS: Double
        public var beatsPerBar: Int
        public var source: GridSource
        public init(bpm: Double, downbeatS: Double, beatsPerBar: Int = 4, source: GridSource = .detected) {
            self.bpm = bpm; self.downbeatS = downbeatS; self.beatsPerBar = beatsPerBar; self.source = source
        }
        public var barS: Double { 60 / bpm * Double(beatsPerBar) }
    }

    /// The streaming tempo (hysteresis against octave jumps, following steps); `nil` before the
    /// first estimate. A low confidence means "unsure": no grid is published then.
    public var tempo: TrackAnalysis.Tempo?
    public var grid: Grid?
    /// Per-bar energy since listening began (2-second blocks while no grid is known), oldest first.
    public var energy: [TrackAnalysis.EnergyPoint]
    /// Sections since listening began; those from `provisionalFrom` on may still be relabelled.
    public var sections: [TrackAnalysis.Section]
    public var provisionalFrom: Int
    /// The rolling window's own analysis (key, pumping, supersaw, acid, brightness, rhythm,
    /// spectrum, stereo, trance score with components), by the same extractors as offline.
    public var window: TrackAnalysis
    /// Stream times the window covers.
    public var windowStartS: Double
    public var windowEndS: Double
    /// Bars the window covers (nil without a grid).
    public var windowBars: Int?
    /// How many summaries have run, and how long the last one took (ms of CPU on its thread).
    public var summaries: Int
    public var summaryMS: Double

    public init(tempo: TrackAnalysis.Tempo?, grid: Grid?, energy: [TrackAnalysis.EnergyPoint],
                sections: [TrackAnalysis.Section], provisionalFrom: Int, window: TrackAnalysis,
                windowStartS: Double, windowEndS: Double, windowBars: Int?, summaries: Int, summaryMS: Double) {
        self.tempo = tempo; self.grid = grid; self.energy = energy; self.sections = sections
        self.provisionalFrom = provisionalFrom; self.window = window; self.windowStartS = windowStartS
        self.windowEndS = windowEndS; self.windowBars = windowBars; self.summaries = summaries; self.summaryMS = summaryMS
    }

    /// "live, last 32 bars" / "live, last 58 s": what the rolling figures cover.
    public var windowLabel: String {
        if let bars = windowBars { return "live, last \(bars) bars" }
        return "live, last \(Int((windowEndS - windowStartS).rounded())) s"
    }

    /// 1-based bar number (from the start of listening) at which the section holding the last
    /// bar began, and that section.
    public var currentSection: (section: TrackAnalysis.Section, bar: Int, provisional: Bool)? {
        guard let last = sections.last else { return nil }
        let bar = (energy.firstIndex { $0.tS >= last.startS - 0.05 } ?? energy.count) + 1
        return (last, bar, sections.count - 1 >= provisionalFrom)
    }
}
