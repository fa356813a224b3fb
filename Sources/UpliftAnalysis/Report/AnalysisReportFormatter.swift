import Foundation
import UpliftModel

/// The readable `uplift analyze` report: a few aligned lines per section, units on every number,
/// and silence said as "-inf" (never "nan").
public enum AnalysisReportFormatter {
    public static func text(_ a: TrackAnalysis) -> String {
        var lines: [String] = []
        let minutes = Int(a.durationS) / 60
        let seconds = a.durationS - Double(minutes * 60)
        lines.append("\(a.file)")
        lines.append("  \(String(format: "%d:%04.1f", minutes, seconds))  ·  \(Int(a.sampleRate)) Hz  ·  \(a.channels) ch")
        if let l = a.loudness {
            lines.append("  Loudness    integrated \(number(l.integratedLUFS)) LUFS   range \(number(l.lraLU)) LU   "
                         + "true peak \(number(l.truePeakDBTP)) dBTP   sample peak \(number(l.samplePeakDBFS)) dBFS")
            lines.append("              short-term max \(number(l.shortTermMaxLUFS)) LUFS   momentary max \(number(l.momentaryMaxLUFS)) LUFS   "
                         + "PLR \(l.plrDB.isFinite ? number(l.plrDB) + " dB" : "n/a")")
        }
        if let s = a.spectrum {
            let balance = TrackAnalysis.Band.allCases.map { band in
                "\(label(band)) \(s.balanceDB[band].map { number($0) } ?? "n/a")"
            }.joined(separator: "   ")
            lines.append("  Balance     \(balance)  (dB of total)")
            // Every sixth 1/6-octave band: one reading per octave.
            let octaves = stride(from: 3, to: s.bandsHz.count, by: 6).map { i in
                "\(hertz(s.bandsHz[i])) \(number(s.levelsDB[i], decimals: 0))"
            }.joined(separator: "  ")
            lines.append("  Spectrum    \(octaves)  (dB, 1/6 octave)")
        }
        if let st = a.stereo {
            let bands = TrackAnalysis.Band.allCases.compactMap { band in
                st.bands[band].map { "\(label(band)) \(number($0.correlation, decimals: 2))" }
            }.joined(separator: "  ")
            lines.append("  Stereo      correlation \(number(st.correlation, decimals: 2))   side/mid \(number(st.sideMidRatio, decimals: 2))"
                         + (bands.isEmpty ? "" : "   per band: \(bands)"))
        }
        lines += (rhythmReportLines(a) + tranceReportLines(a)).map { "  " + $0 }
        for warning in a.warnings { lines.append("  Note        \(warning)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `report` fitted to a terminal `width` columns wide: a longer line breaks between words and
    /// goes on under its first value (the column after the row's label), so the labels stay a clear
    /// column; a word longer than the room left is cut where the line ends. Piped output is not
    /// wrapped (the caller passes a width only for a terminal).
    public static func wrapped(_ report: String, width: Int) -> String {
        let width = max(20, width)
        var out: [String] = []
        for line in report.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            guard line.count > width else { out.append(line); continue }
            let characters = Array(line)
            let lead = characters.prefix { $0 == " " }.count
            // The value column: after the label, the first character past a run of two spaces.
            var indent = lead + 2
            var i = lead
            while i + 2 < characters.count, !(characters[i] == " " && characters[i + 1] == " ") { i += 1 }
            while i < characters.count, characters[i] == " " { i += 1 }
            if i < characters.count, i <= width / 2 { indent = i }
            var rest = characters[...]
            var first = true
            while !rest.isEmpty {
                let prefix = first ? [] : [Character](repeating: " ", count: indent)
                let room = width - prefix.count
                if rest.count <= room { out.append(String(prefix + rest)); break }
                // Break at the last space that fits; a single long word is cut.
                var cut = rest.startIndex + room
                while cut > rest.startIndex, rest[cut] != " " { cut -= 1 }
                if cut == rest.startIndex { cut = rest.startIndex + room }
                out.append(String(prefix + rest[rest.startIndex..<cut]).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
                rest = rest[cut...].drop { $0 == " " }
                first = false
            }
        }
        return out.joined(separator: "\n")
    }

    static func number(_ x: Double, decimals: Int = 1) -> String { NumberFormat.fixed(x, decimals) }

    static func hertz(_ f: Double) -> String {
        f >= 1000 ? String(format: "%gk", (f / 100).rounded() / 10) : String(format: "%.0f", f)
    }

    static func label(_ band: TrackAnalysis.Band) -> String {
        switch band {
        case .sub: "sub"
        case .bass: "bass"
        case .lowMid: "low-mid"
        case .highMid: "high-mid"
        case .air: "air"
        }
    }
}
