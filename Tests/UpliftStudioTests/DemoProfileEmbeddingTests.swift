import Foundation
import Testing
import UpliftModel
@testable import UpliftStudio

/// The demo profile in the binary is `Samples/demo.uplift-profile`, byte for byte; after `make demo`
/// rebuilds the sample, `UPLIFT_UPDATE_SNAPSHOTS=1 swift test --filter DemoProfileEmbeddingTests`
/// regenerates the Swift source.
@Suite struct DemoProfileEmbeddingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sample = root.appendingPathComponent("Samples/demo.uplift-profile")
    static let source = root.appendingPathComponent("Sources/UpliftStudio/DemoProfileEmbedded.swift")

    @Test func theEmbeddedProfileIsTheSampleFile() throws {
        let text = try String(contentsOf: Self.sample, encoding: .utf8)
        if ProcessInfo.processInfo.environment["UPLIFT_UPDATE_SNAPSHOTS"] == "1" {
            let current = try String(contentsOf: Self.source, encoding: .utf8)
            let start = try #require(current.range(of: "static let fileText = #\"\"\"\n"))
            let generated = String(current[..<start.upperBound]) + text + (text.hasSuffix("\n") ? "" : "\n") + "\"\"\"#\n}\n"
            try generated.write(to: Self.source, atomically: true, encoding: .utf8)
            return
        }
        // A multi-line literal ends before its last newline.
        let expected = text.hasSuffix("\n") ? String(text.dropLast()) : text
        #expect(DemoProfileEmbedded.fileText == expected, "Samples/demo.uplift-profile changed: regenerate the embedded copy")
    }

    @Test func theDemoProfilePathHoldsAProfileNamedDemo() throws {
        let path = try DemoMaterial.demoProfilePath()
        let profile = try UpliftJSON.decoder().decode(Profile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(profile.name == "demo")
        #expect(profile.trackCount > 0 && profile.spectrum != nil)
    }
}
