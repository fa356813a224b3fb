import Foundation
import UpliftModel

/// Maps device-agnostic fixes onto a Live set: which track (the mix bus for master moves, the role's
/// track for element moves), which device (an EQ Eight band that is off or already near the
/// frequency; a Utility; a Compressor), which parameters, old → new in the units Live displays.
/// A device the track lacks is reported as "add <device> to <track>", never faked.
public struct FixMapper: Sendable {
    public var set: LiveSetDescription
    public var roles: RoleTable
    /// `ableton.mix_bus_track` from the config; `nil` tries "Mix Bus", "Master Bus", ….
    public var mixBusTrack: String?
    /// An EQ band within this distance (octaves) of the wanted frequency, same shape and on, is reused.
    public static let nearOctaves = 1.0 / 3
    public static let eqGainRangeDB = -15.0...15.0
    public static let eqEightClass = "Eq8"
    public static let utilityClass = "StereoGain"
    public static let compressorClasses = ["Compressor2", "Compressor"]
    public static let limiterClass = "Limiter"
    /// Below this the low end stays mono whatever the width move (`Bass Mono`'s frequency).
    public static let bassMonoHz = 120.0

    public init(set: LiveSetDescription, roles: RoleTable = RoleTable(), mixBusTrack: String? = nil) {
        self.set = set; self.roles = roles; self.mixBusTrack = mixBusTrack
    }

    /// Maps every fix, in rank order. An EQ band one fix claims is not given to another, so approving
    /// two EQ fixes on the same track never makes the second overwrite the first.
    public func map(_ report: GapReport) -> GapReport {
        var report = report
        var claimed = Set<EQBand>()
        for g in report.gaps.indices {
            for f in report.gaps[g].fixes.indices { report.gaps[g].fixes[f] = map(report.gaps[g].fixes[f], claimed: &claimed) }
        }
        return report
    }

    /// One band of one EQ Eight on one track.
    struct EQBand: Hashable {
        var track: Int
        var device: Int
        var band: Int
    }

    public func map(_ fix: Fix) -> Fix {
        var claimed = Set<EQBand>()
        return map(fix, claimed: &claimed)
    }

    func map(_ fix: Fix, claimed: inout Set<EQBand>) -> Fix {
        var fix = fix
        fix.parameters = []; fix.needs = nil; fix.track = nil; fix.device = nil
        if case .song = fix.scope {
            if case let .tempo(bpm) = fix.action {
                fix.device = "Song"
                fix.parameters = [ParameterChange(name: "Tempo", unit: "BPM", old: set.tempoBPM, new: bpm,
                                                  oldText: set.tempoBPM.map { String(format: "%.2f", $0) }, newText: String(format: "%.2f", bpm))]
            }
            return fix
        }
        guard let track = resolveTrack(fix.scope, &fix) else { return fix }
        fix.track = track.name
        switch fix.action {
        case let .eq(shape, f, g, q):
            mapEQ(&fix, track: track, shape: shape, frequencyHz: f, gainDB: g, q: q, claimed: &claimed)
            if let trim = fix.trimDB { addOutputTrim(&fix, track: track, trimDB: trim) }
        case let .utility(w): mapUtility(&fix, track: track, widthPercent: w)
        case let .compressor(t, r): mapCompressor(&fix, track: track, thresholdDB: t, ratio: r)
        case let .sectionGain(section, g):
            let utility = track.devices.first { $0.className == Self.utilityClass }
            fix.device = utility?.name ?? "Utility"
            let old = utility?.parameter(named: "Gain")
            let oldDB = old.flatMap { ValueText.number($0.valueString) } ?? 0
            fix.parameters = [ParameterChange(name: "Gain", unit: "dB", old: old == nil ? nil : oldDB, new: oldDB + g,
                                              oldText: old?.valueString, newText: ValueText.decibels(oldDB + g))]
            fix.needs = "automation over every \(section) (AbletonOSC cannot write automation): draw the Gain envelope\(utility == nil ? " of a Utility added to \(track.name)" : "") by hand"
        case let .gain(g): mapGain(&fix, track: track, gainDB: g)
        case let .limiter(g, ceiling): mapLimiter(&fix, track: track, gainDB: g, ceilingDB: ceiling)
        case let .bassMono(f): mapBassMono(&fix, track: track, frequencyHz: f)
        case .restoreStereo: mapRestoreStereo(&fix, track: track)
        case .tempo, .advice: break
        }
        return fix
    }

