import UpliftModel

/// Per section kind, what a track's arrangement measures: the same quantities the profile's
/// section layout summarizes (`ProfileAssembler`), so a mix compares like with like.
public struct SectionMeasurements: Sendable, Equatable {
    public struct Kind: Sendable, Equatable {
        public var count: Int
        /// Mean length of the sections of this kind, bars.
        public var bars: Double
        /// Mean bar RMS, dB, and relative to the loudest bar of the track (≤ 0).
        public var rmsDB: Double?
        public var relativeRMSDB: Double?
        public var centroidHz: Double?
        public var bassRatio: Double?
        /// Mean side/mid energy ratio of the bars (stereo width); nil for analyses without it.
        public var sideMidRatio: Double?
    }

    public var kinds: [TrackAnalysis.SectionKind: Kind]
    /// Mean drop RMS minus mean breakdown RMS, dB.
    public var dropBreakdownContrastDB: Double?

    public init?(_ analysis: TrackAnalysis) {
        guard let sections = analysis.sections, !sections.isEmpty else { return nil }
        let curve = analysis.energy?.curve ?? []
        let loudest = curve.map(\.rmsDB).filter(\.isFinite).max()
        let secondsPerBar: Double = {
            if let bpm = analysis.tempo?.bpm, bpm.isFinite, bpm > 0 { return 240 / bpm }
            return 2
        }()
        func mean(_ v: [Double]) -> Double? {
            let f = v.filter(\.isFinite)
            return f.isEmpty ? nil : f.reduce(0, +) / Double(f.count)
        }
        var kinds: [TrackAnalysis.SectionKind: Kind] = [:]
        var sectionRMS: [TrackAnalysis.SectionKind: [Double]] = [:]
        for kind in TrackAnalysis.SectionKind.allCases {
            let ofKind = sections.filter { $0.kind == kind }
            guard !ofKind.isEmpty else { continue }
            var bars: [Double] = [], rms: [Double] = [], centroid: [Double] = [], bass: [Double] = [], width: [Double] = []
            for section in ofKind {
                bars.append((section.endS - section.startS) / secondsPerBar)
                let points = curve.filter { $0.tS >= section.startS && $0.tS < section.endS }
                if let r = mean(points.map(\.rmsDB)) { rms.append(r) }
                if let c = mean(points.map(\.centroidHz)) { centroid.append(c) }
                if let b = mean(points.map(\.bassRatio)) { bass.append(b) }
                if let w = mean(points.compactMap(\.sideMidRatio)) { width.append(w) }
            }
            sectionRMS[kind] = rms
            let meanRMS = mean(rms)
            kinds[kind] = Kind(count: ofKind.count, bars: mean(bars) ?? 0, rmsDB: meanRMS,
                               relativeRMSDB: meanRMS.flatMap { m in loudest.map { m - $0 } },
                               centroidHz: mean(centroid), bassRatio: mean(bass), sideMidRatio: mean(width))
        }
        self.kinds = kinds
        if let drop = sectionRMS[.drop].flatMap(mean), let breakdown = sectionRMS[.breakdown].flatMap(mean) {
            dropBreakdownContrastDB = drop - breakdown
        } else {
            dropBreakdownContrastDB = nil
        }
    }

    /// Flat names for `GapReport.measured`: `section.breakdown.relative_rms_db`, `arrangement.drop_breakdown_contrast_db`.
    public var flat: [String: Double] {
        var f: [String: Double] = [:]
        for (kind, k) in kinds {
            f["arrangement.\(kind.rawValue).bars"] = k.bars
            if let v = k.relativeRMSDB { f["section.\(kind.rawValue).relative_rms_db"] = v }
            if let v = k.centroidHz { f["section.\(kind.rawValue).centroid_hz"] = v }
            if let v = k.bassRatio { f["section.\(kind.rawValue).bass_ratio"] = v }
            if let v = k.sideMidRatio { f["section.\(kind.rawValue).side_mid_ratio"] = v }
        }
        if let c = dropBreakdownContrastDB { f["arrangement.drop_breakdown_contrast_db"] = c }
        return f
    }
}
