import Foundation
import Testing
import UpliftAudio
import UpliftSynth

@Suite("Atomic audio file writer")
struct AudioFileWriterTests {
    let directory: URL
    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-writer-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func listing() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() }

    @Test("the target appears only at finish(); an unfinished writer leaves no trace and the old file intact")
    func atomic() throws {
        let target = directory.appendingPathComponent("out.wav").path
        let first = Tones.sine(frequencyHz: 500, levelDBFS: -10, durationS: 0.1, sampleRate: 8000)
        try AudioFileWriter.write(first, sampleRate: 8000, format: .wavFloat32, to: target)
        let original = try Data(contentsOf: URL(fileURLWithPath: target))
        do {
            let writer = try AudioFileWriter(path: target, format: .wavFloat32, sampleRate: 8000, channels: 2)
            try writer.write(Tones.silence(durationS: 0.2, sampleRate: 8000))
            // Mid-write: the old file is still what is at the target.
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == original)
            #expect(try listing().count == 2)
        }
        // Dropped without finish(): temporary gone, target untouched.
        #expect(try listing() == ["out.wav"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == original)
    }

    @Test("FLAC 16-bit round trip within one quantization step")
    func flacRoundTrip() throws {
        let target = directory.appendingPathComponent("tone.flac").path
        let samples = Tones.pinkNoise(levelDBFS: -18, durationS: 0.2, sampleRate: 44_100, seed: 5)
        try AudioFileWriter.write(samples, sampleRate: 44_100, format: .flac16, to: target)
        let reader = try AudioFileReader(path: target)
        let block = UnsafeMutablePointer<Float>.allocate(capacity: samples.count)
        defer { block.deallocate() }
        var got = 0
        while got < samples.count / 2 {
            let n = try reader.read(into: block + 2 * got, maxFrames: min(4096, samples.count / 2 - got))
            if n == 0 { break }
            got += n
        }
        #expect(got == samples.count / 2)
        #expect((0..<samples.count).allSatisfy { abs(block[$0] - samples[$0]) <= 1.0 / 32_768 + 1e-7 })
        #expect(try listing() == ["tone.flac"])
    }
}
