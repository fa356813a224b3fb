import Foundation
import UpliftDSP

extension RhythmMath {
    /// Log-Gaussian tempo prior: 1 at `centreBPM`, falling by e^-1/2 every `octaves` octaves away.
    /// Centred on trance's 139 BPM: the prior that keeps a 138 BPM track from reading 69 or 276.
    static func tempoPrior(bpm: Double, centreBPM: Double = 139, octaves: Double = 1) -> Double {
        let d = log2(bpm / centreBPM) / octaves
        return exp(-0.5 * d * d)
    }
}
