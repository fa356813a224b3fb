import Foundation

/// What a sound file may claim before Uplift refuses it, and how far a header's length is trusted.
///
/// Headers are read from untrusted bytes: a corrupt MP3 header can announce 101 days in 48 KB and a
/// truncated OGG 2⁶³−1 frames. Nothing is ever sized from such a number; it is only believed when
/// the bytes on disk could hold it.
public enum DecodeLimits {
    /// Longer than a day is not a mix; past this, reading stops with an error.
    public static let maxDurationS = 24 * 3600
    public static let maxChannels = 32
    public static let sampleRates = 8_000...384_000
    /// More frames per byte on disk than any real encoding gives. FLAC's constant subframes for
    /// digital silence reach a few hundred; MP3 is ≤ 8, Vorbis silence a few hundred.
    public static let maxFramesPerByte = 4096

    public static func maxFrames(sampleRate: Int) -> Int { maxDurationS * max(sampleRate, 1) }

    /// A clear error for a header outside what Uplift reads (before anything is allocated for it).
    public static func check(channels: Int, sampleRate: Int, path: String?) throws(AudioError) {
        guard (1...maxChannels).contains(channels) else {
            throw AudioError(.unsupportedFormat, "header declares \(channels) channels; Uplift reads 1 to \(maxChannels) (a corrupt header?)", path: path)
        }
        guard sampleRates.contains(sampleRate) else {
            throw AudioError(.unsupportedFormat, "header declares \(sampleRate) Hz; Uplift reads 8 kHz to 384 kHz (a corrupt header?)", path: path)
        }
    }

    /// The declared length can be believed: positive, at most a day, and no more than the bytes could encode.
    public static func isPlausible(declaredFrames: Int, bytesOnDisk: Int, sampleRate: Int) -> Bool {
        guard declaredFrames > 0, declaredFrames <= maxFrames(sampleRate: sampleRate) else { return false }
        let (bound, overflow) = bytesOnDisk.multipliedReportingOverflow(by: maxFramesPerByte)
        return overflow || declaredFrames <= bound
    }

    public static func tooLongMessage(sampleRate: Double) -> String {
        "decodes to more than \(maxDurationS / 3600) hours of audio at \(Int(sampleRate)) Hz; Uplift reads at most \(maxDurationS / 3600) hours (split the file)"
    }

    /// One line for a header whose length is not what decoded.
    public static func disagreementWarning(declared: Int, decoded: Int, sampleRate: Double) -> String {
        let decodedText = duration(Double(decoded) / sampleRate)
        if declared == Int.max || declared <= 0 {
            return "the stream does not say its length (unfinished or truncated?); \(decodedText) decoded"
        }
        return "the header declares \(duration(Double(declared) / sampleRate)) but \(decodedText) decoded; the report covers what decoded (a corrupt header?)"
    }

    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<120: String(format: "%.2f s", seconds)
        case ..<(2 * 3600): String(format: "%.1f min", seconds / 60)
        case ..<(3 * 86_400): String(format: "%.1f h", seconds / 3600)
        default: String(format: "%.0f days", seconds / 86_400)
        }
    }
}
