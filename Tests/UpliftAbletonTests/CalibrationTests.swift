import Foundation
import Testing
import Synchronization
@testable import UpliftAbleton
import UpliftModel
import UpliftTestSupport

/// A fake Live whose curves are not the parameter map's: the bridge must still land every
/// target within Live's display resolution in at most 3 writes, and in 1 the second time.
@Suite struct CalibrationTests {
    struct Case: Sendable, CustomStringConvertible {
        var track: String
        var device: String
        var parameter: String
        var display: FakeDisplay
        var targets: [String]
        var why: String
        var description: String { "\(track) › \(device) › \(parameter): \(why)" }
    }

    static let cases: [Case] = [
        Case(track: "Bass", device: "EQ Eight", parameter: "4 Frequency A", display: .linearRange(low: 10, high: 22000, unit: "Hz"),
             targets: ["1kHz", "250Hz", "5.5kHz"], why: "linear where the map is logarithmic"),
        Case(track: "Lead", device: "EQ Eight", parameter: "2 Frequency A", display: .logarithmic(low: 20, high: 20000, unit: "Hz"),
             targets: ["300Hz", "80Hz", "2.2kHz"], why: "a shifted range"),
        Case(track: "Kick", device: "Utility", parameter: "Gain", display: .amplitudeDB(maxDB: 24),
             targets: ["-3dB", "-10dB", "-1.5dB"], why: "another Live version's gain curve"),
        Case(track: "Bass", device: "Compressor", parameter: "Attack", display: .linearRange(low: 0.01, high: 1000, unit: "ms"),
             targets: ["30ms", "3ms", "120ms"], why: "linear where the map is logarithmic"),
        Case(track: "Pad", device: "EQ Eight", parameter: "3 Gain A", display: .linear(factor: 1.2, unit: "dB"),
             targets: ["-4.5dB", "2dB", "-7.2dB"], why: "a scaled dB range"),
    ]

    func change(_ c: Case, _ value: String) throws -> ParameterChangeRequest {
        ParameterChangeRequest(track: c.track, device: c.device, parameter: c.parameter, target: try ParameterTarget.parse(value, raw: false))
    }

