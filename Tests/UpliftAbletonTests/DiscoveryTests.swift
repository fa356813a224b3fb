import Foundation
import Testing
@testable import UpliftAbleton
import UpliftTestSupport

@Suite struct DiscoveryTests {
    @Test func discoversTracksDevicesAndParameters() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        let set = try await h.bridge.discoverAll()
        #expect(set.tracks.map(\.name) == ["Kick", "Bass", "Lead", "Pad", "Mix Bus"])
        #expect(set.tracks[1].devices.map(\.className) == ["Eq8", "Compressor2", "StereoGain"])
        #expect(set.tracks[4].devices.map(\.name) == ["EQ Eight", "Glue Compressor", "Utility"])
        #expect(set.tracks[0].devices.allSatisfy { $0.type == 2 })
        let eq = try #require(set.tracks[0].devices[0].parameters)
        #expect(eq.count == FakeDevice.eqEight().parameters.count)
        let frequency = try #require(eq.first { $0.name == "1 Frequency A" })
        #expect(frequency.valueString == "40.0 Hz")
        #expect(frequency.min == 0 && frequency.max == 1 && !frequency.isQuantized)
        let type = try #require(eq.first { $0.name == "4 Filter Type A" })
        #expect(type.isQuantized && type.valueString == "Bell" && type.value == 3)
        let gain = try #require(set.tracks[0].devices[1].parameters?.first { $0.name == "Gain" })
        #expect(gain.valueString == "0.0 dB")
        // Every value string and value came from Live, per parameter: compare with the fake's truth.
        for (t, track) in h.fake.set.tracks.enumerated() {
            for (d, device) in track.devices.enumerated() {
                let found = try #require(set.tracks[t].devices[d].parameters)
                #expect(found.map(\.valueString) == device.parameters.map(\.valueString))
                #expect(found.map(\.value) == device.parameters.map { Double($0.value) })
            }
        }
    }

    @Test func statusReportsConnectionTempoAndMixBus() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        let status = await h.bridge.status()
        #expect(status.connected)
        #expect(status.liveVersion == "12.1")
        #expect(status.tempoBPM == 138)
        #expect(status.mixBusTrack == "Mix Bus")
        #expect(status.set?.tracks.count == 5)
    }

    @Test func liveAbsentSaysWhatToDoWithinTheTimeout() async throws {
        let (send, listen) = (try freeUDPPort(), try freeUDPPort())
        let bridge = try AbletonBridge(options: BridgeOptions(endpoint: AbletonEndpoint(sendPort: send, listenPort: listen),
                                                              journalDirectory: temporaryDirectory()))
        let start = ContinuousClock.now
        let error = await abletonError { try await bridge.connect() }
        let elapsed = ContinuousClock.now - start
        await bridge.close()
        #expect(error?.code == .liveNotReachable)
        #expect(error?.message.contains("Control Surface") == true)
        #expect(error?.message.contains("/live/test") == true)
        // One try, no retry: about the 1 s timeout.
        #expect(elapsed >= .milliseconds(950) && elapsed < .milliseconds(2500), "took \(elapsed)")
    }

    @Test func portTakenByAnotherClientIsNamed() throws {
        let listen = try freeUDPPort()
        let first = try AbletonOSCClient(endpoint: AbletonEndpoint(sendPort: try freeUDPPort(), listenPort: listen))
        defer { first.close() }
        #expect {
            _ = try AbletonBridge(options: BridgeOptions(endpoint: AbletonEndpoint(listenPort: listen), journalDirectory: temporaryDirectory()))
        } throws: { error in
            guard let e = error as? AbletonError else { return false }
            return e.code == .portInUse && e.message.contains("\(listen)") && e.message.contains("another OSC client")
        }
    }

    @Test func mixBusAndMissingDevices() async throws {
        let h = try AbletonHarness(mixBus: "Master Chain")
        defer { Task { await h.stop() } }
        try await h.bridge.connect()
        let missing = await abletonError { _ = try await h.bridge.mixBusTrack() }
        #expect(missing?.code == .mixBusMissing)
        #expect(missing?.message.contains("'Master Chain'") == true)
        #expect(missing?.message.contains("create an audio track") == true)

        let glue = await abletonError { _ = try await h.bridge.requireDevice(ParameterMap.glueCompressor, onTrack: "kick") }
        #expect(glue?.code == .deviceMissing)
        #expect(glue?.message.hasPrefix("add Glue Compressor to Kick") == true)
        let eq = try await h.bridge.requireDevice(ParameterMap.eqEight, onTrack: "pad")
        #expect(eq.index == 2)
        // Asking for a stock device by name where there is none says to add it.
        let set = await abletonError {
            _ = try await h.bridge.apply(ParameterChangeRequest(track: "Kick", device: "Compressor", parameter: "Ratio", target: .physical(PhysicalValue(4, .ratio))), reason: "t")
        }
        #expect(set?.code == .deviceMissing)
        #expect(set?.message.hasPrefix("add Compressor to Kick") == true)
    }

    @Test func defaultMixBusNames() async throws {
        let h = try AbletonHarness(set: .trance(mixBusName: "Master Bus"))
        defer { Task { await h.stop() } }
        try await h.bridge.connect()
        #expect(try await h.bridge.mixBusTrack().name == "Master Bus")
    }

    @Test func namesMatchCaseInsensitivePrefixesAndListCandidates() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        let (track, device, parameter) = try await h.bridge.parameter(track: "kick", device: "eq", parameter: "1 freq")
        #expect(track.name == "Kick" && device.name == "EQ Eight" && parameter.name == "1 Frequency A")

        let unknown = await abletonError { _ = try await h.bridge.parameter(track: "Kik", device: "EQ", parameter: "Gain") }
        #expect(unknown?.code == .trackNotFound)
        #expect(unknown?.message.contains("'Kick', 'Bass', 'Lead', 'Pad', 'Mix Bus'") == true)

        let ambiguous = await abletonError { _ = try await h.bridge.parameter(track: "Kick", device: "EQ", parameter: "1 F") }
        #expect(ambiguous?.code == .ambiguousName)
        #expect(ambiguous?.message.contains("'1 Filter On A', '1 Filter Type A', '1 Frequency A'") == true)

        let noDevice = await abletonError { _ = try await h.bridge.parameter(track: "Kick", device: "Saturator", parameter: "Drive") }
        #expect(noDevice?.code == .deviceNotFound)
        #expect(noDevice?.message.contains("'EQ Eight', 'Utility'") == true)
    }
}
