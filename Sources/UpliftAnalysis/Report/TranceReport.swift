import Foundation
import UpliftModel

/// The text report's trance-detector lines: key, acid, supersaw, brightness and the trance score
/// with each component's value, weight and reason. Sections the analysis could not measure say so.
func tranceReportLines(_ a: TrackAnalysis) -> [String] {
    var lines: [String] = []
    if let key = a.key {
        let confidence = key.strength >= 0.7 ? "clear" : (key.strength >= 0.5 ? "likely" : "uncertain")
        lines.append(String(format: "Key          %@ %@ (%@), strength %.2f, %@", key.tonic, key.mode, key.camelot,
                            key.strength, confidence))
    } else {
        lines.append("Key          not measured (no tonal content)")
    }
    if let acid = a.acid {
        lines.append(String(format: "Acid (303)   %.2f  sweep %.2f · resonance %.2f · glide %.2f · accent %.2f",
                            acid.score, acid.sweep, acid.resonance, acid.glide, acid.accent))
    } else {
        lines.append("Acid (303)   not measured")
    }
    if let s = a.supersaw {
        let detune = s.detuneCents.map { String(format: "±%.0f cents", $0) } ?? "not found (no detuned pads or leads)"
        lines.append(String(format: "Supersaw     width %.2f · correlation %.2f · detune %@", s.width, s.correlation, detune as NSString))
    } else {
        lines.append("Supersaw     not measured (no pad/lead band content)")
    }
    if let b = a.brightness {
        lines.append(String(format: "Brightness   centroid %.0f Hz · %.1f %% energy above 4 kHz", b.centroidHz, 100 * b.highRatio))
    } else {
        lines.append("Brightness   not measured (silence)")
    }
    if let trance = a.trance {
        lines.append(String(format: "Trance score %.0f / 100", trance.score))
        let nameWidth = trance.components.map(\.readableName.count).max() ?? 0
        for c in trance.components {
            let name = c.readableName.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            guard c.isMeasured else {
                lines.append(String(format: "  %@ not measured   × %.2f  %@", name, c.weight, c.reason))
                continue
            }
            let filled = Int((c.value * 10).rounded())
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 10 - filled)
            lines.append(String(format: "  %@ %@ %.2f × %.2f  %@", name, bar, c.value, c.weight, c.reason))
        }
    }
    return lines
}
