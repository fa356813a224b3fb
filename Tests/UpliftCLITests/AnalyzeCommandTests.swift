import Foundation
import Testing
import UpliftSynth
import UpliftTestSupport

/// End-to-end: the built `uplift analyze` on files written into a temporary folder.
@Suite("uplift analyze (end to end)")
struct AnalyzeCommandTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ data: Data) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A 4 s stereo 1 kHz sine at -23 dBFS: -23 LUFS.
    func goodFile(_ name: String = "good.wav") throws -> String {
        try write(name, WAVBytes.float32(Tones.sine(frequencyHz: 1000, levelDBFS: -23, durationS: 4, sampleRate: 44_100),
                                         channels: 2, sampleRate: 44_100))
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }

    @Test("a readable report with units, exit status 0")
    func textReport() throws {
        let file = try goodFile()
        let r = try UpliftBinary.run(["analyze", file])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.contains(file))
        #expect(r.stdout.contains("integrated -23.0 LUFS"))
        #expect(r.stdout.contains("dBTP") && r.stdout.contains("Balance") && r.stdout.contains("correlation 1.00"))
    }

    @Test("--json on one file prints one object with the uplift.analysis/2 keys")
    func jsonOneFile() throws {
        let file = try goodFile()
        let r = try UpliftBinary.run(["analyze", file, "--json"])
        #expect(r.status == 0)
        let object = try #require(try json(r.stdout) as? [String: Any])
        #expect(object["schema"] as? String == "uplift.analysis/2")
        #expect(object["file"] as? String == file)
        #expect(abs((object["duration_s"] as? Double ?? 0) - 4) < 1e-6)
        #expect(object["sample_rate"] as? Double == 44_100)
        #expect(object["channels"] as? Int == 2)
        let loudness = try #require(object["loudness"] as? [String: Any])
        #expect(abs((loudness["integrated_lufs"] as? Double ?? 0) - -23) < 0.1)
        for key in ["lra_lu", "true_peak_dbtp", "sample_peak_dbfs", "short_term_max_lufs"] {
            #expect(loudness[key] is Double, "loudness.\(key)")
        }
        let spectrum = try #require(object["spectrum"] as? [String: Any])
        let bands = try #require(spectrum["bands_hz"] as? [Double])
        let levels = try #require(spectrum["levels_db"] as? [Double])
        #expect(bands.count == levels.count && bands.count >= 59)
        let balance = try #require(spectrum["balance_db"] as? [String: Double])
        #expect(Set(balance.keys) == ["sub", "bass", "low_mid", "high_mid", "air"])
        let stereo = try #require(object["stereo"] as? [String: Any])
        #expect(abs((stereo["correlation"] as? Double ?? 0) - 1) < 1e-3)
        #expect((stereo["side_mid_ratio"] as? Double ?? 1) < 1e-3)
    }

    @Test("--json on several files prints an array, in order")
    func jsonSeveralFiles() throws {
        let a = try goodFile("a.wav"), b = try goodFile("b.wav")
        let r = try UpliftBinary.run(["analyze", a, b, "--json"])
        #expect(r.status == 0)
        let array = try #require(try json(r.stdout) as? [[String: Any]])
        #expect(array.map { $0["file"] as? String } == [a, b])
    }

    @Test("bad inputs: one line each naming the file and the cause, non-zero exit, the good file still analysed")
    func badInputs() throws {
        let good = try goodFile()
        let missing = directory.appendingPathComponent("missing.wav").path
        let folder = directory.appendingPathComponent("folder.wav").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = try write("notes.wav", Data("these are my mix notes, not audio\n".utf8))
        let empty = try write("empty.wav", Data())
        let sine = Tones.sine(frequencyHz: 440, levelDBFS: -12, durationS: 2, sampleRate: 44_100)
        let truncated = try write("truncated.wav", WAVBytes.float32(sine, channels: 2, sampleRate: 44_100, keepDataBytes: sine.count * 4 / 4))

        let r = try UpliftBinary.run(["analyze", missing, folder, text, empty, truncated, good, "--json"])
        #expect(r.status == 1)
        let causes: [(String, String)] = [(missing, "no such file"), (folder, "directory"), (text, "not a readable audio file"),
                                          (empty, "empty"), (truncated, "truncated")]
        for (file, cause) in causes {
            let lines = r.stderrLines.filter { $0.contains(file + ":") }
            #expect(lines.count == 1, "\(file): \(r.stderr)")
            #expect(lines.first?.hasPrefix("uplift: error: ") == true)
            #expect(lines.first?.contains(cause) == true, "\(cause) in \(lines)")
        }
        // The truncated file says how much was readable: 0.50 s of the announced 2.00 s.
        #expect(r.stderr.contains("(2.00 s)") && r.stderr.contains("(0.50 s)"))
        // --json: one entry per file, in order; the ones that could not be analysed say why with a stable kind.
        let array = try #require(try json(r.stdout) as? [[String: Any]])
        #expect(array.compactMap { $0["file"] as? String } == [missing, folder, text, empty, truncated, good])
        let kinds = array.map { ($0["error"] as? [String: Any])?["kind"] as? String }
        #expect(kinds == ["not_found", "unreadable", "unreadable", "unreadable", nil, nil], "\(kinds)")
        let goodLoudness = try #require(array.last?["loudness"] as? [String: Any])
        #expect(abs((goodLoudness["integrated_lufs"] as? Double ?? 0) - -23) < 0.1)
    }

    @Test("an all-silent file: loudness -inf said plainly (never nan), with a note, exit 2")
    func silentFile() throws {
        let file = try write("silent.wav", WAVBytes.float32(Tones.silence(durationS: 2, sampleRate: 44_100), channels: 2, sampleRate: 44_100))
        let text = try UpliftBinary.run(["analyze", file])
        #expect(text.status == 2)
        #expect(text.stdout.contains("integrated -inf LUFS"))
        // "nan" as a word or value, not inside "resonance".
        #expect(text.stdout.lowercased().range(of: #"\bnan\b"#, options: .regularExpression) == nil)
        #expect(text.stderrLines.count == 1)
        #expect(text.stderr.contains("uplift: warning: \(file): all samples are silent"))
        let r = try UpliftBinary.run(["analyze", file, "--json"])
        #expect(!r.stdout.contains("\"nan\""))
        let object = try #require(try json(r.stdout) as? [String: Any])
        let loudness = try #require(object["loudness"] as? [String: Any])
        #expect(loudness["integrated_lufs"] as? String == "-inf")
        #expect(loudness["true_peak_dbtp"] as? String == "-inf")
    }

    @Test("NaN and Inf samples are counted, zeroed and warned about; the rest is analysed")
    func nonFiniteSamples() throws {
        var samples = Tones.sine(frequencyHz: 1000, levelDBFS: -23, durationS: 4, sampleRate: 44_100)
        samples[100] = .nan; samples[2001] = .infinity; samples[90_000] = -.infinity; samples[90_001] = .nan
        let file = try write("nan.wav", WAVBytes.float32(samples, channels: 2, sampleRate: 44_100))
        let r = try UpliftBinary.run(["analyze", file, "--json"])
        #expect(r.status == 2)
        #expect(r.stderrLines == ["uplift: warning: \(file): 4 NaN/Inf samples replaced by silence"])
        let object = try #require(try json(r.stdout) as? [String: Any])
        #expect((object["warnings"] as? [String])?.contains("4 NaN/Inf samples replaced by silence") == true)
        let loudness = try #require(object["loudness"] as? [String: Any])
        #expect(abs((loudness["integrated_lufs"] as? Double ?? 0) - -23) < 0.1)
        // Zeroed samples are clicks: the reconstructed waveform overshoots a little around them.
        #expect((loudness["true_peak_dbtp"] as? Double ?? 99) < -21)
    }

    @Test("a 192 kHz 8-channel file is down-mixed with a warning and analysed at its rate")
    func surround192k() throws {
        // 1 kHz at -23 dBFS on the front pair only; the other six channels silent.
        let frames = 192_000 / 2
        var samples = [Float](repeating: 0, count: frames * 8)
        let stereo = Tones.sine(frequencyHz: 1000, levelDBFS: -23, durationS: 0.5, sampleRate: 192_000)
        for f in 0..<frames { samples[8 * f] = stereo[2 * f]; samples[8 * f + 1] = stereo[2 * f + 1] }
        let file = try write("surround.wav", WAVBytes.float32(samples, channels: 8, sampleRate: 192_000))
        let r = try UpliftBinary.run(["analyze", file, "--json"])
        #expect(r.status == 2)
        #expect(r.stderrLines == ["uplift: warning: \(file): 8 channels down-mixed to stereo (ITU-R BS.775)"])
        let object = try #require(try json(r.stdout) as? [String: Any])
        #expect(object["sample_rate"] as? Double == 192_000)
        #expect(object["channels"] as? Int == 8)
        let loudness = try #require(object["loudness"] as? [String: Any])
        #expect(abs((loudness["momentary_max_lufs"] as? Double ?? 0) - -23) < 0.1)
    }
}
