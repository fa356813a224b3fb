/// The scalar features of an analysis as one flat map, named by their JSON key paths.
///
/// Profiles keep statistics per name and gap analysis compares a mix name by name, so the names
/// are exactly the dotted paths of `uplift analyze --json` (`loudness.integrated_lufs`,
/// `spectrum.balance_db.sub`, `stereo.bands.bass.side_mid_ratio`, `trance.components.pumping`).
/// Sections the analysis lacks give no keys. Values are as measured: a silent track has
/// `loudness.integrated_lufs` = -inf; statistics skip non-finite values.
///
/// Left out on purpose: `sample_rate`, `channels` (file format, not taste), `tempo.first_beat_s`
/// (a phase, meaningless across tracks), `pumping.class` and key tonic/mode (categorical: the key
/// has its own histogram), and the arrays (spectrum levels, energy curve, sections), which profiles
/// summarize separately.
extension TrackAnalysis {
    public var scalarFeatures: [String: Double] {
        var f: [String: Double] = ["duration_s": durationS]
        if let l = loudness {
            f["loudness.integrated_lufs"] = l.integratedLUFS
            f["loudness.lra_lu"] = l.lraLU
            f["loudness.true_peak_dbtp"] = l.truePeakDBTP
            f["loudness.sample_peak_dbfs"] = l.samplePeakDBFS
            f["loudness.short_term_max_lufs"] = l.shortTermMaxLUFS
            f["loudness.momentary_max_lufs"] = l.momentaryMaxLUFS
            f["loudness.plr_db"] = l.plrDB
        }
        if let s = spectrum {
            for (band, level) in s.balanceDB { f["spectrum.balance_db.\(band.rawValue)"] = level }
        }
        if let s = stereo {
            f["stereo.correlation"] = s.correlation
            f["stereo.side_mid_ratio"] = s.sideMidRatio
            for (band, b) in s.bands {
                f["stereo.bands.\(band.rawValue).correlation"] = b.correlation
                f["stereo.bands.\(band.rawValue).side_mid_ratio"] = b.sideMidRatio
            }
        }
        if let t = tempo {
            f["tempo.bpm"] = t.bpm
            f["tempo.confidence"] = t.confidence
            f["tempo.stability"] = t.stability
        }
        if let r = rhythm {
            f["rhythm.four_on_floor"] = r.fourOnFloor
            f["rhythm.offbeat_hihat"] = r.offbeatHihat
        }
        if let p = pumping {
            f["pumping.depth_db"] = p.depthDB
            f["pumping.depth_linear"] = p.depthLinear
            f["pumping.regularity"] = p.regularity
        }
        if let a = acid {
            f["acid.score"] = a.score
            f["acid.sweep"] = a.sweep
            f["acid.resonance"] = a.resonance
            f["acid.glide"] = a.glide
            f["acid.accent"] = a.accent
        }
        if let s = supersaw {
            f["supersaw.width"] = s.width
            f["supersaw.correlation"] = s.correlation
            if let detune = s.detuneCents { f["supersaw.detune_cents"] = detune }
        }
        if let b = brightness {
            f["brightness.centroid_hz"] = b.centroidHz
            f["brightness.high_ratio"] = b.highRatio
        }
        if let k = key { f["key.strength"] = k.strength }
        if let t = trance {
            f["trance.score"] = t.score
            for c in t.components { f["trance.components.\(c.name)"] = c.value }
        }
        return f
    }

    /// `scalarFeatures` without the non-finite values (what statistics and clustering use).
    public var finiteScalarFeatures: [String: Double] { scalarFeatures.filter { $0.value.isFinite } }
}
