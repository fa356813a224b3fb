import Foundation
import Testing

/// `uplift similar` and `profile build --no-embedding` end to end, on real WAV files.
@Suite(.serialized) struct SimilarCLITests {
    typealias Workspace = ProfileCLITests.Workspace

    @Test func similarListsNearestReferencesAsJSONAndText() throws {
        let w = Workspace()
        for i in 0..<5 { w.wav("t\(i).wav", seconds: 2.5, frequencyHz: 110 * Double(i + 1)) }
        let build = try w.run(["profile", "build", "lib", "-o", "refs"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("embedding 64-d"), "\(build.stdout)")

        let similar = try w.run(["similar", "lib/t1.wav", "--profile", "refs", "-k", "3", "--json"])
        #expect(similar.status == 0, "\(similar.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as? [String: Any])
        #expect(json["query"] as? String == "lib/t1.wav")
        let neighbours = try #require(json["neighbours"] as? [[String: Any]])
        #expect(neighbours.count == 3)
        #expect(!neighbours.contains { ($0["path"] as? String)?.hasSuffix("/t1.wav") == true }, "the track itself is left out")
        let distances = neighbours.compactMap { $0["distance"] as? Double }
        #expect(distances == distances.sorted())
        #expect(neighbours.allSatisfy { Set($0.keys) == ["path", "distance", "cluster", "differences"] })

        let text = try w.run(["similar", "lib/t1.wav", "--profile", "refs"])
        #expect(text.status == 0 && text.stdout.contains("nearest in refs") && text.stdout.contains(" 1. "))
    }

    @Test func missingTrackAndProfileWithoutEmbeddingAreClearErrors() throws {
        let w = Workspace()
        for i in 0..<3 { w.wav("t\(i).wav", seconds: 1.5, frequencyHz: 200 * Double(i + 1)) }
        let build = try w.run(["profile", "build", "lib", "-o", "plain", "--no-embedding"])
        #expect(build.status == 0 && !build.stdout.contains("embedding"), "\(build.stdout)")

        let missing = try w.run(["similar", "nowhere.wav", "--profile", "plain", "--json"])
        #expect(missing.status == 1 && missing.stderr.contains("no such file"))
        let error = try #require(try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: [String: String]])
        #expect(error["error"]?["kind"] == "not_found")

        let none = try w.run(["similar", "lib/t0.wav", "--profile", "plain", "--json"])
        #expect(none.status == 1 && none.stderr.contains("no embedding"), "\(none.stderr)")
        let noneError = try #require(try JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [String: [String: String]])
        #expect(noneError["error"]?["kind"] == "no_embedding")
    }
}
