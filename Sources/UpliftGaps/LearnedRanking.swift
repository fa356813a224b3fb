import Foundation
import UpliftModel
import UpliftProfile

/// What the producer's decisions (`FeedbackStore`) teach the ranking of one profile, and the report
/// adjusted by it. Nothing learned is hidden: every adjusted gap's reason (or fix's expected effect)
/// says what was learned and from which decisions. With no decisions the report is returned unchanged.
///
/// - **importance**: net rejections of a feature's fixes (rejected + 1.5 × undone − approved) sink it:
///   priority × 0.55^net (at least × 0.05); approvals lift it back.
/// - **amount**: measured / promised moves after re-exports, per kind of fix, pulled toward 1 by a
///   prior worth half a re-export; the fix is sized by the inverse (× 0.5 … × 2.5).
/// - **preference**: the alternative the producer picked (`f`) for a feature more often than the first
///   offered is offered first.
/// - **taste check**: blind mix-versus-fix picks that prefer the mix without the fix (≥ 3 picks, ≥ ⅔ for
///   the mix) say the profile may be learning the wrong pattern there, and how to stop reporting it.
public struct LearnedRanking: Sendable {
    public typealias Decision = FeedbackStore.Decision

    public static let sinkPerRejection = 0.55
    public static let smallestImportanceFactor = 0.05
    public static let sizingPriorWeight = 0.5
    public static let sizingRange = 0.5...2.5
    public static let tasteMinimumPicks = 3

    public struct Standing: Sendable, Equatable {
        public var key: String
        public var label: String
        public var approved = 0, rejected = 0, undone = 0
        /// Rejections the producer stood by: rejected + 1.5 × undone − approved.
        public var net: Double { Double(rejected) + 1.5 * Double(undone) - Double(approved) }
        public var factor: Double { max(LearnedRanking.smallestImportanceFactor, pow(LearnedRanking.sinkPerRejection, max(0, net))) }
        public var decisions: Int { approved + rejected + undone }
    }

    public struct Sizing: Sendable, Equatable {
        public var kind: String
        /// Measured ÷ promised move of each re-export, for the move as sized (the learned factor taken out).
        public var ratios: [Double]
        public var ratio: Double {
            (LearnedRanking.sizingPriorWeight + ratios.reduce(0, +)) / (LearnedRanking.sizingPriorWeight + Double(ratios.count))
        }
        public var factor: Double {
            let r = max(ratio, 1e-3)
            return min(max(1 / r, LearnedRanking.sizingRange.lowerBound), LearnedRanking.sizingRange.upperBound)
        }
    }

    public struct Taste: Sendable, Equatable {
        public var key: String
        public var label: String
        public var preferredMix = 0, preferredFix = 0
        public var flagged: Bool {
            preferredMix + preferredFix >= LearnedRanking.tasteMinimumPicks && 3 * preferredMix >= 2 * (preferredMix + preferredFix)
        }
    }

    public let profile: String
    public let decisions: [Decision]
    public private(set) var standings: [String: Standing] = [:]
    public private(set) var sizings: [String: Sizing] = [:]
    /// Learning key → fix kind → times picked when it was not the first offered.
    public private(set) var picks: [String: [String: Int]] = [:]
    public private(set) var tastes: [String: Taste] = [:]
    public private(set) var muted: Set<String> = []

