import Foundation
import Testing
import UpliftModel
import UpliftTerminal
@testable import UpliftTUI

/// Golden text of the four live panes at 120×40, committed under `Snapshots/`: a changed screen is a
/// reviewed diff. `UPLIFT_UPDATE_SNAPSHOTS=1 swift test --filter PaneSnapshotTests` rewrites them.
@Suite struct PaneSnapshotTests {
    static let size = Size(width: 120, height: 40)
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// Every pane with something to say: the arrangement at bar 97, a loudness target and a restarted
    /// integrated reading, the profile band and two spectrum gaps, an unmeasured trance component.
    static func screen(_ size: Size = PaneSnapshotTests.size) -> CellBuffer {
        var snapshot = Arrangement.snapshot()
        snapshot.loudness?.integratedSinceS = 60
        var trance = Fixtures.trance
        trance.components[5] = .init(name: "acid_303", value: 0, weight: 0.08, reason: "no acid measurement", measured: false)
        snapshot.trance = trance
        return Fixtures.screen(size, snapshot: snapshot) { state in
            state.loudnessTarget = LoudnessTarget(shortTermLUFS: -10 ... -8, integratedLUFS: -11 ... -9, label: "refs p10–p90")
            state.profileSpectrumBand = ProfileSpectrumBand(bandsHz: Fixtures.bandsHz,
                                                            p10DB: Fixtures.bandsHz.map { _ in -66 },
                                                            p90DB: Fixtures.bandsHz.map { _ in -54 })
            _ = reduce(&state, .gapReportLoaded(GapFixtures.report()))
            state.panes = PaneKind.livePanes
            state.focusedPane = .energy
        }
    }

    static func paneText(_ screen: CellBuffer, _ pane: PaneKind) -> String {
        screen.text(in: Fixtures.paneRect(pane, size: size)).joined(separator: "\n") + "\n"
    }

    @Test(arguments: [PaneKind.energy, .loudness, .spectrum, .trance])
    func paneMatchesItsGoldenText(pane: PaneKind) throws {
        let actual = Self.paneText(Self.screen(), pane)
        let file = Self.directory.appendingPathComponent("\(pane.rawValue)-120x40.txt")
        if ProcessInfo.processInfo.environment["UPLIFT_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(try? String(contentsOf: file, encoding: .utf8),
                                    "no golden file \(file.lastPathComponent): run with UPLIFT_UPDATE_SNAPSHOTS=1 and review it")
        #expect(actual == expected, "\(pane) pane differs from \(file.lastPathComponent):\n\(actual)")
    }

    @Test func statusLineMatchesItsGoldenText() throws {
        let actual = Self.screen().line(Self.size.height - 1) + "\n"
        let file = Self.directory.appendingPathComponent("status-120x40.txt")
        if ProcessInfo.processInfo.environment["UPLIFT_UPDATE_SNAPSHOTS"] == "1" {
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(try? String(contentsOf: file, encoding: .utf8))
        #expect(actual == expected, "status line differs:\n\(actual)")
    }
}
