import Foundation
import UpliftModel

/// Text report lines for tempo, rhythm, pumping, energy and sections (one line each, aligned
/// labels), for `uplift analyze`'s readable report. Sections absent from the analysis are skipped;
/// measurements that could not be made say so instead of showing a number.
func rhythmReportLines(_ a: TrackAnalysis) -> [String] {
    var lines: [String] = []
    func line(_ label: String, _ text: String) { lines.append(label.padding(toLength: 13, withPad: " ", startingAt: 0) + text) }
    func f(_ x: Double, _ digits: Int) -> String { NumberFormat.fixed(x, digits) }
    func clock(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "?" }
        let t = Int(s.rounded())
        return String(format: "%d:%02d", t / 60, t % 60)
    }

    if let t = a.tempo {
        if t.confidence < 0.15 {
            line("Tempo", "no steady beat found (confidence \(f(t.confidence, 2)))")
        } else {
            let alternative = t.alternativeBPM.map { " or \(f($0, 1))" } ?? ""
            line("Tempo", "\(f(t.bpm, 1))\(alternative) BPM · confidence \(f(t.confidence, 2)) · stability \(f(t.stability, 2)) · first beat \(f(t.firstBeatS, 2)) s")
        }
    }
    if let r = a.rhythm {
        line("Rhythm", "four-on-the-floor \(f(r.fourOnFloor, 2)) · offbeat hi-hat \(f(r.offbeatHihat, 2))")
    }
    if let p = a.pumping {
        if p.class == .none && p.depthDB == 0 {
            line("Pumping", "none measured")
        } else {
            line("Pumping", "\(p.class.rawValue) · depth \(f(p.depthDB, 1)) dB (\(f(p.depthLinear, 2)) linear) · regularity \(f(p.regularity, 2))")
        }
    }
    if let e = a.energy, !e.curve.isEmpty {
        let levels = e.curve.map(\.rmsDB).filter(\.isFinite)
        if let lo = levels.min(), let hi = levels.max() {
            line("Energy", "\(e.curve.count) bars · RMS \(f(lo, 1)) … \(f(hi, 1)) dB · \(sparkline(e.curve.map(\.rmsDB), width: 48))")
        }
    }
    if let sections = a.sections, !sections.isEmpty {
        line("Sections", sections.map { "\($0.kind.rawValue) \(clock($0.startS))–\(clock($0.endS))" }.joined(separator: " · "))
    }
    if let silence = a.silence, !silence.isEmpty {
        line("Silence", silence.map { "\(clock($0.startS))–\(clock($0.endS))" }.joined(separator: " · ") + " (not part of the sections)")
    }
    return lines
}

/// Eighth-block bars of `values` resampled to at most `width` characters (non-finite values as the floor).
private func sparkline(_ values: [Double], width: Int) -> String {
    let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    let finite = values.filter(\.isFinite)
    guard let lo = finite.min(), let hi = finite.max(), !values.isEmpty else { return "" }
    let n = min(width, values.count)
    return String((0..<n).map { i -> Character in
        let a = i * values.count / n, b = max(a + 1, (i + 1) * values.count / n)
        let slice = values[a..<b].filter(\.isFinite)
        guard !slice.isEmpty, hi > lo else { return blocks[0] }
        let v = slice.reduce(0, +) / Double(slice.count)
        return blocks[min(7, Int((v - lo) / (hi - lo) * 7.999))]
    })
}