    /// The boost's matching gain reduction on the same EQ Eight's Output Gain (true peak ≤ −1 dBTP).
    func addOutputTrim(_ fix: inout Fix, track: LiveSetDescription.Track, trimDB: Double) {
        let eq = track.devices.first { $0.className == Self.eqEightClass && $0.name == fix.device }
        let old = eq?.parameter(named: "Output Gain")
        let oldDB = old.flatMap { ValueText.number($0.valueString) } ?? 0
        let new = ((oldDB + trimDB) * 10).rounded() / 10
        fix.parameters.append(ParameterChange(name: "Output Gain", unit: "dB", old: old == nil ? nil : oldDB, new: new,
                                              oldText: old?.valueString, newText: ValueText.decibels(new)))
    }

    func mapGain(_ fix: inout Fix, track: LiveSetDescription.Track, gainDB g: Double) {
        guard let utility = track.devices.first(where: { $0.className == Self.utilityClass }), let gain = utility.parameter(named: "Gain") else {
            fix.device = "Utility"
            fix.needs = "add Utility to \(track.name)"
            fix.parameters = [ParameterChange(name: "Gain", unit: "dB", old: nil, new: (g * 10).rounded() / 10, oldText: nil, newText: ValueText.decibels(g))]
            return
        }
        let old = ValueText.number(gain.valueString) ?? 0
        let new = ((old + g) * 10).rounded() / 10
        fix.device = utility.name
        fix.parameters = [ParameterChange(name: gain.name, unit: "dB", old: old, new: new, oldText: gain.valueString, newText: ValueText.decibels(new))]
    }

    /// The Limiter's Gain moves by `gainDB`; its Ceiling never ends above `ceilingDB` (−1 dBTP).
    func mapLimiter(_ fix: inout Fix, track: LiveSetDescription.Track, gainDB g: Double, ceilingDB: Double) {
        guard let limiter = track.devices.first(where: { $0.className == Self.limiterClass }) else {
            fix.device = "Limiter"
            fix.needs = "add Live's Limiter as the last device on \(track.name) (True Peak mode where Live has it)"
            fix.parameters = [
                ParameterChange(name: "Gain", unit: "dB", old: nil, new: (g * 10).rounded() / 10, oldText: nil, newText: ValueText.decibels(g)),
                ParameterChange(name: "Ceiling", unit: "dB", old: nil, new: ceilingDB, oldText: nil, newText: ValueText.decibels(ceilingDB)),
            ]
            return
        }
        fix.device = limiter.name
        var changes: [ParameterChange] = []
        if let gain = limiter.parameter(named: "Gain") {
            let old = ValueText.number(gain.valueString) ?? 0
            let new = ((old + g) * 10).rounded() / 10
            changes.append(ParameterChange(name: gain.name, unit: "dB", old: old, new: new, oldText: gain.valueString, newText: ValueText.decibels(new)))
        }
        if let ceiling = limiter.parameter(named: "Ceiling") {
            let old = ValueText.number(ceiling.valueString) ?? 0
            if old > ceilingDB {
                changes.append(ParameterChange(name: ceiling.name, unit: "dB", old: old, new: ceilingDB, oldText: ceiling.valueString,
                                               newText: ValueText.decibels(ceilingDB)))
            }
        }
        fix.parameters = changes
    }

