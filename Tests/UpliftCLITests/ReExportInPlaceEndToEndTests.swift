import Foundation
import Testing
import UpliftTestSupport

extension TerminalEndToEnd {
/// Live writes its export in place. `cp` a re-export over the watched file while the studio plays:
/// the position is kept and playback goes on (before, the panes said `ended`), as with an atomic `mv`.
@Suite(.serialized) struct ReExportInPlaceEndToEndTests {
    @Test(.enabled(if: TmuxSession.isAvailable && UpliftExecutable.url != nil))
    func cpOverTheWatchedFileKeepsThePositionAndKeepsPlaying() throws {
        let uplift = try #require(UpliftExecutable.url)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-cp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mix = folder.appendingPathComponent("mix.wav")
        let export = folder.appendingPathComponent("export").appendingPathComponent("mix.wav")
        try FileManager.default.createDirectory(at: export.deletingLastPathComponent(), withIntermediateDirectories: true)
        let music = StudioEndToEndTests.music(seconds: 40)
        try TestAudioFile.writeStereoWAV(music, sampleRate: 44_100, to: mix)
        try TestAudioFile.writeStereoWAV(music.map { $0 * 0.5 }, sampleRate: 44_100, to: export)

        let session = try TmuxSession(width: 120, height: 40)
        defer { session.kill() }
        session.type("'\(uplift.path)' watch '\(mix.path)' --no-audio", enter: true)
        #expect(session.waitFor(timeout: 20) { (StudioEndToEndTests.positionS($0) ?? 0) >= 4 } != nil,
                "the studio did not play: \(session.capture())")
        let inode = try FileManager.default.attributesOfItem(atPath: mix.path)[.systemFileNumber] as? Int
        let before = try #require(StudioEndToEndTests.positionS(session.capture()))

        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = [export.path, mix.path]
        try cp.run()
        cp.waitUntilExit()
        #expect(cp.terminationStatus == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: mix.path)[.systemFileNumber] as? Int == inode,
                "cp wrote the file in place")

        // The re-read is announced at the kept position; no pane ever says ended.
        var sawEnded = false
        let reread = session.waitFor(timeout: 15) { screen in
            sawEnded = sawEnded || screen.contains(" ended ") || screen.contains("end of file")
            return screen.contains("re-read at")
        }
        #expect(reread != nil, "the re-export was not re-read: \(session.capture())")
        let after = try #require(StudioEndToEndTests.positionS(session.capture()))
        #expect(after >= before, "the position went back from \(before) s to \(after) s")
        #expect(after < before + 15, "the position jumped from \(before) s to \(after) s")
        // And it keeps playing: 2 s of music within 10 s.
        let moved = session.waitFor(timeout: 10) { screen in
            sawEnded = sawEnded || screen.contains(" ended ")
            return (StudioEndToEndTests.positionS(screen) ?? 0) >= after + 2
        }
        #expect(moved != nil, "playback stopped after the in-place rewrite: \(session.capture())")
        #expect(!sawEnded, "a pane said ended: \(session.capture())")
        session.type("q")
    }
}
}