    @Test(arguments: cases)
    func landsWithinDisplayResolutionInThreeWritesThenOne(_ c: Case) async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        h.fake.misScale(track: c.track, device: c.device, parameter: c.parameter, display: c.display)
        let stored = Mutex<[Double]>([])
        h.fake.onStore { event in
            if event.track == c.track && event.device == c.device && event.parameter == c.parameter { stored.withLock { $0.append(event.raw) } }
        }
        let unit = try #require(PhysicalValue.parse(c.targets[0])).unit
        for target in c.targets {
            let old = try #require(h.fake.rawValue(track: c.track, device: c.device, parameter: c.parameter))
            let oldShown = try #require(PhysicalValue.parse(c.display.text(for: Double(old)))).value
            stored.withLock { $0.removeAll() }
            let applied = try await h.bridge.apply(try change(c, target), reason: "first \(target)")
            let shown = try #require(h.fake.valueString(track: c.track, device: c.device, parameter: c.parameter))
            let goal = try #require(PhysicalValue.parse(target))
            #expect(DisplayText.shows(shown, goal), "\(target): Live shows \(shown)")
            #expect(applied.state == .applied)
            let writes = stored.withLock { $0 }
            #expect(writes.count >= 1 && writes.count <= 3, "\(target): \(writes.count) writes")
            // Every intermediate shown lies between the old value and the target, up to what the
            // rounding of Live's display text allows a secant step (5 %, 0.2 dB).
            for raw in writes.dropLast() {
                let v = try #require(PhysicalValue.parse(c.display.text(for: raw))).value
                let (lo, hi) = (min(oldShown, goal.value), max(oldShown, goal.value))
                let slack = { (x: Double) in unit == .decibels ? 0.2 : 0.05 * abs(x) }
                #expect(v >= lo - slack(lo) && v <= hi + slack(hi),
                        "\(target): an intermediate showed \(PhysicalValue(v, unit)), outside \(PhysicalValue(oldShown, unit)) … \(goal)")
            }
            // Every write had its journal line before it was sent.
            let lines = try journalLines(try await h.bridge.journalURL()).filter { $0.groupID == applied.groupID }
            #expect(lines.filter { $0.kind != .outcome }.count == writes.count)
        }
        // The second time: undo, then the same targets again, each in one write — and with a
        // fresh bridge, which reads the measured curves from the state folder.
        let restarted = try await h.restartedBridge()
        defer { Task { await restarted.close() } }
        for target in c.targets.reversed() {
            stored.withLock { $0.removeAll() }
            _ = try await restarted.apply(try change(c, target), reason: "again \(target)")
            #expect(stored.withLock { $0.count } == 1, "\(target) took \(stored.withLock { $0.count }) writes the second time")
            let shown = try #require(h.fake.valueString(track: c.track, device: c.device, parameter: c.parameter))
            #expect(DisplayText.shows(shown, try #require(PhysicalValue.parse(target))), "\(target): Live shows \(shown)")
        }
    }

    @Test func curvesAreKeptPerLiveVersion() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        h.fake.misScale(track: "Kick", device: "Utility", parameter: "Gain", display: .amplitudeDB(maxDB: 24))
        _ = try await h.bridge.apply(ParameterChangeRequest(track: "Kick", device: "Utility", parameter: "Gain",
                                                            target: .physical(PhysicalValue(-3, .decibels))), reason: "12.1")
        let file = h.options.calibrationFile
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("12.1|StereoGain|Gain"))
        // Another Live version: the 12.1 measurements are not used, its own are kept beside them.
        h.fake.setVersion(major: 11, minor: 3)
        let restarted = try await h.restartedBridge()
        defer { Task { await restarted.close() } }
        try await restarted.connect()
        let status = await restarted.curveStatus(of: LiveDevice(index: 1, name: "Utility", className: "StereoGain", type: 2, parameters: [
            LiveParameter(index: 9, name: "Gain", min: 0, max: 1, value: 0.5, valueString: "x", isQuantized: false)]))
        #expect(status["Gain"]?.source == "modelled")
        _ = try await restarted.apply(ParameterChangeRequest(track: "Kick", device: "Utility", parameter: "Gain",
                                                             target: .physical(PhysicalValue(-6, .decibels))), reason: "11.3")
        let after = try String(contentsOf: file, encoding: .utf8)
        #expect(after.contains("11.3|StereoGain|Gain") && after.contains("12.1|StereoGain|Gain"))
    }

    @Test func calibrateMeasuresRestoresAndParamsShowsMeasuredCurves() async throws {
        let h = try AbletonHarness()
        defer { Task { await h.stop() } }
        h.fake.misScale(track: "Bass", device: "Compressor", parameter: "Attack", display: .linearRange(low: 0.01, high: 1000, unit: "ms"))
        let before = h.fake.set.tracks[1].devices[1].parameters.map(\.value)
        let levelBefore = try #require(h.fake.rawValue(track: "Bass", device: "Compressor", parameter: "Threshold"))
        let maxThreshold = Mutex<Float>(0)
        h.fake.onStore { event in
            if event.parameter == "Threshold" { maxThreshold.withLock { $0 = max($0, Float(event.raw)) } }
        }
        let measured = try await h.bridge.calibrate(track: "Bass", device: "Compressor")
        #expect(Set(measured.map(\.parameter)) == ["Threshold", "Ratio", "Attack", "Release", "Output Gain", "Dry/Wet"])
        // Every value is back, and no level went above where it was.
        #expect(h.fake.set.tracks[1].devices[1].parameters.map(\.value) == before)
        #expect(maxThreshold.withLock { $0 } <= levelBefore)
        let attack = try #require(measured.first { $0.parameter == "Attack" })
        #expect(attack.points.count >= 5 && attack.mapError > 100, "the linear attack is far from the log map: \(attack.mapError) ms")
        let release = try #require(measured.first { $0.parameter == "Release" })
        #expect(release.mapError < 5, "the release matches the map: \(release.mapError) ms")
        let groups = try await h.bridge.historyGroups()
        #expect(groups.last?.state == .restored)
        let (_, device) = try await h.bridge.parameters(track: "Bass", device: "Compressor")
        let status = await h.bridge.curveStatus(of: device)
        #expect(status["Attack"]?.source == "measured")
        #expect(status["Knee"]?.source == nil)
        // Measured, the next attack write lands at once.
        let applied = try await h.bridge.apply(ParameterChangeRequest(track: "Bass", device: "Compressor", parameter: "Attack",
                                                                      target: .physical(PhysicalValue(30, .milliseconds))), reason: "after calibrate")
        #expect(applied.notes.isEmpty)
        #expect(h.fake.valueString(track: "Bass", device: "Compressor", parameter: "Attack") == "30.0 ms")
    }
}
