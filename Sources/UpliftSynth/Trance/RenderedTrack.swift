/// Rendered audio plus the truth it was built from.
public struct RenderedTrack: Sendable {
    public let sampleRate: Double
    /// Interleaved stereo: L0 R0 L1 R1 …
    public let interleaved: [Float]
    /// Nominal tempo (the recipe's starting tempo); nil for beatless material.
    public let bpm: Double?
    /// Time of every beat in seconds, in order (follows drift and tempo changes).
    public let beatTimesS: [Double]
    /// Beats per bar (4 everywhere here); bar n starts at `beatTimesS[4 n]`.
    public let beatsPerBar: Int
    /// The arrangement, bar-exact (empty for contrast material).
    public let sections: [RenderedSection]
    public let key: MusicalKey?
    /// Sidechain depth actually applied while the kick plays (0 when there is no sidechain).
    public let sidechainDepthDB: Double

    public var frameCount: Int { interleaved.count / 2 }
    public var durationS: Double { Double(frameCount) / sampleRate }

    public init(sampleRate: Double, interleaved: [Float], bpm: Double?, beatTimesS: [Double], beatsPerBar: Int = 4,
                sections: [RenderedSection], key: MusicalKey?, sidechainDepthDB: Double) {
        self.sampleRate = sampleRate; self.interleaved = interleaved; self.bpm = bpm; self.beatTimesS = beatTimesS
        self.beatsPerBar = beatsPerBar; self.sections = sections; self.key = key; self.sidechainDepthDB = sidechainDepthDB
    }
}

public struct RenderedSection: Sendable, Equatable {
    public let kind: TranceSectionKind
    public let startBar: Int
    public let endBar: Int
    public let startS: Double
    public let endS: Double
    public init(kind: TranceSectionKind, startBar: Int, endBar: Int, startS: Double, endS: Double) {
        self.kind = kind; self.startBar = startBar; self.endBar = endBar; self.startS = startS; self.endS = endS
    }
}
