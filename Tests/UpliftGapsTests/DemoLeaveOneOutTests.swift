import Foundation
import Synchronization
import Testing
import UpliftAnalysis
import UpliftAudio
import UpliftModel
import UpliftStudio
import UpliftSynth
@testable import UpliftGaps
@testable import UpliftProfile

/// Leave-one-out on the shipped demo profile: its 12 references (rendered again exactly as
/// `uplift profile demo-build` renders them, 70 s each at 44.1 kHz) compared with the shipped profile
/// that holds them and with the profile built without each one. Every reference must show at most 2
/// gaps above the worth-acting-on line. About two minutes on two cores: run it with
/// `UPLIFT_DEMO_LOO=1 swift test --filter DemoLeaveOneOutTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["UPLIFT_DEMO_LOO"] != nil))
struct DemoLeaveOneOutTests {
    /// The references exactly as `uplift profile demo-build` renders them.
    static func render(_ reference: DemoProfile.Reference, path: String) throws {
        try DemoMaterial.render(reference, path: path)
    }

    @Test func everyDemoReferenceHasAtMostTwoGapsAboveTheLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-demo-loo-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let references = DemoProfile.references
        let analyses = Mutex<[Int: TrackAnalysis]>([:])
        DispatchQueue.concurrentPerform(iterations: references.count) { i in
            let path = "\(folder)/\(references[i].name).wav"
            do {
                try Self.render(references[i], path: path)
                var a = try TrackAnalyzer().analyze(path: path)
                a.file = "demo-references/\(references[i].name).wav"
                analyses.withLock { $0[i] = a }
            } catch { Issue.record("\(references[i].name): \(error)") }
        }
        let all = analyses.withLock { a in references.indices.compactMap { a[$0] } }
        try #require(all.count == references.count)
        let shipped = try ProfileFile.load(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Samples/demo.uplift-profile").path)
        func profile(_ analyses: [TrackAnalysis]) throws -> Profile {
            let tracks = analyses.map { AnalysedTrack(path: $0.file, contentHash: ContentHash.hex(of: Data($0.file.utf8)), sizeBytes: 1,
                                                      analysis: $0, fromCache: false) }
            var options = ProfileAssembler.Options(name: "demo", roots: ["demo-references"], clusterCount: 3)
            options.now = Date(timeIntervalSince1970: 0)
            return try ProfileAssembler(options: options).assemble(tracks: tracks, skipped: [], analyzerVersion: shipped.analyzerVersion)
        }
        var lines: [String] = []
        var worst = 0
        for (i, reference) in all.enumerated() {
            let without = try profile(all.enumerated().filter { $0.offset != i }.map(\.element))
            for (label, p) in [("shipped", shipped), ("left out", without)] {
                let r = try GapAnalyzer().analyze(mix: reference, profile: p)
                let acting = r.gaps.filter { $0.actionable == true }
                worst = max(worst, acting.count)
                let top = r.gaps.prefix(3).map { "\($0.feature)\($0.section.map { "[\($0)]" } ?? "") \(String(format: "%.2f", $0.priority))\($0.actionable == true ? "*" : "")" }
                lines.append("\(reference.file) vs \(label)\(r.cluster.map { " (cluster \($0.name))" } ?? ""): \(acting.count) above the line; \(top.joined(separator: ", "))")
                #expect(acting.count <= 2, "\(reference.file) vs \(label): \(top)")
                if acting.count > 1 || ProcessInfo.processInfo.environment["UPLIFT_GAPS_VERBOSE"] != nil {
                    for g in acting { lines.append("    \(String(format: "%.2f", g.priority)) \(g.headline ?? g.feature) | \(g.reason)") }
                    lines.append("    warnings: \(r.warnings)")
                }
            }
        }
        print(lines.joined(separator: "\n"))
        print("demo leave-one-out: at most \(worst) gap(s) above the line per reference")
    }
}
