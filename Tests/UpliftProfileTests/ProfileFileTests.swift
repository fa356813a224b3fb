import Foundation
import Testing
import UpliftModel
@testable import UpliftProfile

@Suite struct ProfileFileTests {
    static func smallProfile() throws -> Profile {
        var g = Gaussian(seed: 21)
        let analyses = (0..<6).map { Fixtures.analysis($0 < 3 ? .acid : .uplifting, file: "/r/\($0).wav", noise: &g) }
        return try ProfileAssembler(options: .init(name: "small", roots: ["/r"]))
            .assemble(tracks: Fixtures.tracks(analyses), skipped: [.init(path: "/r/bad.wav", reason: "corrupt")], analyzerVersion: 1)
    }

    @Test func roundTripsThroughItsFileWithTheIssueKeys() throws {
        let dir = TemporaryDirectory()
        let profile = try Self.smallProfile()
        try ProfileFile.save(profile, to: dir.file("small.uplift-profile"))
        #expect(try ProfileFile.load(dir.file("small.uplift-profile")) == profile)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("small.uplift-profile")))) as? [String: Any])
        #expect(json["schema"] as? String == "uplift.profile/2")
        #expect(json["track_count"] as? Int == 6)
        let features = try #require(json["features"] as? [String: Any])
        let lufs = try #require(features["loudness.integrated_lufs"] as? [String: Any])
        #expect(Set(lufs.keys) == ["n", "mean", "std", "median", "p10", "p25", "p75", "p90", "min", "max"])
        #expect(json["spectrum"] is [String: Any] && json["silhouette"] != nil)
        let clusters = try #require(json["clusters"] as? [[String: Any]])
        #expect(clusters.allSatisfy { $0["name"] is String && $0["size"] is Int && $0["means"] is [String: Any] })
    }

    @Test func newerSchemaIsRejectedClearly() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("future.uplift-profile", #"{"schema": "uplift.profile/3", "track_count": 3, "hologram": true}"#)
        #expect {
            try ProfileFile.load(path)
        } throws: { error in
            guard let e = error as? ProfileError else { return false }
            return e.code == .newerSchema && e.description.contains(path) && e.description.contains("newer")
        }
    }

    @Test func garbledFilesGiveAnErrorNamingThem() throws {
        let dir = TemporaryDirectory()
        let truncated = String(String(decoding: try ProfileFile.encode(try Self.smallProfile()), as: UTF8.self).prefix(400))
        let cases = [dir.write("cut.uplift-profile", truncated),
                     dir.write("noise.uplift-profile", "\u{1}\u{2}garbage"),
                     dir.write("wrongtype.uplift-profile", #"{"schema": "uplift.profile/1", "track_count": "many"}"#)]
        for path in cases {
            #expect {
                try ProfileFile.load(path)
            } throws: { error in
                guard let e = error as? ProfileError else { return false }
                return e.code == .garbled && e.description.hasPrefix(path)
            }
        }
        let other = dir.write("analysis.json", #"{"schema": "uplift.analysis/1"}"#)
        #expect { try ProfileFile.load(other) } throws: { ($0 as? ProfileError)?.code == .notAProfile }
        #expect { try ProfileFile.load(dir.file("missing.uplift-profile")) } throws: { ($0 as? ProfileError)?.code == .notFound }
    }

    @Test func atomicWriteLeavesTheOldFileUntilTheRenameAndNoTempOnFailure() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("p.uplift-profile")
        try AtomicFile.write(Data("old".utf8), to: path)
        // Mid-write (temp complete, not yet renamed): the destination still holds the old bytes whole.
        var midWrite: (destination: String?, temporary: String?, folder: String)?
        try AtomicFile.write(Data("new contents".utf8), to: path) { temporary in
            midWrite = (try? String(contentsOfFile: path, encoding: .utf8), try? String(contentsOfFile: temporary, encoding: .utf8),
                        (temporary as NSString).deletingLastPathComponent)
        }
        #expect(midWrite?.destination == "old")
        #expect(midWrite?.temporary == "new contents")
        #expect(midWrite?.folder == dir.path) // same folder: the rename is atomic
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
        // A crash before the rename (simulated by throwing): old file intact, temp gone.
        struct Crash: Error {}
        #expect(throws: Crash.self) { try AtomicFile.write(Data("never".utf8), to: path) { _ in throw Crash() } }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["p.uplift-profile"])
        // An unwritable destination folder is a clear error.
        #expect { try AtomicFile.write(Data(), to: dir.file("no/such/dir/p.uplift-profile")) } throws: {
            ($0 as? ProfileError)?.code == .writeFailed
        }
    }

    @Test func temporariesOfKilledWritersAreCleanedUpOnTheNextWrite() throws {
        let dir = TemporaryDirectory()
        // A pid that surely is gone: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "exit 0"]
        try child.run()
        child.waitUntilExit()
        let stale = dir.write(".p.uplift-profile.tmp-\(child.processIdentifier)-42", "{\"schema\": \"uplift.pro")
        let ours = dir.write(".p.uplift-profile.tmp-\(getpid())-7", "in progress elsewhere in this process")
        try AtomicFile.write(Data("whole".utf8), to: dir.file("p.uplift-profile"))
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: ours))
        #expect(try String(contentsOfFile: dir.file("p.uplift-profile"), encoding: .utf8) == "whole")
    }

    @Test func diffReportsWhatMoved() throws {
        var g = Gaussian(seed: 4)
        let acid = (0..<8).map { Fixtures.analysis(.acid, file: "/a/\($0).wav", noise: &g) }
        let prog = (0..<8).map { Fixtures.analysis(.progressive, file: "/p/\($0).wav", noise: &g) }
        let a = try ProfileAssembler(options: .init(name: "a", roots: [])).assemble(tracks: Fixtures.tracks(acid), skipped: [], analyzerVersion: 1)
        let b = try ProfileAssembler(options: .init(name: "b", roots: [])).assemble(tracks: Fixtures.tracks(prog), skipped: [], analyzerVersion: 1)
        let diff = ProfileDiff(a, b)
        let moved = diff.moved.map(\.feature)
        #expect(moved.prefix(4).contains("tempo.bpm"))
        #expect(moved.contains("acid.score"))
        let bpm = try #require(diff.features.first { $0.feature == "tempo.bpm" })
        // Same distribution in both: far smaller shift than the planted differences.
        let fourOnFloor = try #require(diff.features.first { $0.feature == "rhythm.four_on_floor" })
        #expect(abs(fourOnFloor.shift) < abs(bpm.shift) / 3)
        #expect(bpm.medianB < bpm.medianA)
        #expect(ProfileDiff(a, a).moved.isEmpty)
    }
}
