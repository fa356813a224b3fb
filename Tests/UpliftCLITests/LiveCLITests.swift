import Foundation
import Testing

/// `uplift devices`, `uplift live` and `uplift watch` run as child processes, with HOME pointing at
/// a folder whose `.asoundrc` defines ALSA `file` PCMs: `uplift_in` reads a raw float32 tone
/// (a real capture device PortAudio lists and reads) and `uplift_out` records what we play.
/// PortAudio reads ~/.asoundrc at `Pa_Initialize`, hence a child process per run.
@Suite struct LiveCLITests {
    static let rate = 48_000

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    static var uplift: URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(configuration)/uplift")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return root.appendingPathComponent(".build/debug/uplift")
    }

    static func run(_ arguments: [String], home: URL? = nil, stdin: Data? = nil, timeoutS: Double = 30) throws -> Run {
        let process = Process()
        process.executableURL = uplift
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let home { environment["HOME"] = home.path }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            let handle = input.fileHandleForWriting
            Thread {
                try? handle.write(contentsOf: stdin)
                try? handle.close()
            }.start()
        }
        let outData = ReadAll(out.fileHandleForReading), errData = ReadAll(err.fileHandleForReading)
        let deadline = Date().addingTimeInterval(timeoutS)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: outData.wait(), stderr: errData.wait())
    }

    /// Raw interleaved float32 stereo of a sine.
    static func toneFloat32(frequencyHz: Double, amplitude: Float = 0.5, seconds: Double) -> Data {
        var data = Data()
        let frames = Int(seconds * Double(rate))
        data.reserveCapacity(frames * 8)
        for i in 0..<frames {
            let v = amplitude * Float(sin(2 * Double.pi * frequencyHz * Double(i) / Double(rate)))
            withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0); data.append(contentsOf: $0) }
        }
        return data
    }

    /// A HOME with `uplift_in` reading `infile` and `uplift_out` recording to `recording`.
    static func alsaHome(tone: Data) throws -> (home: URL, recording: URL) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-alsa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let infile = home.appendingPathComponent("tone.f32")
        try tone.write(to: infile)
        let recording = home.appendingPathComponent("out.raw")
        let asoundrc = """
        pcm.uplift_in { type file; slave.pcm "null"; file "/dev/null"; infile "\(infile.path)"; format "raw" }
        pcm.uplift_out { type file; slave.pcm "null"; file "\(recording.path)"; format "raw" }
        """
        try asoundrc.write(to: home.appendingPathComponent(".asoundrc"), atomically: true, encoding: .utf8)
        return (home, recording)
    }

    /// The `band N Hz` figures of `--print` lines.
    static func peakBands(_ output: String) -> [Int] {
        output.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: #"band (\d+) Hz"#, options: .regularExpression) else { return nil }
            return Int(line[range].split(separator: " ")[1])
        }
    }

    @Test func devicesListsTheALSAFileDevices() throws {
        let (home, _) = try Self.alsaHome(tone: Self.toneFloat32(frequencyHz: 1000, seconds: 0.1))
        let result = try Self.run(["devices"], home: home)
        #expect(result.status == 0)
        let inputs = result.stdout.components(separatedBy: "Outputs:")[0]
        #expect(inputs.contains("Inputs:"))
        #expect(inputs.contains("uplift_in"))
        #expect(result.stdout.components(separatedBy: "Outputs:").last?.contains("uplift_out") == true)
        #expect(result.stdout.contains("ALSA"))
    }

    @Test(arguments: [1000, 4000])
    func captureFromTheALSAFileDeviceFindsTheTone(frequencyHz: Int) throws {
        let (home, _) = try Self.alsaHome(tone: Self.toneFloat32(frequencyHz: Double(frequencyHz), seconds: 2))
        let result = try Self.run(["live", "--input", "uplift_in", "--rate", "48000", "--headless", "1.5"], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        let bands = Self.peakBands(result.stdout)
        #expect(!bands.isEmpty, "no status lines: \(result.stdout) \(result.stderr)")
        #expect(bands.last == frequencyHz, "\(result.stdout)")
        #expect(result.stdout.contains("level -9.0 dBFS"), "the file device delivers the 0.5-amplitude sine unchanged")
    }

    @Test func unknownDeviceGetsAClearError() throws {
        let (home, _) = try Self.alsaHome(tone: Self.toneFloat32(frequencyHz: 1000, seconds: 0.1))
        let result = try Self.run(["live", "--input", "BlackHole 2ch", "--headless", "1"], home: home)
        #expect(result.status != 0)
        #expect(result.stderr.contains("no input device \"BlackHole 2ch\""))
        #expect(result.stderr.contains("uplift_in"))
    }

    @Test func standardInputPCMFindsTheTone() throws {
        // Mono s16le at 48 kHz, 2 kHz tone: exercises format, rate and channel handling.
        var data = Data()
        for i in 0..<(Self.rate * 3 / 2) {
            let v = Int16(16_384 * sin(2 * Double.pi * 2000 * Double(i) / Double(Self.rate)))
            withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) }
        }
        let result = try Self.run(["live", "--input", "-", "--format", "s16le", "--rate", "48000", "--channels", "1", "--lossless"],
                                  stdin: data)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.peakBands(result.stdout).last == 2000, "\(result.stdout)")
        #expect(result.stdout.contains("ended"))
        #expect(result.stdout.contains("end of input after 1.5 s"))
        #expect(result.stdout.contains("drops 0"))
    }

    @Test func fifoPCMFindsTheTone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fifo = folder.appendingPathComponent("master.pcm")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let tone = Self.toneFloat32(frequencyHz: 500, seconds: 1)
        Thread {
            guard let handle = FileHandle(forWritingAtPath: fifo.path) else { return }  // blocks until uplift opens it
            try? handle.write(contentsOf: tone)
            try? handle.close()
        }.start()
        let result = try Self.run(["live", "--input", fifo.path, "--rate", "48000", "--lossless"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.peakBands(result.stdout).last == 500, "\(result.stdout)")
    }

    @Test func playbackIsRecordedThroughTheALSAFileOutput() throws {
        let (home, recording) = try Self.alsaHome(tone: Self.toneFloat32(frequencyHz: 1000, seconds: 0.1))
        // A 0.5 s, 1 kHz, 0.5-amplitude WAV (float32 stereo).
        let wav = home.appendingPathComponent("mix.wav")
        try Self.writeWAV(Self.toneFloat32(frequencyHz: 1000, seconds: 0.5), to: wav)
        let result = try Self.run(["watch", wav.path, "--output-device", "uplift_out", "--headless", "5"], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ended"), "\(result.stdout)")
        let raw = try Data(contentsOf: recording)
        let samples = raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let check = Self.sineFrames(stereo: samples, frequencyHz: 1000)
        // The null slave outruns real time, so underruns splice runs of exact zeros into the
        // recording wherever the player fell behind. Those gaps are ours to ignore; what was played
        // must be the whole 0.5 s tone, identical on both channels, to its last frame, and nothing
        // else: 24,000 frames, less frame 0 (sin 0 is an exact zero).
        #expect(check.toneFrames == 23_999,
                "recorded \(check.toneFrames) tone frames, \(check.otherFrames) others, of \(samples.count / 2) frames")
        #expect(check.otherFrames == 0, "recorded \(check.otherFrames) frames that are not the tone")
    }

    /// Sorts the non-zero frames of an interleaved stereo recording: a frame is the
    /// `frequencyHz` sine's when left equals right and, inside its run of non-zero frames, it obeys
    /// the sine's recurrence x[n+1] = 2·cos(ω)·x[n] − x[n−1] (tested wherever both neighbours
    /// are in the run). Position-independent, so gaps of silence wherever the device underran cost
    /// nothing; a lost, wrong-pitched, noisy or distorted frame, or differing channels, do.
    static func sineFrames(stereo samples: [Float], frequencyHz: Double) -> (toneFrames: Int, otherFrames: Int) {
        let frames = samples.count / 2
        let twoCos = Float(2 * cos(2 * Double.pi * frequencyHz / Double(rate)))
        func left(_ i: Int) -> Float { samples[2 * i] }
        func silent(_ i: Int) -> Bool { samples[2 * i] == 0 && samples[2 * i + 1] == 0 }
        var tone = 0, other = 0
        for i in 0..<frames where !silent(i) {
            guard samples[2 * i] == samples[2 * i + 1] else { other += 1; continue }
            if i > 0, i + 1 < frames, !silent(i - 1), !silent(i + 1),
               abs(left(i + 1) - (twoCos * left(i) - left(i - 1))) >= 1e-3 {
                other += 1
            } else {
                tone += 1
            }
        }
        return (tone, other)
    }

    @Test func noOutputDeviceIsANoteAndPlaybackContinues() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-noalsa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let wav = home.appendingPathComponent("mix.wav")
        try Self.writeWAV(Self.toneFloat32(frequencyHz: 1000, seconds: 3), to: wav)
        let result = try Self.run(["watch", wav.path, "--headless", "1.3"], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("note: no audio output"), "\(result.stdout)")
        #expect(Self.peakBands(result.stdout).last == 1000)
        #expect(result.stdout.contains("running"))
    }

    @Test func watchNoticesARewrittenFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let wav = folder.appendingPathComponent("mix.wav")
        try Self.writeWAV(Self.toneFloat32(frequencyHz: 1000, seconds: 4), to: wav)
        // Ableton re-exports: a new file with a 4 kHz tone replaces the old one once playback runs.
        let temp = folder.appendingPathComponent(".mix.wav.tmp")
        try Self.writeWAV(Self.toneFloat32(frequencyHz: 4000, seconds: 4), to: temp)
        Thread {
            usleep(2_000_000)  // the child is up and playing the first file by then, even on a loaded machine
            rename(temp.path, wav.path)
        }.start()
        let result = try Self.run(["watch", wav.path, "--no-audio", "--headless", "4.5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("re-read at") && result.stdout.contains("the file changed on disk"), "\(result.stdout)")
        let bands = Self.peakBands(result.stdout)
        #expect(bands.first == 1000 && bands.last == 4000, "\(result.stdout)")
    }

    static func writeWAV(_ stereoFloat32: Data, to url: URL) throws {
        try TestAudioFile.writeStereoWAV(stereoFloat32, sampleRate: rate, to: url)
    }
}

/// Drains a pipe on a background thread so a chatty child never blocks on a full pipe.
final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }
    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
