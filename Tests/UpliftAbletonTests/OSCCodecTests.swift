import Foundation
import Testing
@testable import UpliftAbleton

@Suite struct OSCCodecTests {
    @Test func roundTripsEveryTagAbletonOSCUses() throws {
        let message = OSCMessage("/live/device/get/parameters/is_quantized",
                                 [.int32(0), .int32(2), .bool(true), .bool(false), .null, .float32(0.85), .string("EQ Eight"), .int64(1 << 40)])
        let decoded = try OSCCodec.decode(OSCCodec.encode(message))
        #expect(decoded == [message])
        // Live's float32: 0.85 reads back as 0.8500000238418579, never as the double 0.85.
        #expect(decoded[0].arguments[5].doubleValue == Double(Float(0.85)))
        #expect(decoded[0].arguments[5].doubleValue != 0.85)
    }

    @Test func bundlesFlattenInOrder() throws {
        let messages = [OSCMessage("/live/test"), OSCMessage("/live/song/get/tempo"), OSCMessage("/live/track/get/name", [.int32(3)])]
        let bytes = try OSCCodec.encodeBundle(messages)
        #expect(bytes.prefix(8).elementsEqual(Array("#bundle\0".utf8)))
        #expect(try OSCCodec.decode(bytes) == messages)
    }

    @Test func garbageIsAnErrorNotACrash() {
        #expect(throws: AbletonError.self) { try OSCCodec.decode([0x2f, 0x78, 0, 0, 0x2c, 0x69]) }
    }
}

@Suite struct ValueStringTests {
    @Test(arguments: [
        ("-3.0 dB", -3.0, PhysicalUnit.decibels), ("2.50 kHz", 2500, .hertz), ("812 Hz", 812, .hertz), ("30.0 ms", 30, .milliseconds),
        ("1.20 s", 1200, .milliseconds), ("4.00 : 1", 4, .ratio), ("80 %", 80, .percent), ("0.71", 0.71, .plain),
        ("-3dB", -3, .decibels), ("2.5kHz", 2500, .hertz), ("30ms", 30, .milliseconds), ("4:1", 4, .ratio), ("80%", 80, .percent),
    ])
    func parses(text: String, value: Double, unit: PhysicalUnit) throws {
        let parsed = try #require(PhysicalValue.parse(text))
        #expect(parsed.unit == unit)
        #expect(abs(parsed.value - value) < 1e-9)
    }

    @Test func infinitiesAndWords() {
        #expect(PhysicalValue.parse("-inf dB") == PhysicalValue(-.infinity, .decibels))
        #expect(PhysicalValue.parse("inf : 1") == PhysicalValue(.infinity, .ratio))
        #expect(PhysicalValue.parse("Bell") == nil)
        #expect(PhysicalValue.parse("3 parsecs") == nil)
    }

    @Test func tolerancesAreTheIssues() {
        #expect(PhysicalUnit.hertz.withinTolerance(1019, of: 1000))
        #expect(!PhysicalUnit.hertz.withinTolerance(1021, of: 1000))
        #expect(PhysicalUnit.decibels.withinTolerance(-3.1, of: -3))
        #expect(!PhysicalUnit.decibels.withinTolerance(-3.15, of: -3))
        #expect(PhysicalUnit.milliseconds.withinTolerance(30.5, of: 30))
        #expect(!PhysicalUnit.milliseconds.withinTolerance(31, of: 30))
    }

    @Test func mapScalesInvert() {
        for scale in [RawScale.logarithmic(low: 10, high: 22000), .amplitudeDB(maxDB: 35), .compressorRatio, .pitchHz, .linear(factor: 100)] {
            for raw in [0.1, 0.3, 0.5, 0.9] {
                let (lo, hi) = scale == .pitchHz ? (20.0, 135.0) : (0.0, 1.0)
                let r = scale == .pitchHz ? 20 + raw * 115 : raw
                let back = scale.raw(physical: scale.physical(raw: r, min: lo, max: hi), min: lo, max: hi)
                #expect(abs(back - r) < 1e-9, "\(scale) at \(r)")
            }
        }
    }
}
