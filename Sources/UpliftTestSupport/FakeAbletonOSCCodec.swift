import Foundation
internal import CLiblo

/// The fake AbletonOSC's own OSC codec (liblo underneath), kept apart from `UpliftAbleton`'s so a
/// bug in one does not hide in the other.
public enum FakeOSCArgument: Sendable, Equatable {
    case int(Int32)
    case int64(Int64)
    case float(Float)
    case double(Double)
    case string(String)
    case bool(Bool)
    case none

    var number: Double? {
        switch self {
        case .int(let v): Double(v)
        case .int64(let v): Double(v)
        case .float(let v): Double(v)
        case .double(let v): v
        case .bool(let b): b ? 1 : 0
        case .string(let s): Double(s.trimmingCharacters(in: .whitespaces))  // Python's int("3") works
        case .none: nil
        }
    }
}

public struct FakeOSCMessage: Sendable, Equatable {
    public var address: String
    public var arguments: [FakeOSCArgument]
    public init(_ address: String, _ arguments: [FakeOSCArgument]) {
        self.address = address
        self.arguments = arguments
    }
}

/// A datagram as the fake received it: one message, or a bundle (its elements, nested ones too).
indirect enum FakeOSCPacket {
    case message(FakeOSCMessage)
    case bundle([FakeOSCPacket])
    case unparsable(String)
}

enum FakeOSCCodec {
    static func encode(_ message: FakeOSCMessage) -> [UInt8] {
        guard let m = lo_message_new() else { return [] }
        defer { lo_message_free(m) }
        for argument in message.arguments {
            switch argument {
            case .int(let v): lo_message_add_int32(m, v)
            case .int64(let v): lo_message_add_int64(m, v)
            case .float(let v): lo_message_add_float(m, v)
            case .double(let v): lo_message_add_double(m, v)
            case .string(let s): lo_message_add_string(m, s)
            case .bool(let b): if b { lo_message_add_true(m) } else { lo_message_add_false(m) }
            case .none: lo_message_add_nil(m)
            }
        }
        var size = 0
        guard let raw = lo_message_serialise(m, message.address, nil, &size) else { return [] }
        defer { free(raw) }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> FakeOSCPacket {
        let tag = Array("#bundle\0".utf8)
        if bytes.count >= 16, bytes.prefix(8).elementsEqual(tag) {
            var elements: [FakeOSCPacket] = []
            var cursor = bytes.startIndex + 16
            while cursor + 4 <= bytes.endIndex {
                let size = Int(bytes[cursor]) << 24 | Int(bytes[cursor + 1]) << 16 | Int(bytes[cursor + 2]) << 8 | Int(bytes[cursor + 3])
                cursor += 4
                guard cursor + size <= bytes.endIndex else { elements.append(.unparsable("bundle element too long")); break }
                elements.append(decode(bytes[cursor..<cursor + size]))
                cursor += size
            }
            return .bundle(elements)
        }
        var copy = Array(bytes)
        var result: Int32 = 0
        return copy.withUnsafeMutableBytes { buffer -> FakeOSCPacket in
            guard let base = buffer.baseAddress, let m = lo_message_deserialise(base, buffer.count, &result),
                  let path = lo_get_path(base, buffer.count) else {
                return .unparsable("liblo error \(result)")
            }
            defer { lo_message_free(m) }
            let address = String(cString: path)
            let count = Int(lo_message_get_argc(m))
            var arguments: [FakeOSCArgument] = []
            if count > 0, let types = lo_message_get_types(m), let argv = lo_message_get_argv(m) {
                for i in 0..<count {
                    let tag = UInt8(bitPattern: types[i])
                    if tag == UInt8(ascii: "T") { arguments.append(.bool(true)); continue }
                    if tag == UInt8(ascii: "F") { arguments.append(.bool(false)); continue }
                    if tag == UInt8(ascii: "N") { arguments.append(.none); continue }
                    guard let arg = argv[i] else { return .unparsable("missing argument") }
                    switch tag {
                    case UInt8(ascii: "i"): arguments.append(.int(arg.pointee.i))
                    case UInt8(ascii: "h"): arguments.append(.int64(arg.pointee.h))
                    case UInt8(ascii: "f"): arguments.append(.float(arg.pointee.f))
                    case UInt8(ascii: "d"): arguments.append(.double(arg.pointee.d))
                    case UInt8(ascii: "s"), UInt8(ascii: "S"):
                        arguments.append(.string(String(cString: UnsafeRawPointer(arg).assumingMemoryBound(to: CChar.self))))
                    case UInt8(ascii: "T"): arguments.append(.bool(true))
                    case UInt8(ascii: "F"): arguments.append(.bool(false))
                    case UInt8(ascii: "N"): arguments.append(.none)
                    default: return .unparsable("unsupported type tag")
                    }
                }
            }
            return .message(FakeOSCMessage(address, arguments))
        }
    }
}
