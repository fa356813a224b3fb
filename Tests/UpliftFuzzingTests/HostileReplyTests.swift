import Foundation
import Testing
import UpliftAbleton

/// AbletonOSC replies found by `make fuzz`. The defect (reading each argument through the 8-byte
/// `lo_arg` union, 4 bytes past the end of a message whose last argument is a float or an int)
/// shows only under AddressSanitizer, which `make fuzz` builds with; here the same bytes must
/// decode to the values they carry.
@Suite("Hostile OSC replies")
struct HostileReplyTests {
    func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: HostileFiles.hostile(name)))) }

    @Test("a float as the last argument (heap over-read under ASan before the fix) decodes to its value")
    func floatLast() throws {
        let messages = try OSCReplyDecoder.decode(try bytes("osc-float-last-argument.osc"))
        #expect(messages == [OSCMessage("/live/song/get/tempo", [.float32(138)])])
    }

    @Test("ints, floats and a double are each read at their own width")
    func mixedWidths() throws {
        let messages = try OSCReplyDecoder.decode(try bytes("osc-int-float-double.osc"))
        #expect(messages == [OSCMessage("/live/device/get/parameters/value", [.int32(1), .int32(0), .float32(0.5), .float32(0.25), .float64(0.125)])])
    }
}
