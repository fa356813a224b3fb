import Foundation
import Testing
import Synchronization
@testable import UpliftAbleton
import UpliftModel
import UpliftTestSupport

/// Random set / undo / redo / re-discover operations from two concurrent tasks against a fake
/// Live that delays, drops and mis-blames replies. At the end the journal and Live agree, and
/// every value Live stored had its journal line on disk before Live heard it.
/// `make soak` runs 2,000 operations with 0–300 ms reply delays; the test suite runs 200 with
/// 0–20 ms delays (the full weather would take minutes).
@Suite struct SoakTests {
    struct Target: Sendable {
        var track: String, device: String, parameter: String
        var values: @Sendable (inout FakeRandom) -> String
    }

    static let targets: [Target] = [
        Target(track: "Kick", device: "EQ Eight", parameter: "4 Gain A") { r in "\(Double(Int(r.unit() * 37) - 24) / 2)dB" },
        Target(track: "Pad", device: "Utility", parameter: "Gain") { r in "\(-Double(Int(r.unit() * 40)) / 2)dB" },
        Target(track: "Lead", device: "EQ Eight", parameter: "2 Frequency A") { r in "\(100 + Int(r.unit() * 190) * 10)Hz" },
        Target(track: "Bass", device: "Compressor", parameter: "Attack") { r in "\(1 + Int(r.unit() * 99))ms" },
        Target(track: "Bass", device: "Mixer", parameter: "Volume") { r in "\(-Double(Int(r.unit() * 40)) / 2)dB" },
        Target(track: "Kick", device: "Mixer", parameter: "Pan") { r in
            let n = Int(r.unit() * 101) - 50
            return n == 0 ? "C" : n < 0 ? "\(-n)L" : "\(n)R"
        },
    ]

    struct Stored: Sendable { var event: FakeStoreEvent; var journalBytes: Int }

    struct Outcome: Sendable {
        var operations: Int
        var errors: [String: Int]
        var duration: Duration
        var dropped: Int
        var strayErrors: Int
        var stores: Int
    }