    /// The Utility that folds the mix to mono (Mono on, or Width under 10 %): on the mix bus first, then on
    /// any track. Nothing folds it: say so (the mono comes from the sources).
    func mapRestoreStereo(_ fix: inout Fix, track: LiveSetDescription.Track) {
        func folding(_ d: LiveSetDescription.Device) -> Bool {
            guard d.className == Self.utilityClass else { return false }
            let mono = d.parameter(named: "Mono").map { ValueText.isOn($0.valueString, raw: $0.value) } ?? false
            let width = (d.parameter(named: "Stereo Width") ?? d.parameter(named: "Width")).flatMap { ValueText.number($0.valueString) }
            return mono || (width.map { $0 < 10 } ?? false)
        }
        let candidates = [track] + set.tracks.filter { $0.index != track.index }
        guard let (t, utility) = candidates.lazy.compactMap({ t in t.devices.first(where: folding).map { (t, $0) } }).first else {
            fix.device = "Utility"
            fix.needs = "no Utility in the set folds the mix to mono (Mono off, Width 10 % or more everywhere): the mono comes from the sources; widen them there"
            return
        }
        fix.track = t.name
        fix.device = utility.name
        var changes: [ParameterChange] = []
        if let mono = utility.parameter(named: "Mono"), ValueText.isOn(mono.valueString, raw: mono.value) {
            changes.append(ParameterChange(name: mono.name, unit: "", old: 1, new: 0, oldText: mono.valueString, newText: "Off"))
        }
        if let width = utility.parameter(named: "Stereo Width") ?? utility.parameter(named: "Width"),
           let old = ValueText.number(width.valueString), old < 100 {
            changes.append(ParameterChange(name: width.name, unit: "%", old: old, new: 100, oldText: width.valueString, newText: ValueText.percent(100)))
        }
        fix.parameters = changes
    }

    func mapBassMono(_ fix: inout Fix, track: LiveSetDescription.Track, frequencyHz f: Double) {
        let utility = track.devices.first { $0.className == Self.utilityClass }
        if utility == nil { fix.needs = "add Utility to \(track.name)" }
        fix.device = utility?.name ?? "Utility"
        fix.parameters = Self.bassMonoChanges(utility, frequencyHz: f)
    }

    /// Bass Mono on at `f` (unless it is already on at or above it).
    static func bassMonoChanges(_ utility: LiveSetDescription.Device?, frequencyHz f: Double) -> [ParameterChange] {
        let mono = utility?.parameter(named: "Bass Mono"), freq = utility?.parameter(named: "Bass Freq")
        let isOn = mono.map { ValueText.isOn($0.valueString, raw: $0.value) } ?? false
        let oldHz = freq.flatMap { ValueText.number($0.valueString) }
        var changes: [ParameterChange] = []
        if !isOn {
            changes.append(ParameterChange(name: "Bass Mono", unit: "", old: mono.map { _ in 0 }, new: 1, oldText: mono?.valueString, newText: "On"))
        }
        if !isOn || (oldHz ?? 0) < f {
            changes.append(ParameterChange(name: "Bass Freq", unit: "Hz", old: oldHz, new: f.rounded(), oldText: freq?.valueString,
                                           newText: ValueText.hertz(f)))
        }
        return changes
    }

    func resolveTrack(_ scope: FixScope, _ fix: inout Fix) -> LiveSetDescription.Track? {
        switch scope {
        case .mixBus:
            guard let name = RoleTable.mixBusTrack(in: set, named: mixBusTrack), let t = set.track(named: name) else {
                fix.needs = mixBusTrack.map { "no track named \"\($0)\" (ableton.mix_bus_track): rename the mix-bus track or fix the config" }
                    ?? "no mix-bus track (AbletonOSC cannot reach the master): route every track into an audio track named \"Mix Bus\", or set ableton.mix_bus_track in config.toml"
                return nil
            }
            return t
        case let .role(role):
            guard let name = roles.trackName(for: role, in: set, mixBus: mixBusTrack), let t = set.track(named: name) else {
                if case .advice = fix.action { return nil }
                fix.needs = "no track for the role \"\(role)\": add `\(role) = \"TRACK NAME\"` under [roles] in config.toml"
                return nil
            }
            return t
        case let .track(name):
            guard let t = set.track(named: name) else {
                fix.needs = "no track named \"\(name)\" in the set (the stem's name): rename the stem file or the track"
                return nil
            }
            return t
        case .song: return nil
        }
    }