    public init(profile: String, decisions: [Decision]) {
        self.profile = profile; self.decisions = decisions
        for d in decisions {
            let label = Self.readable(d.feature, key: d.learningKey)
            switch d.kind {
            case .approved, .rejected, .undone:
                var s = standings[d.learningKey] ?? Standing(key: d.learningKey, label: label)
                if d.kind == .approved { s.approved += 1 } else if d.kind == .rejected { s.rejected += 1 } else { s.undone += 1 }
                standings[d.learningKey] = s
                if d.kind == .approved, let kind = d.fixKind, (d.alternative ?? 0) > 0 { picks[d.learningKey, default: [:]][kind, default: 0] += 1 }
            case .measured:
                guard let kind = d.fixKind, let p = d.promised, let m = d.measured, abs(p) > 1e-9 else { continue }
                let sizing = d.sizing ?? 1
                sizings[kind, default: Sizing(kind: kind, ratios: [])].ratios.append(m / (p * sizing))
            case .blindPick:
                guard let b = d.blind, b.comparison == .mixVsFix else { continue }
                var t = tastes[d.learningKey] ?? Taste(key: d.learningKey, label: label)
                if b.picked == .mix { t.preferredMix += 1 } else if b.picked == .fix { t.preferredFix += 1 }
                tastes[d.learningKey] = t
            case .muted:
                muted.insert(d.learningKey)
            }
        }
    }

    /// What learning groups a gap's decisions by: its feature; for spectrum runs, the direction and the
    /// octave band of the run's centre (a cut at 100 Hz teaches nothing about a boost at 3 kHz).
    public static func key(_ gap: Gap) -> String {
        guard let band = gap.band else { return gap.feature }
        let octave = pow(2, (log2(band.centreHz / 1000)).rounded()) * 1000
        return "spectrum.band.\(gap.direction.rawValue).\(Int(octave.rounded()))Hz"
    }

    static func readable(_ feature: String, key: String) -> String {
        if key.hasPrefix("spectrum.band.") {
            let parts = key.split(separator: ".")
            let hz = parts.count > 3 ? Double(parts[3].dropLast(2)) ?? 0 : 0
            return "EQ \(parts.count > 2 && parts[2] == "high" ? "cut" : "boost") around \(hz >= 1000 ? "\(fmt(hz / 1000)) kHz" : "\(Int(hz)) Hz")"
        }
        if feature.hasSuffix("side_mid_ratio") && !feature.contains("band") { return feature.hasPrefix("section") ? "section width" : "width" }
        let sectionLabels = ["section.relative_rms_db": "section level", "section.bass_ratio": "section bass share",
                             "section.centroid_hz": "section brightness", "arrangement.bars": "section length",
                             "arrangement.drop_breakdown_contrast_db": "drop–breakdown contrast"]
        return sectionLabels[feature] ?? FeatureCatalog.entry(feature)?.label ?? feature
    }

    public func sizingFactor(kind: String) -> Double { sizings[kind]?.factor ?? 1 }

