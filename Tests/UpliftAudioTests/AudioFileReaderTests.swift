import Foundation
import Testing
import UpliftAudio
import UpliftSynth

@Suite("Decoder (libsndfile)")
struct AudioFileReaderTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-audio-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func readAll(_ reader: AudioFileReader) throws -> [Float] {
        var out: [Float] = []
        let block = UnsafeMutablePointer<Float>.allocate(capacity: 2 * 1024)
        defer { block.deallocate() }
        while true {
            let n = try reader.read(into: block, maxFrames: 1024)
            if n == 0 { break }
            out += UnsafeBufferPointer(start: block, count: 2 * n)
        }
        return out
    }

    @Test("mono is delivered as dual mono")
    func monoToDualMono() throws {
        let mono = (0..<1000).map { Float(sin(Double($0) * 0.05)) * 0.5 }
        let file = path("mono.wav")
        try AudioFileWriter.write(mono, channels: 1, sampleRate: 44_100, format: .wavFloat32, to: file)
        let reader = try AudioFileReader(path: file)
        #expect(reader.channels == 1 && reader.frameCount == 1000)
        let stereo = try readAll(reader)
        #expect(stereo.count == 2000)
        let lefts = stride(from: 0, to: stereo.count, by: 2).map { stereo[$0] }
        let rights = stride(from: 1, to: stereo.count, by: 2).map { stereo[$0] }
        #expect(lefts == mono)
        #expect(rights == mono)
        #expect(reader.warnings.isEmpty)
    }

    @Test("8 channels are down-mixed with the ITU-R BS.775 coefficients, with a warning")
    func downMix() throws {
        // Frame c carries 0.5 on channel c only, so each output frame shows that channel's coefficients.
        var samples = [Float](repeating: 0, count: 64)
        for c in 0..<8 { samples[8 * c + c] = 0.5 }
        let file = path("surround.wav")
        try AudioFileWriter.write(samples, channels: 8, sampleRate: 48_000, format: .wavFloat32, to: file)
        let reader = try AudioFileReader(path: file)
        let stereo = try readAll(reader)
        let g: Float = 0.5 * 0.70710677
        let expected: [(Float, Float)] = [(0.5, 0), (0, 0.5), (g, g), (0, 0), (g, 0), (0, g), (g, 0), (0, g)]
        for (c, (l, r)) in expected.enumerated() {
            #expect(abs(stereo[2 * c] - l) < 1e-6 && abs(stereo[2 * c + 1] - r) < 1e-6, "channel \(c)")
        }
        #expect(reader.warnings.contains { $0.contains("8 channels down-mixed") })
    }

    @Test("NaN and Inf samples are counted, zeroed and reported")
    func nonFinite() throws {
        var samples = Tones.sine(frequencyHz: 440, levelDBFS: -6, durationS: 0.1, sampleRate: 44_100)
        samples[10] = .nan; samples[11] = .infinity; samples[500] = -.infinity
        let file = path("nan.wav")
        try AudioFileWriter.write(samples, sampleRate: 44_100, format: .wavFloat32, to: file)
        let reader = try AudioFileReader(path: file)
        let out = try readAll(reader)
        #expect(reader.nonFiniteSamples == 3)
        #expect(out[10] == 0 && out[11] == 0 && out[500] == 0)
        #expect(out.allSatisfy { $0.isFinite })
        #expect(out[12] == samples[12])
        #expect(reader.warnings.contains { $0.contains("3 NaN/Inf samples") })
    }

    @Test("reads 22.05, 48, 96 and 192 kHz files at their own rate", arguments: [22_050, 48_000, 96_000, 192_000])
    func sampleRates(rate: Int) throws {
        let samples = Tones.sine(frequencyHz: 1000, levelDBFS: -12, durationS: 0.25, sampleRate: Double(rate))
        let file = path("rate-\(rate).flac")
        try AudioFileWriter.write(samples, sampleRate: rate, format: .flac24, to: file)
        let reader = try AudioFileReader(path: file)
        #expect(reader.sampleRate == Double(rate))
        #expect(reader.frameCount == Tones.frameCount(durationS: 0.25, sampleRate: Double(rate)))
        #expect(reader.formatName == "FLAC")
        let out = try readAll(reader)
        #expect(out.count == samples.count)
        let worst = zip(out, samples).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-6)
    }

    @Test("bad files fail with their own error code", arguments: ["missing", "directory", "empty", "text"])
    func badFiles(kind: String) throws {
        let file = path("bad-\(kind).wav")
        var expected: AudioError.Code
        switch kind {
        case "missing": expected = .notFound
        case "directory":
            try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: true); expected = .notAFile
        case "empty":
            FileManager.default.createFile(atPath: file, contents: Data()); expected = .empty
        default:
            FileManager.default.createFile(atPath: file, contents: Data("just some text, not audio\n".utf8)); expected = .unreadable
        }
        #expect { try AudioFileReader(path: file) } throws: { ($0 as? AudioError)?.code == expected }
    }
}
