import Foundation
import UpliftModel

/// Compares one analysed mix with a profile (or one of its clusters) and ranks the gaps, each
/// with device-agnostic fixes. Pure: same mix, profile and options, same report.
public struct GapAnalyzer: Sendable {
    public struct Options: Sendable {
        /// Cluster id or name (`--cluster`); `nil` picks the nearest automatically.
        public var cluster: String?
        /// Compare against the whole profile even when it has clusters.
        public var wholeProfile = false
        /// Fraction of each gap a fix closes (`--amount`, default 0.7).
        public var amount = 0.7
        /// Spectrum departures smaller than this (dB from the median) are never gaps.
        public var minimumSpectrumDepartureDB = 1.0
        /// Fewest members a cluster needs to be compared against.
        public var minimumClusterSize = 3
        /// Keep gaps below what a listener hears (`--all`); they are marked `audible: false` and ranked last.
        public var includeInaudible = false
        /// Live input: compare the level of whole confirmed drops (mean bar RMS) with the references' drops — the
        /// window has no integrated loudness of a whole track, but a drop compares like with like.
        public var compareDropLevel = false
        public init(cluster: String? = nil, amount: Double = 0.7) { self.cluster = cluster; self.amount = amount }
    }

    /// Fixability: a parameter moves it (1), a musical decision or automation by hand (0.6), advice (0.25).
    public static let fixabilityParameter = 1.0
    public static let fixabilityDecision = 0.6
    public static let fixabilityAdvice = 0.25
    /// Severity is capped so one wild feature cannot hide every other.
    public static let severityCap = 10.0

    public let options: Options
    public init(options: Options = Options()) { self.options = options }

    var sizer: FixSizer { FixSizer(amount: options.amount) }

    // MARK: - Cluster choice

    /// The cluster to compare against: named, or the nearest by standardized distance; `nil` for the
    /// whole profile (no clusters, `wholeProfile`, or the nearest is too small to trust).
    public func chooseCluster(for features: [String: Double], in profile: Profile) throws -> (Profile.Cluster, GapReport.ClusterChoice)? {
        if let wanted = options.cluster {
            let lower = wanted.lowercased()
            let match = profile.clusters.first { String($0.id) == wanted }
                ?? profile.clusters.first { $0.name.lowercased() == lower }
                ?? { let p = profile.clusters.filter { $0.name.lowercased().hasPrefix(lower) }; return p.count == 1 ? p[0] : nil }()
            guard let cluster = match else {
                let list = profile.clusters.map { "\($0.id) (\($0.name), \($0.size) tracks)" }.joined(separator: ", ")
                throw GapsError(.unknownCluster, profile.clusters.isEmpty
                    ? "profile \(profile.name) has no clusters; drop --cluster"
                    : "no cluster \"\(wanted)\" in profile \(profile.name); choose one of: \(list)")
            }
            return (cluster, .init(id: cluster.id, name: cluster.name, how: "named", distance: distance(features, cluster, profile), size: cluster.size))
        }
        guard !options.wholeProfile, let clustering = profile.clustering,
              let index = clustering.nearestCluster(to: features, in: profile.clusters) else { return nil }
        let cluster = profile.clusters[index]
        guard cluster.size >= options.minimumClusterSize else { return nil }
        return (cluster, .init(id: cluster.id, name: cluster.name, how: "nearest", distance: distance(features, cluster, profile), size: cluster.size))
    }

