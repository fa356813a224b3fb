import UpliftModel
@testable import UpliftTUI

/// A hand-built gap report: a spectrum gap (EQ fix), a stereo gap (Utility fix), an advice-only section gap.
enum GapFixtures {
    static let eqFix = Fix(id: "fix-eq", gapID: "gap-presence", action: .eq(shape: .bell, frequencyHz: 2670, gainDB: -2.5, q: 1.2),
                           scope: .mixBus, expectedEffect: "presence 3.5 dB → 1.0 dB above the median", expectedValue: 1.0,
                           confidence: 0.72, adviceOnly: false, track: "Mix Bus", device: "EQ Eight",
                           parameters: [ParameterChange(name: "3 Gain A", unit: "dB", old: 0, new: -2.5,
                                                        oldText: "0.0 dB", newText: "-2.5 dB")])
    static let presence = Gap(id: "gap-presence", kind: .spectrum, feature: "spectrum.band", section: nil, value: 3.5, unit: "dB",
                              profileP10: -1.0, profileP50: 0.0, profileP90: 1.2, z: 3.1, percentile: 98, direction: .high,
                              severity: 2.4, importance: 0.8, fixability: 0.9, priority: 1.73,
                              reason: "presence 2.3 dB above the profile's p90",
                              band: SpectrumBandGap(centreHz: 2670, lowHz: 2000, highHz: 3560, widthOctaves: 0.83, peakHz: 2830,
                                                    sizeDB: 3.5, outsideDB: 2.3, bandCount: 5),
                              fixes: [eqFix])
    static let widthFix = Fix(id: "fix-width", gapID: "gap-width", action: .utility(widthPercent: 130), scope: .mixBus,
                              expectedEffect: "side/mid 0.12 → 0.20", expectedValue: 0.2, confidence: 0.55, adviceOnly: false,
                              track: "Mix Bus", device: "Utility",
                              parameters: [ParameterChange(name: "Stereo Width", unit: "%", old: 100, new: 130,
                                                           oldText: "100 %", newText: "130 %")])
    static let width = Gap(id: "gap-width", kind: .feature, feature: "stereo.side_mid_ratio", section: "drop", value: 0.12, unit: "",
                           profileP10: 0.25, profileP50: 0.38, profileP90: 0.52, z: -2.0, percentile: 3, direction: .low,
                           severity: 1.3, importance: 0.7, fixability: 0.9, priority: 0.82,
                           reason: "the drop is narrower than 97 % of the references", fixes: [widthFix])
    static let adviceFix = Fix(id: "fix-advice", gapID: "gap-breakdown", action: .advice("lower the breakdown by 3 dB"),
                               scope: .song, expectedEffect: "breakdown 3 dB quieter than the drop", expectedValue: nil,
                               confidence: 0.4, adviceOnly: true)
    static let breakdown = Gap(id: "gap-breakdown", kind: .section, feature: "section.relative_rms_db", section: "breakdown",
                               value: -0.5, unit: "dB", profileP10: -6, profileP50: -4, profileP90: -2.5, z: 2.2, percentile: 95,
                               direction: .high, severity: 1.1, importance: 0.6, fixability: 0.15, priority: 0.1,
                               reason: "the breakdown is nearly as loud as the drop", fixes: [adviceFix], adviceOnly: true)

    static func report(rejectingBreakdown: Bool = false) -> GapReport {
        var advice = breakdown
        advice.rejected = rejectingBreakdown
        return GapReport(mix: "mix.wav", profile: "uplifting", cluster: nil, amount: 1, gaps: [presence, width, advice],
                         measured: [:])
    }
}