    static func liveType(_ shape: FixAction.EQShape) -> String {
        switch shape {
        case .bell: "Bell"
        case .lowShelf: "Low Shelf"
        case .highShelf: "High Shelf"
        }
    }

    func mapEQ(_ fix: inout Fix, track: LiveSetDescription.Track, shape: FixAction.EQShape, frequencyHz f: Double, gainDB g: Double, q: Double,
               claimed: inout Set<EQBand>) {
        let type = Self.liveType(shape)
        let eqs = track.devices.filter { $0.className == Self.eqEightClass }
        guard !eqs.isEmpty else {
            fix.device = "EQ Eight"
            fix.needs = "add EQ Eight to \(track.name)"
            fix.parameters = Self.bandParameters(band: 1, device: nil, type: type, frequencyHz: f, gainDB: g, q: q)
            return
        }
        // 1. A band already on, same shape, near the frequency: move its gain.
        for eq in eqs {
            for band in 1...8 where !claimed.contains(EQBand(track: track.index, device: eq.index, band: band)) {
                guard let on = eq.parameter(named: "\(band) Filter On A"), ValueText.isOn(on.valueString, raw: on.value),
                      let typeParam = eq.parameter(named: "\(band) Filter Type A"), typeParam.valueString.lowercased() == type.lowercased(),
                      let freq = eq.parameter(named: "\(band) Frequency A"), let bandHz = ValueText.number(freq.valueString),
                      abs(log2(bandHz / f)) <= Self.nearOctaves,
                      let gain = eq.parameter(named: "\(band) Gain A") else { continue }
                let old = ValueText.number(gain.valueString) ?? 0
                let new = min(max(old + g, Self.eqGainRangeDB.lowerBound), Self.eqGainRangeDB.upperBound)
                fix.device = eq.name
                fix.parameters = [ParameterChange(name: gain.name, unit: "dB", old: old, new: new, oldText: gain.valueString,
                                                  newText: ValueText.decibels(new))]
                claimed.insert(EQBand(track: track.index, device: eq.index, band: band))
                return
            }
        }
        // 2. A band that is off: switch it on with the whole move.
        for eq in eqs {
            for band in 1...8 where !claimed.contains(EQBand(track: track.index, device: eq.index, band: band)) {
                guard let on = eq.parameter(named: "\(band) Filter On A"), !ValueText.isOn(on.valueString, raw: on.value) else { continue }
                claimed.insert(EQBand(track: track.index, device: eq.index, band: band))
                fix.device = eq.name
                fix.parameters = Self.bandParameters(band: band, device: eq, type: type, frequencyHz: f, gainDB: g, q: q)
                return
            }
        }
        fix.device = "EQ Eight"
        fix.needs = "every band of the EQ Eight on \(track.name) is in use: add another EQ Eight to \(track.name)"
        fix.parameters = Self.bandParameters(band: 1, device: nil, type: type, frequencyHz: f, gainDB: g, q: q)
    }

    static func bandParameters(band: Int, device: LiveSetDescription.Device?, type: String, frequencyHz f: Double,
                               gainDB g: Double, q: Double) -> [ParameterChange] {
        func old(_ name: String) -> (Double?, String?) {
            guard let p = device?.parameter(named: name) else { return (nil, nil) }
            return (ValueText.number(p.valueString) ?? p.value, p.valueString)
        }
        let on = old("\(band) Filter On A"), ty = old("\(band) Filter Type A"), fr = old("\(band) Frequency A")
        let ga = old("\(band) Gain A"), re = old("\(band) Resonance A")
        return [
            ParameterChange(name: "\(band) Filter On A", unit: "", old: on.0, new: 1, oldText: on.1, newText: "On"),
            ParameterChange(name: "\(band) Filter Type A", unit: "", old: ty.0, new: Double(["Low Cut 48", "Low Cut 12", "Low Shelf", "Bell", "Notch", "High Shelf", "High Cut 12", "High Cut 48"].firstIndex(of: type) ?? 3),
                            oldText: ty.1, newText: type),
            ParameterChange(name: "\(band) Frequency A", unit: "Hz", old: fr.0, new: f.rounded(), oldText: fr.1, newText: ValueText.hertz(f)),
            ParameterChange(name: "\(band) Gain A", unit: "dB", old: ga.0, new: (g * 10).rounded() / 10, oldText: ga.1, newText: ValueText.decibels(g)),
            ParameterChange(name: "\(band) Resonance A", unit: "", old: re.0, new: (q * 100).rounded() / 100, oldText: re.1, newText: ValueText.plain(q)),
        ]
    }