    /// The report as learning leaves it (unchanged when nothing was learned).
    public func apply(to report: GapReport) -> GapReport {
        guard !decisions.isEmpty else { return report }
        var report = report
        var changed = false
        // A symptom goes with its cause (the same fix closes both): otherwise it would lift the sunk cause back.
        let causeFactor = Dictionary(report.gaps.compactMap { g in standings[Self.key(g)].map { (g.id, $0.factor) } }, uniquingKeysWith: min)
        for g in report.gaps.indices {
            if let cause = report.gaps[g].causedBy, let f = causeFactor[cause], f < 1, standings[Self.key(report.gaps[g])] == nil {
                report.gaps[g].priority *= f
                report.gaps[g].reason += " · ranked lower with its cause (×\(String(format: "%.2f", f)))"
                changed = true
            }
            let key = Self.key(report.gaps[g])
            if muted.contains(key), !report.gaps[g].rejected {
                report.gaps[g].rejected = true
                report.gaps[g].reason += " · muted: you asked to stop reporting it (uplift profile feedback \(profile) --reset \(key) brings it back)"
                changed = true
            }
            if let s = standings[key], s.factor < 1 {
                report.gaps[g].priority *= s.factor
                report.gaps[g].reason += " · ranked lower (×\(String(format: "%.2f", s.factor))): you rejected \(s.rejected + s.undone) of \(s.decisions) \(s.label) fixes"
                    + (s.undone > 0 ? " (\(s.undone) undone after approval)" : "")
                changed = true
            }
            // Preference among alternatives.
            if let counts = picks[key], report.gaps[g].fixes.count > 1 {
                let firstKind = report.gaps[g].fixes[0].action.stableKey
                if let (k, best) = report.gaps[g].fixes.indices.dropFirst()
                    .map({ ($0, counts[report.gaps[g].fixes[$0].action.stableKey] ?? 0) }).max(by: { $0.1 < $1.1 }),
                   best > (counts[firstKind] ?? 0) {
                    let fix = report.gaps[g].fixes.remove(at: k)
                    report.gaps[g].fixes.insert(fix, at: 0)
                    report.gaps[g].reason += " · \(fix.action.stableKey) offered first: you picked it over the first offer \(best) time\(best == 1 ? "" : "s")"
                    changed = true
                }
            }
            // Amount.
            for f in report.gaps[g].fixes.indices {
                let kind = report.gaps[g].fixes[f].action.stableKey
                guard let sizing = sizings[kind], abs(sizing.factor - 1) > 0.02 else { continue }
                let scaled = Self.scaled(report.gaps[g].fixes[f].action, by: sizing.factor)
                guard scaled != report.gaps[g].fixes[f].action else { continue }
                report.gaps[g].fixes[f].action = scaled
                report.gaps[g].fixes[f].learnedSizing = sizing.factor
                report.gaps[g].fixes[f].expectedEffect += " · sized ×\(String(format: "%.2f", sizing.factor)) from your re-exports: \(kind) fixes measured \(Int((sizing.ratio * 100).rounded())) % of their promise (\(sizing.ratios.count) re-export\(sizing.ratios.count == 1 ? "" : "s"))"
                changed = true
            }
            if let t = tastes[key], t.flagged {
                report.gaps[g].reason += " · taste check: in \(t.preferredMix) of \(t.preferredMix + t.preferredFix) blind tests you preferred the mix without the \(t.label) fix"
                changed = true
            }
        }
        for t in tastes.values.sorted(by: { $0.key < $1.key }) where t.flagged && report.gaps.contains(where: { Self.key($0) == t.key && !$0.rejected }) {
            report.warnings.append("taste check: in \(t.preferredMix) of \(t.preferredMix + t.preferredFix) blind tests you preferred the mix without the \(t.label) fix; the profile may be learning the wrong pattern there. Stop reporting it: uplift profile feedback \(profile) --mute \(t.key)")
            changed = true
        }
        if changed { report.gaps = GapJudgement.rank(report.gaps) }
        return report
    }

    /// A move scaled by a learned sizing factor, within the sizer's safe limits.
    public static func scaled(_ action: FixAction, by c: Double) -> FixAction {
        func tenth(_ v: Double) -> Double { (v * 10).rounded() / 10 }
        switch action {
        case let .eq(shape, f, g, q): return .eq(shape: shape, frequencyHz: f, gainDB: tenth(FixSizer.clampGain(g * c)), q: q)
        case let .utility(w):
            let factor = min(max(pow(w / 100, c), FixSizer.widthFactorRange.lowerBound), FixSizer.widthFactorRange.upperBound)
            return .utility(widthPercent: (100 * factor).rounded())
        case let .gain(g): return .gain(gainDB: tenth(g * c))
        case let .sectionGain(s, g): return .sectionGain(section: s, gainDB: tenth(FixSizer.clampGain(g * c)))
        case let .limiter(g, ceiling): return .limiter(gainDB: tenth(g * c), ceilingDB: ceiling)
        case let .compressor(t, r):
            let slope = 1 - 1 / max(r, 1.0001)
            let extra = (FixSizer.assumedKeyPeakDBFS - t) * slope
            return .compressor(thresholdDB: tenth(FixSizer.assumedKeyPeakDBFS - min(12, extra * c) / slope), ratio: r)
        default: return action
        }
    }

    // MARK: - Recording (the context a decision is recorded with)

