import Foundation
import Testing
@testable import UpliftAbleton
import UpliftTestSupport

/// While the studio holds Live's reply port, `uplift ableton …` (any second bridge on that port) says who holds
/// it and that undo and redo are done there — not "taken by another OSC client" — and only while that process runs.
@Suite(.serialized) struct BridgeHolderTests {
    @Test func aSecondBridgeNamesTheStudioHoldingThePortWhileItRuns() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-holder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let options = BridgeOptions(endpoint: AbletonEndpoint(liveHost: "127.0.0.1", sendPort: try freeUDPPort(), listenHost: "127.0.0.1",
                                                              listenPort: try freeUDPPort()),
                                    journalDirectory: dir.appendingPathComponent("journal"))
        let studio = try AbletonBridge(options: options)  // holds the reply port, as the studio's bridge does
        defer { Task { await studio.close() } }
        func secondBridgeError() -> AbletonError? {
            do { _ = try AbletonBridge(options: options); return nil } catch { return error }
        }
        // No note: the port is taken by someone unknown.
        #expect(secondBridgeError()?.message.contains("another OSC client") == true)

        // A running process left the note: its command and pid are named, with where undo/redo are done.
        let holderProcess = Process()
        holderProcess.executableURL = URL(fileURLWithPath: "/bin/sleep")
        holderProcess.arguments = ["60"]
        try holderProcess.run()
        let note = BridgeHolder(pid: holderProcess.processIdentifier, command: "uplift live --input - --profile favs",
                                listenPort: options.endpoint.listenPort)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try JSONEncoder().encode(note).write(to: BridgeHolder.url(for: options))
        let named = try #require(secondBridgeError())
        #expect(named.code == .portInUse)
        #expect(named.message.contains("held by the Uplift studio (`uplift live --input - --profile favs`, pid \(holderProcess.processIdentifier))"),
                "\(named.message)")
        #expect(named.message.contains("undo (u) and redo (r) there"))

        // The holder ended without removing its note (a crash): the note is not believed.
        kill(holderProcess.processIdentifier, SIGKILL)
        holderProcess.waitUntilExit()
        #expect(secondBridgeError()?.message.contains("another OSC client") == true)

        // This process's own note is never "someone else", and release removes only its own.
        BridgeHolder.claim(options, command: "uplift live")
        #expect(BridgeHolder.current(options) == nil)
        #expect(FileManager.default.fileExists(atPath: BridgeHolder.url(for: options).path))
        BridgeHolder.release(options)
        #expect(!FileManager.default.fileExists(atPath: BridgeHolder.url(for: options).path))
    }
}
