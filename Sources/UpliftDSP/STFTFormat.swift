import Foundation

/// Window and hop sizes for a sample rate: 2048/512 at 44.1 kHz, scaled by the nearest power of two
/// so one frame spans about 46 ms and one hop about 12 ms at any rate from 8 kHz to 192 kHz.
public struct STFTFormat: Sendable, Equatable {
    public let sampleRate: Double
    public let windowSize: Int
    public let hopSize: Int

    public init(sampleRate: Double, windowSize: Int, hopSize: Int) throws(DSPError) {
        guard sampleRate >= 8000, sampleRate <= 192_000 else {
            throw DSPError(message: "sample rate \(sampleRate) Hz is outside 8 kHz…192 kHz")
        }
        guard hopSize > 0, hopSize <= windowSize else {
            throw DSPError(message: "hop size (\(hopSize)) is larger than window size (\(windowSize))")
        }
        self.sampleRate = sampleRate
        self.windowSize = windowSize
        self.hopSize = hopSize
    }

    public init(sampleRate: Double) throws(DSPError) {
        let octaves = Int(log2(max(sampleRate, 1) / 44_100).rounded())
        let windowSize = octaves >= 0 ? 2048 << octaves : 2048 >> -octaves
        try self.init(sampleRate: sampleRate, windowSize: windowSize, hopSize: windowSize / 4)
    }

    public var binCount: Int { windowSize / 2 + 1 }
    public var binHz: Double { sampleRate / Double(windowSize) }
    public var hopSeconds: Double { Double(hopSize) / sampleRate }
}