    func distance(_ features: [String: Double], _ cluster: Profile.Cluster, _ profile: Profile) -> Double? {
        guard let clustering = profile.clustering else { return nil }
        let z = clustering.standardize(features)
        guard z.count == cluster.centroid.count else { return nil }
        return zip(z, cluster.centroid).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    // MARK: - The report

    /// `stems`: the tracks' stems (`--stems`); element gaps are then measured on them (`StemAttribution`).
    public func analyze(mix: TrackAnalysis, profile: Profile, rejected: Set<String> = [], stems: StemSet? = nil) throws -> GapReport {
        let features = mix.finiteScalarFeatures
        var warnings: [String] = []
        let choice = try chooseCluster(for: features, in: profile)
        if options.cluster == nil, !options.wholeProfile, choice == nil, !profile.clusters.isEmpty {
            warnings.append("nearest cluster has fewer than \(options.minimumClusterSize) tracks: compared with the whole profile")
        }
        let stats = choice?.0.features ?? profile.features
        let memberPaths = choice.map { Set($0.0.members) }
        let sources = profile.sources.filter { memberPaths == nil || memberPaths!.contains($0.path) }

        var gaps: [Gap] = []
        var measured = features
        if let c = mix.pumping?.class, let rank = TrackAnalysis.PumpingClass.allCasesInOrder.firstIndex(of: c) {
            measured[GapProgress.pumpingClassKey] = Double(rank)
        }
        var compared = 0

        // Spectrum first: balance gaps it already explains are left out.
        var spectrumGaps: [Gap] = []
        if let curves = profile.spectrum, let spectrum = mix.spectrum {
            let (found, normalized) = spectrumGapsFor(spectrum: spectrum, loudness: mix.loudness?.integratedLUFS, curves: curves,
                                                      profile: profile)
            spectrumGaps = found
            for (hz, level) in normalized { measured[Self.spectrumKey(hz)] = level }
            compared += 1
        } else if mix.spectrum != nil {
            warnings.append("profile has no spectrum curves: spectrum not compared")
        }
        gaps += spectrumGaps

        var scalarsCompared = 0, scalarsFar = 0
        var uniform: [String] = []
        let truePeak = mix.loudness?.truePeakDBTP
        for name in features.keys.sorted() {
            guard let entry = FeatureCatalog.entry(name), let s = stats[name], s.n >= 3, let value = features[name] else { continue }
            compared += 1
            if name == "tempo.bpm", let confidence = features["tempo.confidence"], confidence < 0.3 {
                warnings.append("tempo confidence \(String(format: "%.2f", confidence)): tempo not compared")
                continue
            }
            if entry.remedy == .truePeak {
                // A safety rule, not a comparison: only above −1 dBTP, whatever the references do.
                if let gap = truePeakGap(truePeak: value, stats: s, profile: profile) { gaps.append(gap) }
                continue
            }
            let refs = sources.compactMap { $0.features[name] }
            let floor = Audibility.spreadFloor(feature: name, repeatability: entry.spreadFloor, median: s.median)
            if RobustPosition.spread(of: s, floor: 0) < Audibility.jndInUnits(feature: name, median: s.median) { uniform.append(entry.label) }
            let position = RobustPosition(value: value, stats: s, references: refs.count >= 3 ? refs : nil, spreadFloor: floor)
            scalarsCompared += 1
            guard !position.inside else { continue }
            if position.severity >= Self.farSeverity { scalarsFar += 1 }
            if name.hasPrefix("spectrum.balance_db."), let band = TrackAnalysis.Band(rawValue: String(name.split(separator: ".").last!)),
               spectrumGaps.contains(where: { overlaps($0, band, high: value > s.median) }) {
                continue
            }
            if let gap = featureGap(name: name, entry: entry, stats: s, position: position, profile: profile, features: features, mix: mix,
                                    truePeak: truePeak) {
                gaps.append(gap)
            }
        }
        if let bpm = features["tempo.bpm"], let s = stats["tempo.bpm"], s.median > 0,
           abs(bpm / s.median - 2) < 0.06 || abs(bpm / s.median - 0.5) < 0.03 {
            warnings.append("tempo reads \(fmt(bpm)) BPM, about \(bpm > s.median ? "double" : "half") the references' \(fmt(s.median)): probably a detection octave error; tempo not compared (check the set's tempo)")
        }
        if let warning = Self.clippingReferencesWarning(sources) { warnings.append(warning) }
        if let warning = Self.uniformProfileWarning(uniform: uniform, size: sources.count) { warnings.append(warning) }

        if let warning = Self.farFromProfileWarning(far: scalarsFar, of: scalarsCompared, against: choice?.1.name) {
            warnings.append(warning)
        }

        if let layout = profile.sectionLayout, let sections = SectionMeasurements(mix) {
            for (k, v) in sections.flat { measured[k] = v }
            // Live input: the drop's level (an absolute level, so only where it is compared).
            if options.compareDropLevel, let level = sections.kinds[.drop]?.rmsDB { measured["section.drop.rms_db"] = level }
            gaps += sectionGaps(layout: layout, sections: sections, profile: profile, mix: mix)
            if layout.kinds.values.allSatisfy({ $0.sideMidRatio == nil }), sections.kinds.values.contains(where: { $0.sideMidRatio != nil }) {
                warnings.append("profile \(profile.name) has no per-section width (built by analyzer v\(profile.analyzerVersion)): rebuild it to compare drops and breakdowns on width")
            }
            compared += 1
        }

        if let stems, !stems.stems.isEmpty {
            gaps = attribute(gaps, mix: mix, stems: stems, profile: profile)
            for stem in stems.stems where abs(stem.analysis.durationS - mix.durationS) > 5 {
                warnings.append("stem \"\(stem.track)\" lasts \(Int(stem.analysis.durationS.rounded())) s, the mix \(Int(mix.durationS.rounded())) s: export stems and mix over the same range")
            }
        }

        guard compared > 0 else {
            throw GapsError(.noComparableFeatures, "the mix and the profile share no measured feature; re-analyse both with this Uplift version")
        }
        for i in gaps.indices where rejected.contains(gaps[i].id) { gaps[i].rejected = true }
        let judgement = GapJudgement(mixTruePeakDBTP: truePeak)
        gaps = gaps.map(judgement.judge)
        if let layout = profile.sectionLayout { gaps = attachSymptoms(gaps, mix: mix, layout: layout, profile: profile, judgement: judgement) }
        gaps = Self.attachTonalSymptoms(Self.attachWidthSymptoms(gaps))
        if !options.includeInaudible { gaps.removeAll { $0.audible == false } }
        gaps = GapJudgement.rank(gaps)
        return GapReport(mix: mix.file, profile: profile.name, cluster: choice?.1, amount: sizer.amount, gaps: gaps,
                         measured: measured, warnings: warnings)
    }

    /// A gap this many spreads beyond p10/p90 is far. When over half of a mix's measures are far
    /// (a single degradation moves a handful), the comparison itself is in doubt: another style,
    /// the wrong cluster, or a sketch far from finished. The producer should hear that first.
    static let farSeverity = 2.0
    static let farFromProfileShare = 0.5

    /// Said once: features the references agree on more closely than a listener can hear, and profiles too small to judge.
    static func uniformProfileWarning(uniform: [String], size: Int) -> String? {
        var parts: [String] = []
        if size > 0, size < 5 {
            parts.append("only \(size) reference\(size == 1 ? "" : "s") to compare with: p10–p90 are rough, add references to judge finer")
        }
        if !uniform.isEmpty {
            let list = uniform.prefix(4).joined(separator: ", ") + (uniform.count > 4 ? " and \(uniform.count - 4) more" : "")
            parts.append("the references are near-identical on \(uniform.count) measure\(uniform.count == 1 ? "" : "s") (\(list)): their spread is below what a listener hears, so those are judged against the listener's threshold instead")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    static func farFromProfileWarning(far: Int, of compared: Int, against cluster: String?) -> String? {
        guard compared >= 8, Double(far) >= farFromProfileShare * Double(compared) else { return nil }
        let against = cluster.map { "cluster \"\($0)\"" } ?? "the profile"
        return "\(far) of \(compared) measures lie far (2+ spreads) outside \(against)'s p10–p90: this mix may be another style "
            + "than these references, or the cluster is wrong (try --cluster or --whole-profile). Fix the top gaps first and re-export; many of the rest move with them"
    }

    public static func spectrumKey(_ hz: Double) -> String { "spectrum.normalized_db.\(String(format: "%.1f", hz))" }

    func overlaps(_ gap: Gap, _ band: TrackAnalysis.Band, high: Bool) -> Bool {
        guard let b = gap.band else { return false }
        return (gap.direction == .high) == high && b.lowHz <= band.rangeHz.upperBound && b.highHz >= band.rangeHz.lowerBound
    }

    // MARK: - Scalar features

    func featureGap(name: String, entry: FeatureCatalog.Entry, stats s: Profile.FeatureStats, position: RobustPosition,
                    profile: Profile, features: [String: Double], mix: TrackAnalysis, truePeak: Double?) -> Gap? {
        let value = position.value
        let direction: Gap.Direction = value > s.median ? .high : .low
        let gapID = StableID.make([profile.name, name, ""])
        var fixes: [Fix] = []
        var fixability = Self.fixabilityAdvice
        var adviceOnly = true
        var how = "advice only"
        func fix(_ action: FixAction, _ scope: FixScope, _ effect: String, _ expected: Double?, _ confidence: Double, advice: Bool) -> Fix {
            Fix(id: StableID.make([profile.name, name, "", action.stableKey]), gapID: gapID, action: action, scope: scope,
                expectedEffect: effect, expectedValue: expected, confidence: confidence, adviceOnly: advice)
        }
        func take(_ p: Proposal) {
            for (action, scope, effect, expected, confidence, advice, tp) in p.fixes {
                var f = fix(action, scope, effect, expected, confidence, advice: advice)
                f.expectedTruePeakDBTP = tp
                fixes.append(f)
            }
            fixability = p.fixability; how = p.how; adviceOnly = p.adviceOnly
        }
        switch entry.remedy {
        case .loudness:
            take(loudnessProposal(value: value, median: s.median, truePeak: truePeak))
        case .truePeak:
            return nil
        case .dynamics:
            take(dynamicsProposal(value: value, median: s.median, p10: s.p10, p90: s.p90))
        case .bassWidth:
            guard let p = bassWidthProposal(band: String(name.split(separator: ".")[2]), value: value, median: s.median) else { return nil }
            take(p)
        case .balanceEQ:
            let band = TrackAnalysis.Band(rawValue: String(name.split(separator: ".").last!))!
            let (action, clamped) = sizer.balanceEQ(band: band, departureDB: value - s.median)
            if case let .eq(_, _, g, _) = action {
                fixes.append(fix(action, .mixBus, "\(entry.label) \(fmt(value)) → about \(fmt(value + g)) dB\(clamped ? " (clamped to ±6 dB)" : "")",
                                 value + g, 0.6, advice: false))
            }
            fixability = Self.fixabilityParameter; adviceOnly = false; how = "an EQ on the mix bus moves it"
        case .width:
            if let (factor, clamped) = sizer.widthFactor(sideMidRatio: value, target: s.median) {
                let expected = value * factor * factor
                fixes.append(fix(.utility(widthPercent: (100 * factor).rounded()), .mixBus,
                                 "side/mid \(fmt(value)) → about \(fmt(expected)) (width ×\(String(format: "%.2f", factor)))\(clamped ? ", clamped to a safe move (at most ×2 or ×0.5 in one move)" : "")"
                                 + (factor > 1 ? "; Bass Mono on below \(hzText(FixMapper.bassMonoHz)) so the low end is never widened" : ""),
                                 expected, 0.75, advice: false))
                fixability = Self.fixabilityParameter; adviceOnly = false; how = "Utility width on the mix bus moves it"
            } else {
                // Folded to mono: most often a Utility left on Mono (or Width 0 %); restore it when the set has one.
                fixes.append(fix(.restoreStereo, .mixBus,
                                 "side/mid \(fmt(value)) → back to about the references' \(fmt(s.median)) if a Utility folded the mix: Mono off, Width 100 %",
                                 s.median, 0.6, advice: false))
                fixes.append(fix(.advice("the mix is (nearly) mono (side/mid \(fmt(value)), references \(fmt(s.p10))–\(fmt(s.p90))): if no Utility folds it, widen pads and leads at the source (unison spread, stereo delays)"),
                                 .role("pad"), "side/mid \(fmt(value)) → toward \(fmt(s.median)) from the sources (no device can widen a mono signal)", s.median, 0.3, advice: true))
                fixability = Self.fixabilityParameter; adviceOnly = false; how = "the Utility that folds the mix to mono moves it"
            }
        case .pumpingCompressor:
            if direction == .low {
                let p = sizer.pumping(depthDB: value, target: s.median)
                let bpm = mix.tempo?.bpm ?? 138
                fixes.append(fix(.compressor(thresholdDB: p.thresholdDB, ratio: p.ratio), .role("bass"),
                                 "pumping \(fmt(value)) → about \(fmt(value + p.extraDepthDB)) dB (+\(fmt(p.extraDepthDB)) dB gain reduction on each kick): the bass's sidechain compressor "
                                 + "keyed from the kick, Threshold \(String(format: "%.1f", p.thresholdDB)) dB, Ratio \(String(format: "%.0f", p.ratio)):1, Attack 1 ms, "
                                 + "Release \(Int(FixMapper.sidechainReleaseMS(bpm: bpm))) ms (40 % of a beat at \(Int(bpm.rounded())) BPM)",
                                 value + p.extraDepthDB, 0.45, advice: false))
                fixability = Self.fixabilityParameter; adviceOnly = false; how = "a sidechain compressor on the bass moves it"
            } else {
                fixes.append(fix(.advice("pumping deeper than the references (\(fmt(value)) dB dips, their median \(fmt(s.median)) dB): raise the bass's sidechain compressor's Threshold or lower its Ratio for about \(String(format: "%.1f", sizer.amount * (value - s.median))) dB less gain reduction on each kick"),
                                 .role("bass"), "less pumping", nil, 0.4, advice: true))
            }
        case .tempo:
            let target = (s.median * 2).rounded() / 2
            let ratio = value / s.median
            if abs(ratio - 2) < 0.06 || abs(ratio - 0.5) < 0.03 {
                // A detection octave error is not a mix problem: said in the warnings, not ranked.
                return nil
            } else {
                fixes.append(fix(.tempo(bpm: target), .song, "tempo \(fmt(value)) → \(fmt(target)) BPM (the references' median); a musical decision: re-check groove and vocals",
                                 target, 0.5, advice: false))
                fixability = Self.fixabilityDecision; adviceOnly = false; how = "the set's tempo moves it (a musical decision)"
            }
        case .sectionLevel:
            break
        case let .advice(text):
            fixes.append(fix(.advice(Self.withNumbers(text, value: value, unit: entry.unit, stats: s)), .mixBus,
                             "by hand: \(entry.label) \(fmt(value)) → toward \(fmt(s.median))", s.median, 0.3, advice: true))
        }
        return makeGap(id: gapID, kind: .feature, feature: name, section: nil, value: value, unit: entry.unit, stats: s,
                       position: position, importance: entry.importance, importanceSource: name.hasPrefix("spectrum") || name.hasPrefix("loudness") || name.hasPrefix("stereo") ? "mix table" : "trance weight",
                       fixability: fixability, how: how, label: entry.label, fixes: fixes, adviceOnly: adviceOnly)
    }

    func makeGap(id: String, kind: Gap.Kind, feature: String, section: String?, value: Double, unit: String,
                 stats s: Profile.FeatureStats, position: RobustPosition, importance: Double, importanceSource: String,
                 fixability: Double, how: String, label: String, fixes: [Fix], adviceOnly: Bool, band: SpectrumBandGap? = nil) -> Gap {
        let severity = min(position.severity, Self.severityCap)
        // Provisional: `GapJudgement` weighs in audibility and the order of work.
        let priority = severity * importance * fixability
        let direction: Gap.Direction = value > s.median ? .high : .low
        let edge = direction == .high ? "above p90" : "below p10"
        let where_ = section.map { " in the \($0)s" } ?? ""
        let reason = "\(label)\(where_) \(fmt(value))\(unit.isEmpty ? "" : " \(unit)") vs \(fmt(s.p10))–\(fmt(s.p90)) (p10–p90): "
            + "\(String(format: "%.1f", position.severity)) spreads \(edge)\(position.severity > Self.severityCap ? ", counted as \(Int(Self.severityCap))" : "") "
            + "(z \(String(format: "%+.1f", position.z)), pct \(Int(position.percentile.rounded()))) "
            + "· importance \(String(format: "%.2f", importance)) (\(importanceSource)) · fixability \(String(format: "%.2f", fixability)) (\(how))"
        return Gap(id: id, kind: kind, feature: feature, section: section, value: value, unit: unit, profileP10: s.p10,
                   profileP50: s.median, profileP90: s.p90, z: position.z, percentile: position.percentile, direction: direction,
                   severity: severity, importance: importance, fixability: fixability, priority: priority, reason: reason,
                   band: band, fixes: fixes, adviceOnly: adviceOnly, label: label)
    }

    // MARK: - Spectrum

    func spectrumGapsFor(spectrum: TrackAnalysis.Spectrum, loudness: Double?, curves: Profile.SpectrumCurves,
                         profile: Profile) -> ([Gap], [(Double, Double)]) {
        guard spectrum.levelsDB.count == spectrum.bandsHz.count,
              let shifted = curves.normalize(levelsDB: spectrum.levelsDB, integratedLUFS: loudness) else { return ([], []) }
        var byKey: [Int: Double] = [:]
        for (j, hz) in spectrum.bandsHz.enumerated() { byKey[Int((hz * 10).rounded())] = shifted[j] }
        // Usable bands: measured in both, enough references, not lost in the noise floor.
        let loudestMedian = curves.p50DB.filter(\.isFinite).max() ?? 0
        var usable: [Int] = []
        var level: [Int: Double] = [:]
        for i in curves.bandsHz.indices {
            guard let l = byKey[Int((curves.bandsHz[i] * 10).rounded())], l.isFinite, curves.n[i] >= 3,
                  curves.p50DB[i].isFinite, curves.p10DB[i].isFinite, curves.p90DB[i].isFinite,
                  curves.p50DB[i] > loudestMedian - 60 else { continue }
            usable.append(i); level[i] = l
        }
        // Loudness matching leaves a level offset when one region dominates the loudness (a +4 dB
        // bass shelf raises LUFS and so pushes every other band down). Align on the median band
        // departure so a local EQ problem shows as one local gap, not as its mirror everywhere else.
        let departuresAll = usable.map { level[$0]! - curves.p50DB[$0] }.sorted()
        if !departuresAll.isEmpty {
            let offset = departuresAll[departuresAll.count / 2]
            for i in usable { level[i]! -= offset }
        }
        let normalized = usable.map { (curves.bandsHz[$0], level[$0]!) }
        var sign: [Int: Int] = [:]
        for i in usable {
            let d = level[i]! - curves.p50DB[i]
            if level[i]! > curves.p90DB[i], d >= options.minimumSpectrumDepartureDB { sign[i] = 1 }
            else if level[i]! < curves.p10DB[i], d <= -options.minimumSpectrumDepartureDB { sign[i] = -1 }
        }
        // Runs of neighbouring usable bands with the same sign.
        var runs: [[Int]] = []
        var current: [Int] = []
        for (position, i) in usable.enumerated() {
            let s = sign[i] ?? 0
            let continues = !current.isEmpty && s != 0 && sign[current.last!] == s && usable[position - 1] == current.last!
            if continues { current.append(i) } else {
                if !current.isEmpty { runs.append(current) }
                current = s != 0 ? [i] : []
            }
        }
        if !current.isEmpty { runs.append(current) }

        var gaps: [Gap] = []
        for run in runs {
            let departures = run.map { level[$0]! - curves.p50DB[$0] }
            let peakPos = departures.indices.max { abs(departures[$0]) < abs(departures[$1]) }!
            // A lone band needs a clear departure: one 1/6-octave band is easily noise.
            if run.count == 1, abs(departures[peakPos]) < 3 { continue }
            let peak = run[peakPos]
            let outsides = run.map { i in level[i]! > curves.p90DB[i] ? level[i]! - curves.p90DB[i] : level[i]! - curves.p10DB[i] }
            let outsidePeak = outsides.map(abs).max()!
            let lowHz = curves.bandsHz[run.first!] * pow(2, -1.0 / 12), highHz = curves.bandsHz[run.last!] * pow(2, 1.0 / 12)
            let centre = (lowHz * highHz).squareRoot()
            let band = SpectrumBandGap(centreHz: centre, lowHz: lowHz, highHz: highHz, widthOctaves: log2(highHz / lowHz),
                                       peakHz: curves.bandsHz[peak],
                                       sizeDB: departures[peakPos], outsideDB: outsides.max { abs($0) < abs($1) }!, bandCount: run.count)
            let stats = Profile.FeatureStats(n: curves.n[peak], mean: curves.p50DB[peak], std: 0, median: curves.p50DB[peak],
                                             p10: curves.p10DB[peak], p25: curves.p25DB[peak], p75: curves.p75DB[peak],
                                             p90: curves.p90DB[peak], min: curves.p10DB[peak], max: curves.p90DB[peak])
            let width = log2(highHz / lowHz), jnd = Audibility.spectralJND(widthOctaves: width, boost: departures[peakPos] > 0)
            let floor = (FeatureCatalog.spectrumSpreadFloorDB * FeatureCatalog.spectrumSpreadFloorDB + jnd * jnd).squareRoot()
            var position = RobustPosition(value: level[peak]!, stats: stats, references: nil, spreadFloor: floor)
            position.severity = outsidePeak / position.spread
            let (action, clamped) = sizer.eq(bandsHz: run.map { curves.bandsHz[$0] }, departures: departures,
                                             atLowEdge: run.first! == usable.first!, atHighEdge: run.last! == usable.last!)
            let bandKey = String(format: "%.0f", (log2(centre / 1000) * 3).rounded()) // third-octave index: stable under small shifts
            let gapID = StableID.make([profile.name, "spectrum.band", bandKey, departures[peakPos] > 0 ? "high" : "low"])
            var expected = level[peak]!
            if case let .eq(_, _, g, _) = action { expected += g }
            let fix = Fix(id: StableID.make([profile.name, "spectrum.band", bandKey, action.stableKey]), gapID: gapID, action: action,
                          scope: .mixBus,
                          expectedEffect: "\(hzText(lowHz))–\(hzText(highHz)) \(String(format: "%+.1f", departures[peakPos])) dB from the references' median → about \(String(format: "%+.1f", expected - curves.p50DB[peak])) dB\(clamped ? " (clamped to a safe move)" : "")",
                          expectedValue: expected, confidence: run.count >= 3 ? 0.7 : 0.5, adviceOnly: false)
            gaps.append(makeGap(id: gapID, kind: .spectrum, feature: "spectrum.band", section: nil, value: level[peak]!, unit: "dB",
                                stats: stats, position: position, importance: FeatureCatalog.spectrumImportance, importanceSource: "mix table",
                                fixability: Self.fixabilityParameter, how: "an EQ on the mix bus moves it",
                                label: "spectrum \(hzText(lowHz))–\(hzText(highHz)) (peak at \(hzText(curves.bandsHz[peak])))",
                                fixes: [fix], adviceOnly: false, band: band))
        }
        return (gaps, normalized)
    }

    // MARK: - Sections

    func sectionGaps(layout: Profile.SectionLayout, sections: SectionMeasurements, profile: Profile, mix: TrackAnalysis?) -> [Gap] {
        var gaps: [Gap] = []
        func consider(feature: String, section: String?, value: Double?, stats: Profile.FeatureStats?, unit: String, floor: Double,
                      importance: Double, label: String, kind: Gap.Kind, scope: FixScope = .mixBus, fixability parameterFixability: Double? = nil,
                      how parameterHow: String? = nil,
                      remedy: (Double, Profile.FeatureStats, String) -> (FixAction, String, Double?, Double, Bool)) {
            guard let value, value.isFinite, let stats, stats.n >= 3 else { return }
            let position = RobustPosition(value: value, stats: stats, references: nil,
                                          spreadFloor: Audibility.spreadFloor(feature: feature, repeatability: floor, median: stats.median))
            guard !position.inside else { return }
            let gapID = StableID.make([profile.name, feature, section ?? ""])
            let (action, effect, expected, confidence, advice) = remedy(value, stats, gapID)
            let fix = Fix(id: StableID.make([profile.name, feature, section ?? "", action.stableKey]), gapID: gapID, action: action,
                          scope: scope, expectedEffect: effect, expectedValue: expected, confidence: confidence, adviceOnly: advice)
            let fixability = advice ? Self.fixabilityAdvice : (parameterFixability ?? Self.fixabilityDecision)
            gaps.append(makeGap(id: gapID, kind: kind, feature: feature, section: section, value: value, unit: unit, stats: stats,
                                position: position, importance: importance, importanceSource: "mix table", fixability: fixability,
                                how: advice ? "advice only" : (parameterHow ?? "a level change over the section (automation, by hand)"), label: label,
                                fixes: [fix], adviceOnly: advice))
        }
        for (kind, measured) in sections.kinds.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let ref = layout.kinds[kind.rawValue] else { continue }
            let name = kind.rawValue
            let bars = mix.flatMap { Self.barRanges(of: kind, in: $0) }.map { " (\($0))" } ?? ""
            consider(feature: "section.relative_rms_db", section: name, value: measured.relativeRMSDB, stats: ref.relativeRMSDB, unit: "dB",
                     floor: 0.5, importance: FeatureCatalog.sectionEnergyImportance, label: "energy (level below the loudest bar)", kind: .section) { v, s, _ in
                let (g, clamped) = sizer.sectionGain(departureDB: v - s.median)
                return (.sectionGain(section: name, gainDB: g),
                        "\(name)s \(fmt(v)) → about \(fmt(v + g)) dB below the loudest bar\(clamped ? " (clamped to ±6 dB in one move)" : ""): automate the mix-bus Utility Gain \(String(format: "%+.1f", g)) dB over every \(name)\(bars), by hand (AbletonOSC cannot write automation)",
                        v + g, 0.55, false)
            }
            if options.compareDropLevel, kind == .drop {
                consider(feature: "section.rms_db", section: name, value: measured.rmsDB, stats: ref.rmsDB, unit: "dB", floor: 0.5,
                         importance: FeatureCatalog.sectionEnergyImportance, label: "level (mean bar RMS)", kind: .section,
                         fixability: Self.fixabilityParameter, how: "the mix-bus gain moves it") { v, s, _ in
                    dropLevelProposal(value: v, median: s.median)
                }
            }
            consider(feature: "section.centroid_hz", section: name, value: measured.centroidHz, stats: ref.centroidHz, unit: "Hz", floor: 50,
                     importance: FeatureCatalog.sectionBalanceImportance, label: "spectral centroid", kind: .section) { v, s, _ in
                (.advice("the \(name)s\(bars) are \(v > s.median ? "brighter" : "darker") than the references' \(name)s: filter or EQ the \(name)'s elements from a spectral centre of \(fmt(v)) Hz toward \(fmt(s.median)) Hz"),
                 "by hand: \(fmt(v)) → toward \(fmt(s.median)) Hz", s.median, 0.3, true)
            }
            consider(feature: "section.bass_ratio", section: name, value: measured.bassRatio, stats: ref.bassRatio, unit: "", floor: 0.02,
                     importance: FeatureCatalog.sectionBalanceImportance, label: "bass ratio", kind: .section) { v, s, _ in
                (.advice("the \(name)s\(bars) carry \(v > s.median ? "more" : "less") bass than the references' \(name)s: \(Int((v * 100).rounded())) % of their energy, the references' median \(Int((s.median * 100).rounded())) %"),
                 "by hand: bass share \(fmt(v)) → toward \(fmt(s.median))", s.median, 0.3, true)
            }
            // Width of the section: a Utility on the element that carries it (the lead in drops,
            // the pads elsewhere); the mix-bus Utility would change every section at once.
            let widthRole = kind == .drop ? "lead" : "pad"
            consider(feature: "section.side_mid_ratio", section: name, value: measured.sideMidRatio, stats: ref.sideMidRatio, unit: "ratio",
                     floor: 0.01, importance: FeatureCatalog.sectionWidthImportance, label: "stereo width (side/mid)", kind: .section,
                     scope: .role(widthRole), fixability: Self.fixabilityParameter,
                     how: "Utility width on the \(widthRole) track moves it") { v, s, _ in
                guard let (factor, clamped) = sizer.widthFactor(sideMidRatio: v, target: s.median) else {
                    return (.advice("the \(name)s are (nearly) mono (side/mid \(fmt(v)), the references' \(name)s \(fmt(s.p10))–\(fmt(s.p90))): widen the \(widthRole)s at the source (unison spread, stereo delays, chorus)"),
                            "side/mid \(fmt(v)) → toward \(fmt(s.median)) from the sources (no device can widen a mono signal)", s.median, 0.3, true)
                }
                let expected = v * factor * factor
                return (.utility(widthPercent: (100 * factor).rounded()),
                        "\(name)s side/mid \(fmt(v)) → about \(fmt(expected)) (width ×\(String(format: "%.2f", factor)) on the \(widthRole), which plays mostly there; or automate a mix-bus Utility's Width over every \(name))\(clamped ? ", clamped to a safe move" : "")",
                        expected, 0.55, false)
            }
            consider(feature: "arrangement.bars", section: name, value: measured.bars, stats: ref.bars, unit: "bars", floor: 1,
                     importance: FeatureCatalog.arrangementBarsImportance, label: "length", kind: .arrangement) { v, s, _ in
                (.advice("the references' \(name)s last about \(Int(s.median.rounded())) bars (\(Int(s.p10.rounded()))–\(Int(s.p90.rounded()))); these \(Int(v.rounded()))\(bars)"),
                 "by hand: \(Int(v.rounded())) → about \(Int(s.median.rounded())) bars", s.median, 0.3, true)
            }
        }
        consider(feature: "arrangement.drop_breakdown_contrast_db", section: nil, value: sections.dropBreakdownContrastDB,
                 stats: layout.dropBreakdownContrastDB, unit: "dB", floor: 0.5, importance: FeatureCatalog.sectionEnergyImportance,
                 label: "drop–breakdown energy contrast", kind: .arrangement) { v, s, _ in
            // Too little contrast: bring the breakdowns down; too much: bring them up.
            let (g, clamped) = sizer.sectionGain(departureDB: s.median - v)
            return (.sectionGain(section: "breakdown", gainDB: g),
                    "contrast \(fmt(v)) → about \(fmt(v - g)) dB by changing the breakdowns by \(String(format: "%+.1f", g)) dB\(clamped ? " (clamped to ±6 dB in one move)" : ""): "
                    + "automate the mix-bus Utility Gain over every breakdown\(mix.flatMap { Self.barRanges(of: .breakdown, in: $0) }.map { " (\($0))" } ?? ""), by hand (AbletonOSC cannot write automation)",
                    v - g, 0.55, false)
        }
        return gaps
    }
}

func fmt(_ v: Double) -> String {
    let a = abs(v)
    if a >= 100 { return String(format: "%.0f", v) }
    if a >= 10 { return String(format: "%.1f", v) }
    if a >= 1 { return String(format: "%.2f", v) }
    return String(format: "%.3f", v)
}

func hzText(_ hz: Double) -> String { hz >= 1000 ? String(format: "%.1f kHz", hz / 1000) : String(format: "%.0f Hz", hz) }
