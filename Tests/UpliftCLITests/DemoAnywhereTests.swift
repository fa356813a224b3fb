import Foundation
import Testing

extension TerminalEndToEnd {
/// The demo's profile is in the binary: a copy of `uplift` in a folder with no `Samples/` above it,
/// started from there, still opens the gap report against the demo profile.
@Suite(.serialized) struct DemoAnywhereTests {
    @Test(.enabled(if: UpliftExecutable.url != nil))
    func aCopiedBinaryOpensTheDemoGapReportFromAnyFolder() throws {
        let uplift = try #require(UpliftExecutable.url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-anywhere-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("uplift")
        try FileManager.default.copyItem(at: uplift, to: copy)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("Samples").path))

        let run = try HeadlessRun(copy, ["demo", "--no-audio", "--offline", "--headless", "60"], in: folder, workingDirectory: folder)
        let output = run.waitFor(90) { $0.contains("gaps: ") || $0.contains("no gap report") }
        run.stop()
        let text = try #require(output, "the demo printed no gap report: \(run.output)")
        #expect(text.contains("against demo"), "\(text)")
        #expect(!text.contains("no gap report"))
    }
}
}
