import Foundation
import Testing
import UpliftAudio
import UpliftModel
import UpliftProfile
import UpliftTestSupport
@testable import UpliftGaps
#if canImport(Glibc)
import Glibc
#endif

/// `uplift gaps` end to end against the fake AbletonOSC: the report maps the width fix onto the
/// mix bus's Utility, `--apply ID --yes` changes it in "Live" (journalled and verified by the
/// bridge), `uplift ableton undo` restores it.
@Suite struct GapsCLITests {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    static func executable() throws -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("uplift").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let fallback = FileManager.default.currentDirectoryPath + "/.build/debug/uplift"
        guard FileManager.default.isExecutableFile(atPath: fallback) else {
            throw GapsError(.badArgument, "the uplift executable is not built; run `swift build --build-tests` first")
        }
        return fallback
    }

    /// Runs `uplift` on a thread of its own so the blocking wait holds no cooperative-pool thread.
    static func uplift(_ arguments: [String], home: String) async throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = home + "/state"
        environment["XDG_CONFIG_HOME"] = home + "/config"
        environment["XDG_CACHE_HOME"] = home + "/cache"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread {
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                let stderr = err.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                                   stderr: String(decoding: stderr, as: UTF8.self)))
            }.start()
        }
    }

    /// A UDP port on 127.0.0.1 that is free now (the kernel's pick for port 0).
    static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }

    func mixBusWidth(_ fake: FakeAbletonOSC) -> Float? {
        fake.set.tracks.first { $0.name == "Mix Bus" }?.devices.first { $0.className == "StereoGain" }?
            .parameters.first { $0.name == "Stereo Width" }?.value
    }

    @Test func widthFixIsMappedAppliedThroughTheBridgeAndUndone() async throws {
        let home = NSTemporaryDirectory() + "uplift-gaps-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let profilePath = home + "/synth.uplift-profile"
        try ProfileFile.save(DegradationSet.profile, to: profilePath)
        let mixPath = home + "/narrow.wav"
        try AudioFileWriter.write(DegradationSet.width(DegradationSet.heldBack, factor: 0.5), channels: 2,
                                  sampleRate: Int(DegradationSet.sampleRate), format: .wavFloat32, to: mixPath)
        let live = Self.freePort(), reply = Self.freePort()
        let fake = try FakeAbletonOSC(options: .init(listenPort: live, replyPort: reply, tickMS: 0))
        defer { fake.stop() }
        let ports = ["--send-port", String(live), "--listen-port", String(reply)]

        let listed = try await Self.uplift(["gaps", mixPath, "--profile", profilePath, "--json"] + ports, home: home)
        #expect(listed.status == 0, "\(listed.stderr)")
        let report = try UpliftJSON.decoder().decode(GapReport.self, from: Data(listed.stdout.utf8))
        let gap = try #require(report.gaps.prefix(2).first { $0.feature == "stereo.side_mid_ratio" }, "\(report.gaps.map(\.feature))")
        let fix = try #require(gap.fixes.first)
        #expect(fix.track == "Mix Bus" && fix.device == "Utility" && fix.isApplicable)
        let change = try #require(fix.parameters.first)
        #expect(change.name == "Stereo Width" && change.unit == "%" && change.old == 100)
        #expect(change.new >= 141 && change.new <= 200)

        let applied = try await Self.uplift(["gaps", mixPath, "--profile", profilePath, "--apply", String(fix.id.prefix(8)), "--yes"] + ports,
                                            home: home)
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        #expect(applied.stdout.contains("applied"))
        let width = try #require(mixBusWidth(fake))
        #expect(abs(Double(width) * 100 - change.new) <= 1, "Live's width is \(width * 100) %")

        // `--previous`: the file was not re-exported, so the applied fix's promise is not kept…
        let reportPath = home + "/report.json"
        try Data(listed.stdout.utf8).write(to: URL(fileURLWithPath: reportPath))
        let broken = "fix did not do what it promised: \(fix.id)"
        let whileApplied = try await Self.uplift(["gaps", mixPath, "--profile", profilePath, "--previous", reportPath, "--offline"], home: home)
        #expect(whileApplied.status == 0, "\(whileApplied.stderr)")
        #expect(whileApplied.stderr.contains(broken), "\(whileApplied.stderr)")

        let undone = try await Self.uplift(["ableton", "undo"] + ports, home: home)
        #expect(undone.status == 0, "\(undone.stdout)\n\(undone.stderr)")
        #expect(abs((mixBusWidth(fake) ?? 0) - 1) < 0.01)

        // …and once undone it promises nothing: the journal still names it, but not as in effect.
        let afterUndo = try await Self.uplift(["gaps", mixPath, "--profile", profilePath, "--previous", reportPath, "--offline"], home: home)
        #expect(afterUndo.status == 0, "\(afterUndo.stderr)")
        #expect(afterUndo.stderr.contains("Since \(reportPath)"), "\(afterUndo.stderr)")
        #expect(!afterUndo.stderr.contains(broken), "\(afterUndo.stderr)")
    }
}
