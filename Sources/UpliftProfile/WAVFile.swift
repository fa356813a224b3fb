import Foundation
import UpliftDSP

/// A minimal 16-bit PCM WAV writer, streamed in blocks, for benchmark and test fixtures
/// (the analysis side reads through libsndfile; writing needs nothing that large).
public final class WAVFile {
    private let handle: FileHandle
    private let channels: Int
    private var framesWritten = 0
    private let sampleRate: Int

    public init(path: String, sampleRate: Int, channels: Int = 2) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ProfileError(.writeFailed, "cannot create WAV file", path: path)
        }
        self.handle = handle; self.channels = channels; self.sampleRate = sampleRate
        try handle.write(contentsOf: header(dataBytes: 0))
    }

    /// Interleaved samples in −1…1 (clipped).
    public func write(_ interleaved: [Float]) throws {
        var bytes = Data(count: interleaved.count * 2)
        bytes.withUnsafeMutableBytes { raw in
            let out = raw.bindMemory(to: Int16.self)
            for i in interleaved.indices {
                let v = max(-1, min(1, interleaved[i]))
                out[i] = Int16(v * 32767).littleEndian
            }
        }
        try handle.write(contentsOf: bytes)
        framesWritten += interleaved.count / channels
    }

    public func close() throws {
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: header(dataBytes: framesWritten * channels * 2))
        try handle.close()
    }

    private func header(dataBytes: Int) -> Data {
        var d = Data()
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { d.append(contentsOf: $0) } }
        d.append(contentsOf: Array("RIFF".utf8)); u32(36 + dataBytes); d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(channels); u32(sampleRate)
        u32(sampleRate * channels * 2); u16(channels * 2); u16(16)
        d.append(contentsOf: Array("data".utf8)); u32(dataBytes)
        return d
    }

    /// A test signal: a kick-like 55 Hz thump on every beat at `bpm`, a chord and noise, with a
    /// per-file `variant` so different files have different bytes.
    public static func writeTestTrack(path: String, seconds: Double, sampleRate: Int = 44_100, bpm: Double = 138,
                                      variant: UInt64 = 0) throws {
        let file = try WAVFile(path: path, sampleRate: sampleRate)
        var rng = SeededRandom(seed: variant &+ 1)
        let total = Int(seconds * Double(sampleRate))
        let block = 8192
        let beat = 60 / bpm
        let chord = [220.0, 261.63, 329.63].map { $0 * (1 + Double(variant % 7) * 0.01) }
        var frame = 0
        var buffer = [Float](repeating: 0, count: block * 2)
        while frame < total {
            let n = min(block, total - frame)
            for i in 0..<n {
                let t = Double(frame + i) / Double(sampleRate)
                let sinceBeat = t.truncatingRemainder(dividingBy: beat)
                let kick = exp(-sinceBeat * 18) * sin(2 * .pi * 55 * sinceBeat)
                var pad = 0.0
                for f in chord { pad += sin(2 * .pi * f * t) }
                let noise = Double(Int64(bitPattern: rng.next() >> 11) - (1 << 52)) / Double(1 << 52) * 0.02
                let l = 0.5 * kick + 0.08 * pad + noise, r = 0.5 * kick + 0.08 * pad - noise
                buffer[2 * i] = Float(l); buffer[2 * i + 1] = Float(r)
            }
            try file.write(n == block ? buffer : Array(buffer[0..<(2 * n)]))
            frame += n
        }
        try file.close()
    }
}
