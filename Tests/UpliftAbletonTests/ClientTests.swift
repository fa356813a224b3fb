import Foundation
import Testing
@testable import UpliftAbleton
import UpliftTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct ClientTests {
    func makePair(tickMS: Int = 0) throws -> (FakeAbletonOSC, AbletonOSCClient) {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let fake = try FakeAbletonOSC(options: .init(listenPort: send, replyPort: listen, tickMS: tickMS))
        let client = try AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: send, listenPort: listen))
        return (fake, client)
    }

    @Test func quantizedFlagsArriveAsTrueFalseTags() async throws {
        let (fake, client) = try makePair()
        defer { client.close(); fake.stop() }
        let flags = try await client.read("/live/device/get/parameters/is_quantized", [.int32(0), .int32(0)])
        #expect(flags.count == FakeDevice.eqEight().parameters.count)
        #expect(flags[0] == .bool(true))   // Device On
        #expect(flags[3] == .bool(false))  // 1 Frequency A
    }

    @Test func manyReadsInFlightMatchByEchoedIndices() async throws {
        let (fake, client) = try makePair()
        defer { client.close(); fake.stop() }
        let requests = (0..<43).flatMap { p in
            (0..<5).map { t in OSCRequest.read("/live/device/get/parameter/name", [.int32(Int32(t)), .int32(0), .int32(Int32(p))]) }
        }.filter { request in
            guard case .read(let m, _) = request, let t = m.arguments[0].intValue else { return false }
            return t != 3  // Pad's first device is Auto Filter
        }
        let results = await client.readMany(requests, bundleSize: 16, window: 64)
        let names = FakeDevice.eqEight().parameters.map(\.name)
        for (request, result) in zip(requests, results) {
            guard case .read(let m, _) = request else { continue }
            #expect(try result.get() == [.string(names[m.arguments[2].intValue!])])
        }
    }

    @Test func errorIsAttributedAndTheRestOfTheBundleDropped() async throws {
        let (fake, client) = try makePair()
        defer { client.close(); fake.stop() }
        let results = await client.exchange([
            .read("/live/device/get/parameter/value", [.int32(0), .int32(0), .int32(4)]),
            .write("/live/device/set/parameter/value", [.int32(0), .int32(0), .int32(4), .float32(99)]),
            .read("/live/device/get/parameter/value", [.int32(0), .int32(0), .int32(4)]),
        ])
        #expect(try results[0].get() == [.float32(0)])
        guard case .failure(let writeError) = results[1] else { Issue.record("the refused write was not reported"); return }
        #expect(writeError.code == .liveError)
        #expect(writeError.message == "Invalid value. Check the parameters range with min/max")
        guard case .failure(let dropped) = results[2] else { Issue.record("a dropped read resolved"); return }
        #expect(dropped.code == .droppedAfterBundleError)
        // Live (the fake) really dropped it: the second read was never handled.
        try await Task.sleep(for: .milliseconds(50))
        #expect(fake.handledAddresses.filter { $0 == "/live/device/get/parameter/value" }.count == 1)
        #expect(fake.rawValue(track: "Kick", device: "EQ Eight", parameter: "1 Gain A") == 0)
    }

    @Test func unknownAddressAndBadIndexErrorsFailTheirRead() async throws {
        let (fake, client) = try makePair()
        defer { client.close(); fake.stop() }
        let unknown = await abletonError { _ = try await client.read("/live/song/get/nonsense") }
        #expect(unknown?.code == .liveError && unknown?.message == "Unknown OSC address: /live/song/get/nonsense")
        let badIndex = await abletonError { _ = try await client.read("/live/track/get/name", [.int32(42)]) }
        #expect(badIndex?.code == .liveError && badIndex?.message == "Index out of range")
    }

    @Test func repliesFromOtherHostsAreIgnored() async throws {
        // No fake: a forger on 127.0.0.2 answers /live/test; the client must not believe it.
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let client = try AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: send, listenPort: listen), requestTimeout: .milliseconds(400))
        defer { client.close() }
        let forger = try startForgingTestReplies(fromHost: "127.0.0.2", port: nil, to: listen)
        defer { close(forger) }
        let error = await abletonError { _ = try await client.read("/live/test", [], echo: 0, retry: false) }
        #expect(error?.code == .timeout)
    }

    @Test func aReadWaitsForTheTick() async throws {
        let (fake, client) = try makePair(tickMS: 100)
        defer { client.close(); fake.stop() }
        // Each read goes out after the previous reply, so each is answered on a later tick than
        // the one before: five reads span at least about four ticks (400 ms), never a few ms.
        let start = ContinuousClock.now
        for _ in 0..<5 { _ = try await client.read("/live/test", [], echo: 0) }
        let total = ContinuousClock.now - start
        #expect(total > .milliseconds(300) && total < .milliseconds(2500), "\(total)")
    }
}
