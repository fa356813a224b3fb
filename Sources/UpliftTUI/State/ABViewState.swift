import UpliftModel

/// One A/B slot as the view shows it (slot 0 is the mix).
public struct ABSlotView: Sendable, Equatable {
    public var name: String
    public var isMix: Bool
    /// The loudness-matching gain applied now (0 with matching off).
    public var gainDB: Double
    /// Loudness as played (integrated, or the aligned section's with `M`), and its true peak.
    public var loudnessLUFS: Double?
    public var truePeakDBTP: Double?
    /// Why the slot is skipped ("cannot be decoded", "silent", "no sections: same-time only") or
    /// what it is waiting for ("analysing…"); `nil` when ready.
    public var notice: String?
    /// `false` for a slot that cannot play (undecodable, silent).
    public var playable: Bool
    public var analysis: TrackAnalysis?
    /// Its playhead: where it plays (sounding) or would play if switched to now.
    public var positionS: Double
    public var durationS: Double

    public init(name: String, isMix: Bool, gainDB: Double = 0, loudnessLUFS: Double? = nil, truePeakDBTP: Double? = nil,
                notice: String? = nil, playable: Bool = true, analysis: TrackAnalysis? = nil, positionS: Double = 0, durationS: Double = 0) {
        self.name = name; self.isMix = isMix; self.gainDB = gainDB; self.loudnessLUFS = loudnessLUFS
        self.truePeakDBTP = truePeakDBTP; self.notice = notice; self.playable = playable; self.analysis = analysis
        self.positionS = positionS; self.durationS = durationS
    }
}

/// What the A/B session publishes to the view (`Action.abUpdated`), about ten times a second.
public struct ABViewState: Sendable, Equatable {
    public var slots: [ABSlotView]
    public var sounding: Int
    /// The reference compared with the mix in the panes: the sounding one, else the last one heard.
    public var reference: Int?
    public var lockLabel: String
    public var matching: Bool
    public var sectionMatch: Bool
    /// "all lowered 2.1 dB so X matches without passing −1 dBTP", or why matching is off.
    public var matchNote: String?
    public var listenLabel: String
    public var blind: Bool
    public var blindCorrect: Int
    public var blindTotal: Int
    /// The last guess's verdict ("right: it was the mix").
    public var blindVerdict: String?
    public var playing: Bool
    public var crossfadeMS: Double
    public var audioNote: String?
    /// Loading progress ("loading 3 of 8 …"), `nil` when all are in.
    public var progress: String?
    /// What is compared, above the slots ("audition: EQ Eight bell 250 Hz −3 dB · gap: too much low-mid").
    public var heading: String?
    /// A blind audition: the slots are the hidden X and Y, and the producer says which they prefer
    /// (`Enter`, `=` for none) instead of guessing what plays.
    public var blindPrefers = false
    /// The blind audition's running tally ("with the fix 2 · as it is 1 · no preference 0").
    public var preferenceTally: String?

    public init(slots: [ABSlotView], sounding: Int = 0, reference: Int? = nil, lockLabel: String = "same time",
                matching: Bool = true, sectionMatch: Bool = false, matchNote: String? = nil, listenLabel: String = "stereo",
                blind: Bool = false, blindCorrect: Int = 0, blindTotal: Int = 0, blindVerdict: String? = nil,
                playing: Bool = true, crossfadeMS: Double = 20, audioNote: String? = nil, progress: String? = nil,
                heading: String? = nil, blindPrefers: Bool = false, preferenceTally: String? = nil) {
        self.slots = slots; self.sounding = sounding; self.reference = reference; self.lockLabel = lockLabel
        self.matching = matching; self.sectionMatch = sectionMatch; self.matchNote = matchNote; self.listenLabel = listenLabel
        self.blind = blind; self.blindCorrect = blindCorrect; self.blindTotal = blindTotal; self.blindVerdict = blindVerdict
        self.playing = playing; self.crossfadeMS = crossfadeMS; self.audioNote = audioNote; self.progress = progress
        self.heading = heading; self.blindPrefers = blindPrefers; self.preferenceTally = preferenceTally
    }

    /// The key that selects slot `index`: `0`–`9`, beyond that `n`/`N`.
    public static func key(of index: Int) -> String { index <= 9 ? String(index) : "n" }
}

/// What the A/B view asks the session for (`Effect.ab`).
public enum ABRequest: Sendable, Equatable {
    case select(Int)
    /// In blind mode a slot key is a guess.
    case guess(Int)
    case step(Int)
    case toggleLast
    case nextDrop
    case cycleLock
    case toggleMatching
    case toggleSectionMatch
    case toggleBlind
    case cycleListen
    case cycleBand
    /// Blind audition: the producer prefers what plays now.
    case prefer
    case noPreference
}
