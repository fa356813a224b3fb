import Foundation
import Testing
@testable import UpliftAbleton
import UpliftModel
import UpliftTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fake Live and a bridge on ports of their own (tests run in parallel), with a fresh journal
/// directory. Tick 0 unless a test is about the tick.
struct AbletonHarness {
    let fake: FakeAbletonOSC
    let bridge: AbletonBridge
    let endpoint: AbletonEndpoint
    let journalDirectory: URL

    let options: BridgeOptions

    init(set: FakeLiveSet = .trance(), tickMS: Int = 0, mixBus: String? = nil, journalDirectory: URL? = nil,
         requestTimeout: Duration = .seconds(1), pauseAfterJournal: Duration? = nil) throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        endpoint = AbletonEndpoint(sendPort: send, listenPort: listen)
        fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: tickMS), set: set)
        self.journalDirectory = journalDirectory ?? temporaryDirectory()
        options = BridgeOptions(endpoint: endpoint, requestTimeout: requestTimeout, journalDirectory: self.journalDirectory,
                                mixBusTrackName: mixBus, pauseAfterJournal: pauseAfterJournal)
        bridge = try AbletonBridge(options: options)
    }

    /// A second bridge on the same fake (a restart of Uplift), after closing the first.
    func restartedBridge() async throws -> AbletonBridge {
        await bridge.close()
        var options = self.options
        options.pauseAfterJournal = nil
        return try AbletonBridge(options: options)
    }

    func stop() async {
        await bridge.close()
        fake.stop()
    }
}

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-ableton-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// For tests that open raw sockets of their own.
#if canImport(Glibc)
let testDatagramSocketType = Int32(SOCK_DGRAM.rawValue)
#else
let testDatagramSocketType = SOCK_DGRAM
#endif

/// Runs `body` and returns the AbletonError it threw (nil if none, or another error).
func abletonError(_ body: () async throws -> Void) async -> AbletonError? {
    do {
        try await body()
        return nil
    } catch let error as AbletonError {
        return error
    } catch {
        return nil
    }
}

func journalLines(_ url: URL) throws -> [JournalEntry] {
    try Journal(url: url).load().entries
}

/// Sends forged `/live/test` replies to `listenPort` from `host` (and `port`, when given) eight times, 50 ms apart,
/// so a test can check the client believes none of them. Returns the forger's socket (close it when done).
func startForgingTestReplies(fromHost host: String, port: UInt16?, to listenPort: UInt16) throws -> Int32 {
    let forger = socket(AF_INET, testDatagramSocketType, 0)
    var from = sockaddr_in()
    from.sin_family = sa_family_t(AF_INET)
    from.sin_addr.s_addr = inet_addr(host)
    if let port { from.sin_port = port.bigEndian }
    let bound = withUnsafePointer(to: &from) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(forger, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    try #require(bound == 0)
    let forged = try OSCCodec.encode(OSCMessage("/live/test", [.string("ok")]))
    Task.detached {
        for _ in 0..<8 {
            var to = sockaddr_in()
            to.sin_family = sa_family_t(AF_INET)
            to.sin_port = listenPort.bigEndian
            to.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = forged.withUnsafeBytes { b in withUnsafePointer(to: &to) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(forger, b.baseAddress, b.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
    return forger
}
