import Foundation
import UpliftModel

/// The readable text of `profile show`, `diff` and `tracks`.
public enum ProfileReport {
    static let groupOrder = ["duration_s", "loudness", "spectrum", "stereo", "tempo", "rhythm", "pumping", "acid",
                             "supersaw", "brightness", "key", "trance"]

    static func ordered(_ names: some Sequence<String>) -> [String] {
        func group(_ name: String) -> Int {
            let head = String(name.split(separator: ".").first ?? "")
            return groupOrder.firstIndex(of: head) ?? groupOrder.count
        }
        return names.sorted { group($0) != group($1) ? group($0) < group($1) : $0 < $1 }
    }

    static func number(_ x: Double) -> String { NumberFormat.auto(x) }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(0, width - s.count))
        return right ? gap + s : s + gap
    }

    static func bar(_ count: Int, of maximum: Int, width: Int = 30) -> String {
        String(repeating: "█", count: maximum > 0 ? max(1, Int((Double(count) / Double(maximum) * Double(width)).rounded())) : 0)
    }

    public static func summary(_ p: Profile) -> String {
        var out = "Profile \"\(p.name)\": \(p.trackCount) tracks"
        if !p.skipped.isEmpty { out += " (\(p.skipped.count) skipped)" }
        out += ", built \(p.createdAt)" + (p.updatedAt.map { ", updated \($0)" } ?? "") + ", analyzer v\(p.analyzerVersion)\n"
        if !p.roots.isEmpty { out += "From: \(p.roots.joined(separator: ", "))\n" }

        out += "\nFeatures                                   median   p10 … p90              n\n"
        for name in ordered(p.features.keys) {
            let s = p.features[name]!
            out += "  \(pad(name, 40)) \(pad(number(s.median), 8, right: true))   \(pad(number(s.p10) + " … " + number(s.p90), 20)) \(pad(String(s.n), 4, right: true))\n"
        }
        if !p.tempoHistogram.isEmpty {
            out += "\nTempo (BPM)\n"
            let maximum = p.tempoHistogram.map(\.count).max() ?? 0
            for bin in p.tempoHistogram { out += "  \(pad(String(bin.bpm), 4, right: true)) \(bar(bin.count, of: maximum)) \(bin.count)\n" }
        }
        if !p.keyHistogram.isEmpty {
            out += "\nKeys (Camelot)\n"
            let maximum = p.keyHistogram.map(\.count).max() ?? 0
            for bin in p.keyHistogram {
                out += "  \(pad(bin.camelot, 3, right: true)) \(pad(bin.key, 9)) \(bar(bin.count, of: maximum, width: 20)) \(bin.count)\n"
            }
        }
        if let layout = p.sectionLayout {
            out += "\nSections (\(layout.trackCount) tracks)   in how many   bars (median)   energy vs loudest bar\n"
            for kind in TrackAnalysis.SectionKind.allCases {
                guard let s = layout.kinds[kind.rawValue] else { continue }
                let energy = s.relativeRMSDB.map { number($0.median) + " dB" } ?? "–"
                out += "  \(pad(kind.rawValue, 10)) \(pad(String(s.tracksWith), 12, right: true))   \(pad(number(s.bars.median), 13, right: true))   \(pad(energy, 10, right: true))\n"
            }
            if let c = layout.dropBreakdownContrastDB { out += "  drop − breakdown energy: \(number(c.median)) dB (p10 \(number(c.p10)), p90 \(number(c.p90)))\n" }
        }
        if let s = p.spectrum {
            let unit = s.normalization == .integratedLoudness ? "matched to \(number(s.referenceLevel)) LUFS" : "matched to equal total band power"
            out += "\nSpectrum (1/6 octave, \(unit)): p50 [p10 … p90] dB\n"
            for target in [31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000] {
                guard let i = s.bandsHz.indices.min(by: { abs(log2(s.bandsHz[$0] / target)) < abs(log2(s.bandsHz[$1] / target)) }),
                      abs(log2(s.bandsHz[i] / target)) < 0.1 else { continue }
                let hz = s.bandsHz[i] >= 1000 ? number(s.bandsHz[i] / 1000) + " kHz" : number(s.bandsHz[i]) + " Hz"
                out += "  \(pad(hz, 10, right: true))  \(pad(number(s.p50DB[i]), 7, right: true)) [\(number(s.p10DB[i])) … \(number(s.p90DB[i]))]\n"
            }
        }
        if p.clusters.isEmpty {
            out += "\nClusters: none (needs at least \(ProfileAssembler.minimumTracksToCluster) tracks with varying features)\n"
        } else {
            let how = p.clustering.map { $0.kFixed ? "k = \($0.k) fixed" : "k = \($0.k) by silhouette" } ?? ""
            out += "\nClusters (\(how), silhouette \(number(p.silhouette ?? 0)))\n"
            for c in p.clusters {
                let traits = c.traits.prefix(4).map { "\($0.feature) \($0.z >= 0 ? "+" : "")\(String(format: "%.1f", $0.z))σ" }
                out += "  \(c.id). \(pad(c.name, 36)) \(pad(String(c.size), 4, right: true)) tracks   silhouette \(number(c.silhouette))\n"
                if !traits.isEmpty { out += "     \(traits.joined(separator: ", "))\n" }
            }
        }
        if !p.skipped.isEmpty {
            out += "\nSkipped\n"
            for s in p.skipped { out += "  \(s.path): \(s.reason)\n" }
        }
        return out
    }

    public static func diff(_ d: ProfileDiff, a: Profile, b: Profile) -> String {
        var out = "\"\(a.name)\" (\(a.trackCount) tracks) → \"\(b.name)\" (\(b.trackCount) tracks)\n"
        let moved = d.moved
        if moved.isEmpty {
            out += "No feature's median moved by \(number(d.threshold)) spreads or more.\n"
        } else {
            out += "\nMoved (median A → B, shift in pooled spreads)\n"
            for c in moved {
                let shift = c.shift.isFinite ? String(format: "%+.1f", c.shift) : (c.shift > 0 ? "+∞" : "−∞")
                out += "  \(pad(c.feature, 40)) \(pad(number(c.medianA), 8, right: true)) → \(pad(number(c.medianB), 8, right: true))   \(shift)\n"
            }
        }
        if !d.spectrum.isEmpty {
            out += "\nSpectrum bands whose median moved ≥ 1 dB (loudness-matched)\n"
            for band in d.spectrum {
                let hz = band.bandHz >= 1000 ? number(band.bandHz / 1000) + " kHz" : number(band.bandHz) + " Hz"
                out += "  \(pad(hz, 10, right: true))  \(String(format: "%+.1f", band.deltaDB)) dB\n"
            }
        }
        if !d.onlyInA.isEmpty { out += "\nOnly in \"\(a.name)\": \(d.onlyInA.joined(separator: ", "))\n" }
        if !d.onlyInB.isEmpty { out += "\nOnly in \"\(b.name)\": \(d.onlyInB.joined(separator: ", "))\n" }
        return out
    }

    public static func tracks(_ sources: [Profile.Source], profile: Profile) -> String {
        let names = Dictionary(profile.clusters.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var out = "\(pad("BPM", 6, right: true))  \(pad("key", 4))  \(pad("LUFS", 6, right: true))  \(pad("trance", 6, right: true))  \(pad("min", 5, right: true))  cluster  path\n"
        for s in sources {
            func f(_ key: String, _ format: String) -> String { s.features[key].map { String(format: format, $0) } ?? "–" }
            let cluster = s.cluster.map { "\($0)" } ?? "–"
            out += "\(pad(f("tempo.bpm", "%.1f"), 6, right: true))  \(pad(s.camelot ?? "–", 4))  \(pad(f("loudness.integrated_lufs", "%.1f"), 6, right: true))  \(pad(f("trance.score", "%.0f"), 6, right: true))  \(pad(String(format: "%.1f", s.durationS / 60), 5, right: true))  \(pad(cluster, 7))  \(s.path)\n"
        }
        out += "\(sources.count) tracks"
        if !names.isEmpty { out += "; clusters: " + profile.clusters.map { "\($0.id) \($0.name)" }.joined(separator: ", ") }
        return out + "\n"
    }
}
