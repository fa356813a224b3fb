import Foundation
import UpliftTestSupport

/// Audio files the CLI tests hand to `uplift`: written with `WAVBytes` (this target cannot link the decoder module).
enum TestAudioFile {
    /// Interleaved stereo float32 as a float WAV.
    static func writeStereoWAV(_ samples: [Float], sampleRate: Int, to url: URL) throws {
        try WAVBytes.float32(samples, channels: 2, sampleRate: sampleRate).write(to: url)
    }

    /// Raw interleaved stereo float32 bytes as a float WAV.
    static func writeStereoWAV(_ bytes: Data, sampleRate: Int, to url: URL) throws {
        try writeStereoWAV(bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, sampleRate: sampleRate, to: url)
    }
}