    func mapUtility(_ fix: inout Fix, track: LiveSetDescription.Track, widthPercent: Double) {
        let factor = widthPercent / 100
        guard let utility = track.devices.first(where: { $0.className == Self.utilityClass }),
              let width = utility.parameter(named: "Stereo Width") ?? utility.parameter(named: "Width") else {
            fix.device = "Utility"
            fix.needs = "add Utility to \(track.name)"
            fix.parameters = [ParameterChange(name: "Stereo Width", unit: "%", old: nil, new: widthPercent.rounded(), oldText: nil,
                                              newText: ValueText.percent(widthPercent))]
            return
        }
        let old = ValueText.number(width.valueString) ?? width.value * 100
        let new = min(max(old * factor, 0), 400).rounded()
        fix.device = utility.name
        fix.parameters = [ParameterChange(name: width.name, unit: "%", old: old, new: new, oldText: width.valueString, newText: ValueText.percent(new))]
        // Never widen the sub: a widening move keeps Bass Mono on below 120 Hz (when the Utility has it).
        if new > old, utility.parameter(named: "Bass Mono") != nil {
            fix.parameters += Self.bassMonoChanges(utility, frequencyHz: Self.bassMonoHz)
        }
    }

    /// Release for a sidechain pump: 40 % of a beat, so the bass is back before the next kick.
    public static func sidechainReleaseMS(bpm: Double) -> Double { (0.4 * 60_000 / max(bpm, 40)).rounded() }

    func mapCompressor(_ fix: inout Fix, track: LiveSetDescription.Track, thresholdDB: Double, ratio: Double) {
        guard let comp = track.devices.first(where: { Self.compressorClasses.contains($0.className) }) else {
            fix.device = "Compressor"
            fix.needs = "add Compressor to \(track.name), with its sidechain fed by the kick"
            fix.parameters = [
                ParameterChange(name: "Threshold", unit: "dB", old: nil, new: (thresholdDB * 10).rounded() / 10, oldText: nil, newText: ValueText.decibels(thresholdDB)),
                ParameterChange(name: "Ratio", unit: "ratio", old: nil, new: ratio, oldText: nil, newText: ValueText.ratio(ratio)),
            ]
            return
        }
        fix.device = comp.name
        var changes: [ParameterChange] = []
        if let t = comp.parameter(named: "Threshold") {
            let old = ValueText.number(t.valueString) ?? 0
            let new = (min(old, thresholdDB) * 10).rounded() / 10
            if new != old { changes.append(ParameterChange(name: t.name, unit: "dB", old: old, new: new, oldText: t.valueString, newText: ValueText.decibels(new))) }
        }
        if let r = comp.parameter(named: "Ratio") {
            let old = ValueText.number(r.valueString) ?? 1
            if old < ratio { changes.append(ParameterChange(name: r.name, unit: "ratio", old: old, new: ratio, oldText: r.valueString, newText: ValueText.ratio(ratio))) }
        }
        // A sidechain pump recovers before the next kick: release about 40 % of a beat at the set's tempo.
        if case .role = fix.scope, let r = comp.parameter(named: "Release") {
            let new = Self.sidechainReleaseMS(bpm: set.tempoBPM ?? 138)
            let old = ValueText.number(r.valueString)
            if old.map({ abs($0 - new) > 0.15 * new }) ?? true {
                changes.append(ParameterChange(name: r.name, unit: "ms", old: old, new: new, oldText: r.valueString, newText: String(format: "%.0f ms", new)))
            }
        }
        fix.parameters = changes
        if changes.isEmpty { fix.needs = "the Compressor on \(track.name) already goes further: check its sidechain is fed by the kick" }
    }
}