    public static func decision(_ kind: Decision.Kind, gap: Gap, fix: Fix?, reason: String? = nil, at: Date = Date()) -> Decision {
        let offered = gap.fixes.map(\.action.stableKey)
        return Decision(kind: kind, feature: gap.feature, learningKey: key(gap), section: gap.section, gapID: gap.id, fixID: fix?.id,
                        fixKind: fix?.action.stableKey, alternative: fix.flatMap { f in gap.fixes.firstIndex { $0.id == f.id } },
                        offered: offered.count > 1 ? offered : nil, reason: reason, sizing: fix?.learnedSizing, at: at)
    }

    /// A blind pick between the mix and the mix with `fix` (`picked`: `.mix` or `.fix`).
    public static func blindPick(gap: Gap, fix: Fix, picked: Decision.BlindPick.Choice, guessedRight: Bool? = nil, at: Date = Date()) -> Decision {
        var d = decision(.blindPick, gap: gap, fix: fix, at: at)
        d.blind = .init(comparison: .mixVsFix, picked: picked, guessedRight: guessedRight)
        return d
    }

    /// A blind guess between the mix and a reference (the A/B view's identification test): what was
    /// guessed, whether rightly, and the reference; `gap` when its feature chose the references. Kept
    /// for the record (`profile feedback`); the ranking learns from mix-vs-fix preferences only.
    public static func referenceGuess(_ pick: BlindRecord.Pick, gap: Gap?) -> Decision {
        Decision(kind: .blindPick, feature: gap?.feature ?? "ab", learningKey: gap.map(key) ?? "ab", section: gap?.section, gapID: gap?.id,
                 blind: .init(comparison: .mixVsReference, picked: pick.guessed == .mix ? .mix : .reference, guessedRight: pick.correct,
                              // The reference in play: the one that sounded, else the one guessed (none when both were the mix).
                              reference: pick.played == .reference ? pick.playedName : (pick.guessed == .reference ? pick.guessedName : nil)),
                 at: pick.time)
    }

    /// The closures a re-export measured for the fixes applied since `previous` (from `GapProgress`).
    public static func measurements(previous: GapReport, current: GapReport, appliedFixIDs: Set<String>, at: Date = Date()) -> [Decision] {
        var out: [Decision] = []
        for gap in previous.gaps where !gap.rejected {
            guard let after = current.measured[GapProgress.measuredKey(gap)],
                  GapProgress.incomparability(gap, previous: previous.measured, current: current.measured) == nil else { continue }
            for fix in gap.fixes where appliedFixIDs.contains(fix.id) {
                guard let expected = fix.expectedValue else { continue }
                var d = decision(.measured, gap: gap, fix: fix, at: at)
                d.promised = expected - gap.value
                d.measured = after - gap.value
                out.append(d)
            }
        }
        return out
    }

    // MARK: - What was learned, for `uplift profile feedback`

    public struct Summary: Codable, Sendable, Equatable {
        public struct Feature: Codable, Sendable, Equatable {
            public var key: String, label: String
            public var approved: Int, rejected: Int, undone: Int
            public var importanceFactor: Double
            public var muted: Bool
            public var blindPreferredMix: Int, blindPreferredFix: Int
            public var tasteCheck: Bool
            public var preferredAlternatives: [String: Int]
            enum CodingKeys: String, CodingKey {
                case key, label, approved, rejected, undone, muted
                case importanceFactor = "importance_factor", blindPreferredMix = "blind_preferred_mix"
                case blindPreferredFix = "blind_preferred_fix", tasteCheck = "taste_check", preferredAlternatives = "preferred_alternatives"
            }
        }
        public struct Kind: Codable, Sendable, Equatable {
            public var kind: String
            public var reExports: Int
            public var measuredRatio: Double
            public var sizingFactor: Double
            enum CodingKeys: String, CodingKey { case kind, reExports = "re_exports", measuredRatio = "measured_ratio", sizingFactor = "sizing_factor" }
        }
        public var schema = "uplift.feedback-summary/1"
        public var profile: String
        public var decisions: Int
        public var features: [Feature]
        public var sizing: [Kind]
        /// Blind guesses of mix against reference in the A/B view, and how many were right (recorded, not learned from).
        public var referenceGuesses = 0
        public var referenceGuessesRight = 0
        enum CodingKeys: String, CodingKey {
            case schema, profile, decisions, features, sizing
            case referenceGuesses = "reference_guesses", referenceGuessesRight = "reference_guesses_right"
        }
    }

