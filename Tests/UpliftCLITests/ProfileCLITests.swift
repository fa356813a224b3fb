import Foundation
import Testing

/// `uplift profile` end to end: the built executable on real WAV files, real signals.
@Suite(.serialized) struct ProfileCLITests {
    /// The `uplift` built beside the test bundle.
    static var executable: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("uplift").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/uplift").path
    }

    final class Workspace {
        let path = NSTemporaryDirectory() + "uplift-profile-cli-\(UUID().uuidString)"
        init() { try! FileManager.default.createDirectory(atPath: path + "/lib", withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// A 16-bit stereo WAV: a sine at `frequencyHz` with a click every half second.
        func wav(_ name: String, seconds: Double, frequencyHz: Double) {
            let rate = 44_100, frames = Int(seconds * Double(rate))
            var data = Data()
            func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { data.append(contentsOf: $0) } }
            func u16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { data.append(contentsOf: $0) } }
            data.append(contentsOf: Array("RIFF".utf8)); u32(36 + frames * 4); data.append(contentsOf: Array("WAVEfmt ".utf8))
            u32(16); u16(1); u16(2); u32(rate); u32(rate * 4); u16(4); u16(16)
            data.append(contentsOf: Array("data".utf8)); u32(frames * 4)
            for i in 0..<frames {
                let t = Double(i) / Double(rate)
                let click = i % (rate / 2) < 40 ? 0.5 : 0
                let v = Int16((0.3 * sin(2 * .pi * frequencyHz * t) + click) * 32767)
                u16(Int(UInt16(bitPattern: v))); u16(Int(UInt16(bitPattern: v)))
            }
            FileManager.default.createFile(atPath: "\(path)/lib/\(name)", contents: data)
        }

        struct Run { var status: Int32; var stdout: String; var stderr: String }

        @discardableResult
        func run(_ arguments: [String], interruptWhen: ((String) -> Bool)? = nil) throws -> Run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ProfileCLITests.executable)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: path)
            var environment = ProcessInfo.processInfo.environment
            environment["UPLIFT_CACHE_DIR"] = path + "/cache"
            process.environment = environment
            let out = path + "/stdout.txt", err = path + "/stderr.txt"
            FileManager.default.createFile(atPath: out, contents: nil)
            FileManager.default.createFile(atPath: err, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: out)
            process.standardError = FileHandle(forWritingAtPath: err)
            try process.run()
            if let interruptWhen {
                let deadline = Date().addingTimeInterval(60)
                while process.isRunning && Date() < deadline {
                    if interruptWhen((try? String(contentsOfFile: err, encoding: .utf8)) ?? "") { process.interrupt(); break }
                    usleep(10_000)
                }
            }
            process.waitUntilExit()
            return Run(status: process.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8),
                       stderr: try String(contentsOfFile: err, encoding: .utf8))
        }
    }

    @Test func buildShowTracksAndBadFiles() throws {
        let w = Workspace()
        for i in 0..<4 { w.wav("t\(i).wav", seconds: 1 + Double(i) * 0.5, frequencyHz: 220 * Double(i + 1)) }
        FileManager.default.createFile(atPath: w.path + "/lib/broken.wav", contents: Data("RIFF nonsense".utf8))
        let build = try w.run(["profile", "build", "lib", "-o", "refs"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("4 tracks"))
        #expect(build.stderr.contains("skipped") && build.stderr.contains("broken.wav"))
        #expect(FileManager.default.fileExists(atPath: w.path + "/refs.uplift-profile"))

        let show = try w.run(["profile", "show", "refs", "--json"])
        #expect(show.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(json["schema"] as? String == "uplift.profile/2" && json["track_count"] as? Int == 4)
        let duration = try #require((json["features"] as? [String: Any])?["duration_s"] as? [String: Any])
        #expect(abs((duration["median"] as? Double ?? 0) - 1.75) < 0.01) // 1, 1.5, 2, 2.5 s
        let readable = try w.run(["profile", "show", "refs.uplift-profile"])
        #expect(readable.stdout.contains("duration_s") && readable.stdout.contains("broken.wav"))
        let tracks = try w.run(["profile", "tracks", "refs"])
        #expect(tracks.stdout.contains("t3.wav") && tracks.stdout.contains("4 tracks"))

        FileManager.default.createFile(atPath: w.path + "/garbled.uplift-profile", contents: Data("{\"schema\": \"uplift.pro".utf8))
        let garbled = try w.run(["profile", "show", "garbled.uplift-profile"])
        #expect(garbled.status != 0)
        #expect(garbled.stderr.contains("garbled.uplift-profile") && garbled.stderr.contains("garbled"))
        #expect(garbled.stderr.split(separator: "\n").count == 1)
        // --json callers get the error as an object on standard output, the line on standard error.
        let garbledJSON = try w.run(["profile", "show", "garbled.uplift-profile", "--json"])
        #expect(garbledJSON.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(garbledJSON.stdout.utf8)) as? [String: Any])
        #expect((object["error"] as? [String: Any])?["kind"] as? String == "bad_profile", "\(garbledJSON.stdout)")
        #expect(garbledJSON.stderr.contains("garbled.uplift-profile"))
    }

    @Test func ctrlCStopsWritesNothingAndTheNextBuildResumesFromTheCache() throws {
        let w = Workspace()
        for i in 0..<6 { w.wav("t\(i).wav", seconds: 4, frequencyHz: 100 * Double(i + 1)) }
        let stopped = try w.run(["profile", "build", "lib", "-o", "refs", "--jobs", "1"]) { $0.contains("analysed") }
        #expect(stopped.status == 130, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("stopped after"))
        #expect(!FileManager.default.fileExists(atPath: w.path + "/refs.uplift-profile"))
        let resumed = try w.run(["profile", "build", "lib", "-o", "refs"])
        #expect(resumed.status == 0)
        #expect(resumed.stderr.contains("cached"), "\(resumed.stderr)")
        #expect(FileManager.default.fileExists(atPath: w.path + "/refs.uplift-profile"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: w.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}
