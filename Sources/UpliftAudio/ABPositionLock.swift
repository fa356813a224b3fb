import Foundation

/// What an A/B slot's analysis says about its timeline, in plain values (UpliftAudio knows no
/// `TrackAnalysis`; the studio fills this from one).
public struct ABTimeline: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        public var kind: String
        public var startS: Double
        public var endS: Double
        public init(kind: String, startS: Double, endS: Double) { self.kind = kind; self.startS = startS; self.endS = endS }
    }
    public var durationS: Double
    public var sections: [Section]
    public var bpm: Double?
    public var firstBeatS: Double

    public init(durationS: Double, sections: [Section] = [], bpm: Double? = nil, firstBeatS: Double = 0) {
        self.durationS = durationS; self.sections = sections; self.bpm = bpm; self.firstBeatS = firstBeatS
    }

    public var beatS: Double? { bpm.flatMap { $0 > 0 ? 60 / $0 : nil } }

    /// Start of the first section of `kind` after `t` (the `d` key: next drop).
    public func nextSection(_ kind: String, after t: Double) -> Section? {
        sections.first { $0.kind == kind && $0.startS > t + 0.01 }
    }

    public func section(at t: Double) -> (section: Section, ordinal: Int)? {
        guard let index = sections.firstIndex(where: { t >= $0.startS && t < $0.endS }) else { return nil }
        let s = sections[index]
        let ordinal = sections[..<index].filter { $0.kind == s.kind }.count
        return (s, ordinal)
    }
}

/// How a switch chooses where the incoming slot plays from.
public enum ABPositionLock: Int, Sendable, CaseIterable {
    /// The same time in seconds.
    case sameTime
    /// Drop to drop: the same relative place in the same section (the n-th breakdown of one maps to
    /// the n-th of the other, or the nearest one of that kind it has).
    case sectionAligned
    /// The same bar and beat by both beat grids.
    case beatAligned
    /// Each slot keeps its own place.
    case free

    public var label: String {
        switch self {
        case .sameTime: "same time"
        case .sectionAligned: "drop to drop"
        case .beatAligned: "same bar & beat"
        case .free: "free"
        }
    }

    public var next: ABPositionLock { ABPositionLock(rawValue: (rawValue + 1) % 4)! }

    /// Where `to` should play when `from` is at `t` seconds: `nil` for free (keep its own place).
    /// Falls back to the same time where the analysis lacks what the mode needs, and says so.
    public func map(_ t: Double, from: ABTimeline, to: ABTimeline) -> (seconds: Double?, fellBack: Bool) {
        switch self {
        case .free:
            return (nil, false)
        case .sameTime:
            return (clamp(t, to), false)
        case .beatAligned:
            guard let a = from.beatS, let b = to.beatS else { return (clamp(t, to), true) }
            let beats = (t - from.firstBeatS) / a
            return (clamp(to.firstBeatS + beats * b, to), false)
        case .sectionAligned:
            guard let (section, ordinal) = from.section(at: t) else { return (clamp(t, to), true) }
            let same = to.sections.filter { $0.kind == section.kind }
            guard !same.isEmpty else { return (clamp(t, to), true) }
            let target = same[min(ordinal, same.count - 1)]
            let fraction = (t - section.startS) / max(section.endS - section.startS, 1e-9)
            return (clamp(target.startS + fraction * (target.endS - target.startS), to), false)
        }
    }

    private func clamp(_ t: Double, _ timeline: ABTimeline) -> Double { max(0, min(t, timeline.durationS)) }
}
