import Foundation
import UpliftAbleton
import UpliftTestSupport

/// The bridge's benchmark against the fake AbletonOSC over real UDP: discovery of a 40-track,
/// 200-device set, and set → verified latency with Live's 100 ms tick.
/// Targets (issue 6): discovery under 2 s; a verified write within one tick plus 5 ms.
public enum AbletonBenchmarks {
    public struct Line: Sendable {
        var name: String
        var value: Double
        var unit: String
        var target: String
        var passed: Bool
        /// Not one of the issue's targets: shown for context, never "missed".
        var informational = false
        public var text: String {
            "\(name): \(String(format: "%.1f", value)) \(unit)"
                + (informational ? " (\(target))" : " (target \(target)) \(passed ? "ok" : "MISSED")")
        }
    }

    public static func run(basePort: UInt16 = 19100) async throws -> [Line] {
        var lines: [Line] = []
        for tick in [100, 0] {
            let big = FakeLiveSet.generated(trackCount: 40, devicesPerTrack: 5)
            let fake = try FakeAbletonOSC(options: .init(listenPort: basePort, replyPort: basePort + 1, tickMS: tick), set: big)
            let bridge = try AbletonBridge(options: BridgeOptions(
                endpoint: AbletonEndpoint(sendPort: basePort, listenPort: basePort + 1),
                journalDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("uplift-bench-\(UUID().uuidString)")))
            let start = ContinuousClock.now
            let set = try await bridge.discoverAll()
            let seconds = (ContinuousClock.now - start).seconds
            let parameters = set.tracks.flatMap(\.devices).reduce(0) { $0 + ($1.parameters?.count ?? 0) }
            lines.append(Line(name: "ableton discovery, \(set.tracks.count) tracks / \(set.deviceCount) devices / \(parameters) parameters, tick \(tick) ms",
                              value: seconds * 1000, unit: "ms", target: "< 2000 ms", passed: seconds < 2))
            if tick == 100 {
                try await bridge.connect()
                var writeVerified: [Double] = []
                var whole: [Double] = []
                for k in 0..<12 {
                    let gain = k % 2 == 0 ? "-3dB" : "-1.5dB"
                    let t0 = ContinuousClock.now
                    let applied = try await bridge.apply(ParameterChangeRequest(track: "Track 1", device: "EQ Eight", parameter: "4 Gain A",
                                                                                target: try ParameterTarget.parse(gain, raw: false)), reason: "bench")
                    whole.append((ContinuousClock.now - t0).seconds * 1000)
                    writeVerified.append(applied.writeToVerified.seconds * 1000)
                }
                let worst = writeVerified.max() ?? 0
                lines.append(Line(name: "ableton set→verified, tick 100 ms, worst of \(writeVerified.count) (median \(String(format: "%.1f", median(writeVerified))) ms)",
                                  value: worst, unit: "ms", target: "≤ 105 ms", passed: worst <= 105))
                lines.append(Line(name: "ableton apply incl. identity re-check, tick 100 ms, worst of \(whole.count) (median \(String(format: "%.1f", median(whole))) ms)",
                                  value: whole.max() ?? 0, unit: "ms", target: "for context: the identity check takes one tick, the write + read-back the next",
                                  passed: true, informational: true))
            }
            await bridge.close()
            fake.stop()
        }
        return lines
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s[s.count / 2]
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
