import Foundation
import Testing
@testable import UpliftAbleton
import UpliftModel
import UpliftTestSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A fake Live and a bridge on ports of their own (tests run in parallel), with a fresh journal
/// directory. Tick 0 unless a test is about the tick.
struct AbletonHarness {
    let fake: FakeAbletonOSC
    let bridge: AbletonBridge
    let endpoint: AbletonEndpoint
    let journalDirectory: URL

    init(set: FakeLiveSet = .trance(), tickMS: Int = 0, mixBus: String? = nil, journalDirectory: URL? = nil) throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        endpoint = AbletonEndpoint(sendPort: send, listenPort: listen)
        fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: tickMS), set: set)
        self.journalDirectory = journalDirectory ?? temporaryDirectory()
        bridge = try AbletonBridge(options: BridgeOptions(endpoint: endpoint, journalDirectory: self.journalDirectory, mixBusTrackName: mixBus))
    }

    /// A second bridge on the same fake (a restart of Uplift), after closing the first.
    func restartedBridge() async throws -> AbletonBridge {
        await bridge.close()
        return try AbletonBridge(options: BridgeOptions(endpoint: endpoint, journalDirectory: journalDirectory))
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

/// A UDP port on 127.0.0.1 no other test of this process got, and free right now. Handed out
/// from a counter below the kernel's ephemeral range (32768+), so a port given to one test is
/// never given by the kernel to another's socket.
func freeUDPPort() throws -> UInt16 {
    while true {
        let port = UInt16(portCounter.add(1, ordering: .relaxed).newValue)
        guard port < 32000 else { throw AbletonError(.socket, "ran out of test ports") }
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if rc == 0 { return port }
    }
}

private let portCounter = Atomic<Int>(20000 + Int(getpid() % 300) * 30)

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