    func soak(operations: Int, delays: ClosedRange<Int>, timeout: Duration, seed: UInt64) async throws -> Outcome {
        let h = try AbletonHarness(requestTimeout: timeout)
        defer { Task { await h.stop() } }
        // One curve unlike the map, so corrections (and their journal lines) happen too.
        h.fake.misScale(track: "Lead", device: "EQ Eight", parameter: "2 Frequency A", display: .logarithmic(low: 20, high: 20000, unit: "Hz"))
        try await h.bridge.connect()
        let journalURL = try await h.bridge.journalURL()
        let stored = Locked<[Stored]>([])
        h.fake.onStore { event in
            // What the journal holds at the instant Live stores the value.
            var info = stat()
            let size = stat(journalURL.path, &info) == 0 ? Int(info.st_size) : 0
            stored.withLock { $0.append(Stored(event: event, journalBytes: size)) }
        }
        h.fake.setFaults(FakeFaults(replyDelayMS: delays, dropProbability: 0.01, strayErrorProbability: 0.005), seed: seed)
        let errors = Locked<[String: Int]>([:])
        let bridge = h.bridge
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<2 {
                group.addTask {
                    var random = FakeRandom(seed: seed &+ UInt64(worker) &* 7919)
                    for _ in 0..<(operations / 2) {
                        let dice = random.unit()
                        do throws(AbletonError) {
                            if dice < 0.6 {
                                let t = SoakTests.targets[Int(random.unit() * Double(SoakTests.targets.count)) % SoakTests.targets.count]
                                let value = t.values(&random)
                                let target = try ParameterTarget.parse(value, raw: false)
                                _ = try await bridge.apply(ParameterChangeRequest(track: t.track, device: t.device, parameter: t.parameter, target: target),
                                                           reason: "soak \(worker)")
                            } else if dice < 0.75 {
                                _ = try await bridge.undo()
                            } else if dice < 0.85 {
                                _ = try await bridge.redo()
                            } else {
                                try await bridge.connect()
                            }
                        } catch {
                            errors.withLock { $0[error.kind + ": " + String(error.message.prefix(error.code == .verificationFailed ? 400 : 70)), default: 0] += 1 }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let duration = ContinuousClock.now - start
        let (dropped, stray) = h.fake.faultCounts
        // Calm weather: reconnect, which settles anything left pending.
        h.fake.setFaults(FakeFaults())
        try await bridge.connect()
        let groups = try await bridge.historyGroups()
        #expect(groups.allSatisfy { $0.state != .pending }, "pending after a calm reconnect: \(groups.filter { $0.state == .pending }.count)")

        // 1. The journal and Live agree: the last settled group on each parameter says what Live holds.
        var expected: [String: Double] = [:]
        let lines = try journalLines(journalURL)
        if ProcessInfo.processInfo.environment["UPLIFT_SOAK_DEBUG"] != nil {
            for g in groups where g.state == .restored || g.state == .failed {
                for line in lines where line.groupID == g.groupID {
                    print("  \(line.kind) \(line.state) \(line.changes.map { "\($0.parameter) old \($0.oldRaw) \($0.oldText) new \($0.newRaw) \($0.newText ?? "-")" }) \(line.message ?? "")")
                }
            }
        }
        let byID = Dictionary(uniqueKeysWithValues: groups.map { ($0.groupID, $0) })
        for line in lines where line.kind == .outcome {
            guard let g = byID[line.groupID], g.state != .diverged else { continue }
            for change in line.changes {
                let key = "\(change.track)|\(change.device)|\(change.parameter)"
                expected[key] = (g.state == .applied || g.state == .partial) ? change.newRaw : change.oldRaw
            }
        }
        let set = h.fake.set
        for (key, raw) in expected {
            let parts = key.split(separator: "|").map(String.init)
            guard let track = set.tracks.first(where: { $0.name == parts[0] }) else { continue }
            let live: Float?
            if parts[1] == "Mixer" {
                live = parts[2] == "Volume" ? track.volume : parts[2] == "Pan" ? track.panning : nil
            } else {
                live = h.fake.rawValue(track: parts[0], device: parts[1], parameter: parts[2])
            }
            guard let live else { continue }
            #expect(rawEqual(Double(live), raw) || rawEqual(Double(live), Double(Float(raw))), "\(key): Live holds \(live), the journal says \(raw)")
        }

        // 2. Every value Live stored had a journal line with it on disk before.
        let bytes = try Data(contentsOf: journalURL)
        var written: [String: [(end: Int, raw: Double)]] = [:]
        var offset = 0
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            offset += line.count + 1
            guard let entry = try? decoder.decode(JournalEntry.self, from: Data(line)), entry.kind != .outcome else { continue }
            for c in entry.changes {
                written["\(c.track)|\(c.device)|\(c.parameter)", default: []].append((offset - 1, c.newRaw))
            }
        }
        let allStored = stored.withLock { $0 }
        var unjournalled: [String] = []
        for s in allStored {
            let key = "\(s.event.track)|\(s.event.device)|\(s.event.parameter)"
            let ok = (written[key] ?? []).contains { $0.end <= s.journalBytes && (rawEqual(Double(Float($0.raw)), s.event.raw) || rawEqual($0.raw, s.event.raw)) }
            if !ok { unjournalled.append("\(key) = \(s.event.raw)") }
        }
        #expect(unjournalled.isEmpty, "stored without a journal line before: \(unjournalled.prefix(5))")
        return Outcome(operations: operations, errors: errors.withLock { $0 }, duration: duration, dropped: dropped, strayErrors: stray,
                       stores: allStored.count)
    }

    @Test func twoHundredOperationsInLightWeather() async throws {
        let outcome = try await soak(operations: 200, delays: 0...20, timeout: .milliseconds(300), seed: 14)
        #expect(outcome.stores > 100)
        print("soak 200: \(outcome.duration), errors \(outcome.errors), dropped \(outcome.dropped), stray \(outcome.strayErrors), stores \(outcome.stores)")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["UPLIFT_SOAK"] != nil))
    func twoThousandOperations() async throws {
        let outcome = try await soak(operations: 2000, delays: 0...300, timeout: .seconds(1), seed: 2026)
        #expect(outcome.stores > 1000)
        print("soak 2000: \(outcome.duration), errors \(outcome.errors), dropped \(outcome.dropped), stray \(outcome.strayErrors), stores \(outcome.stores)")
    }
}

/// A value shared by concurrent tasks (a class, so closures capture a reference).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