    public var summary: Summary {
        let keys = Set(standings.keys).union(tastes.keys).union(muted).union(picks.keys).sorted()
        let features = keys.map { k -> Summary.Feature in
            let s = standings[k], t = tastes[k]
            let label = s?.label ?? t?.label ?? decisions.first { $0.learningKey == k }.map { Self.readable($0.feature, key: k) } ?? k
            return .init(key: k, label: label, approved: s?.approved ?? 0, rejected: s?.rejected ?? 0, undone: s?.undone ?? 0,
                         importanceFactor: s?.factor ?? 1, muted: muted.contains(k), blindPreferredMix: t?.preferredMix ?? 0,
                         blindPreferredFix: t?.preferredFix ?? 0, tasteCheck: t?.flagged ?? false, preferredAlternatives: picks[k] ?? [:])
        }
        let kinds = sizings.values.sorted { $0.kind < $1.kind }.map {
            Summary.Kind(kind: $0.kind, reExports: $0.ratios.count, measuredRatio: $0.ratio, sizingFactor: $0.factor)
        }
        let guesses = decisions.compactMap { $0.kind == .blindPick && $0.blind?.comparison == .mixVsReference ? $0.blind : nil }
        var summary = Summary(profile: profile, decisions: decisions.count, features: features, sizing: kinds)
        summary.referenceGuesses = guesses.count
        summary.referenceGuessesRight = guesses.filter { $0.guessedRight == true }.count
        return summary
    }

    /// `uplift profile feedback P` as text.
    public func text() -> String {
        let s = summary
        guard s.decisions > 0 else {
            return "Nothing learned for \(profile) yet: approve, reject or undo fixes in the gap pane (or uplift gaps --apply/--reject), and re-export.\n"
        }
        var out = "What \(profile) learned from \(s.decisions) decision\(s.decisions == 1 ? "" : "s"):\n"
        if !s.features.isEmpty { out += "\nImportance (how high a feature's gaps rank):\n" }
        for f in s.features {
            var line = "  \(f.label) (\(f.key))\n    approved \(f.approved), rejected \(f.rejected)" + (f.undone > 0 ? ", undone \(f.undone)" : "")
            line += f.importanceFactor < 1 ? " → ranked lower ×\(String(format: "%.2f", f.importanceFactor))" : " → ranked as the profile says"
            if f.muted { line += "; muted (not reported)" }
            if f.blindPreferredMix + f.blindPreferredFix > 0 {
                line += "; blind: preferred the mix \(f.blindPreferredMix), the fix \(f.blindPreferredFix)"
                    + (f.tasteCheck ? " → taste check: the profile may be learning the wrong pattern here (--mute \(f.key))" : "")
            }
            if !f.preferredAlternatives.isEmpty {
                line += "; picked " + f.preferredAlternatives.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)×" }.joined(separator: ", ") + " (offered first)"
            }
            out += line + "\n"
        }
        if !s.sizing.isEmpty { out += "\nAmount (how big a move is, from re-exports):\n" }
        for k in s.sizing {
            out += "  \(k.kind)\n    \(k.reExports) re-export\(k.reExports == 1 ? "" : "s") measured \(Int((k.measuredRatio * 100).rounded())) % of the promise → sized ×\(String(format: "%.2f", k.sizingFactor))\n"
        }
        if s.referenceGuesses > 0 {
            out += "\nBlind tests against your references (A/B view): \(s.referenceGuessesRight) of \(s.referenceGuesses) guesses right"
                + " (near half: at matched loudness you could not tell the mix from them)\n"
        }
        out += "\nForget it: uplift profile feedback \(profile) --reset [FEATURE]\n"
        return out
    }
}
