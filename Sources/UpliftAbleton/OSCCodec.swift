internal import CLiblo
import Foundation

/// Encodes and decodes OSC datagrams with liblo's serialisers; the socket is ours (`UDPSocket`),
/// because liblo 0.31's servers bind every interface even when given an address.
enum OSCCodec {
    static func buildMessage(_ message: OSCMessage) -> lo_message? {
        guard let m = lo_message_new() else { return nil }
        for argument in message.arguments {
            switch argument {
            case .int32(let v): lo_message_add_int32(m, v)
            case .int64(let v): lo_message_add_int64(m, v)
            case .float32(let v): lo_message_add_float(m, v)
            case .float64(let v): lo_message_add_double(m, v)
            case .string(let s): lo_message_add_string(m, s)
            case .bool(let b): if b { lo_message_add_true(m) } else { lo_message_add_false(m) }
            case .null: lo_message_add_nil(m)
            }
        }
        return m
    }

    static func encode(_ message: OSCMessage) throws(AbletonError) -> [UInt8] {
        guard let m = buildMessage(message) else { throw AbletonError(.encoding, "liblo could not allocate a message for \(message.address)") }
        defer { lo_message_free(m) }
        var size = 0
        guard let raw = lo_message_serialise(m, message.address, nil, &size) else {
            throw AbletonError(.encoding, "liblo could not serialise \(message.address)")
        }
        defer { free(raw) }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// A bundle with immediate time tag (AbletonOSC ignores time tags).
    static func encodeBundle(_ messages: [OSCMessage]) throws(AbletonError) -> [UInt8] {
        guard let bundle = lo_bundle_new(lo_timetag(sec: 0, frac: 1)) else {
            throw AbletonError(.encoding, "liblo could not allocate a bundle")
        }
        defer { lo_bundle_free_recursive(bundle) }
        for message in messages {
            guard let m = buildMessage(message) else { throw AbletonError(.encoding, "liblo could not allocate a message") }
            // The bundle copies the path; liblo takes a reference on the message.
            lo_bundle_add_message(bundle, message.address, m)
        }
        var size = 0
        guard let raw = lo_bundle_serialise(bundle, nil, &size) else {
            throw AbletonError(.encoding, "liblo could not serialise a bundle of \(messages.count) messages")
        }
        defer { free(raw) }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// Decodes one datagram: a message, or a bundle (nested too) flattened into its messages in order.
    static func decode(_ bytes: [UInt8]) throws(AbletonError) -> [OSCMessage] {
        var out: [OSCMessage] = []
        try decode(bytes[...], into: &out, depth: 0)
        return out
    }

    private static let bundleTag: [UInt8] = Array("#bundle\0".utf8)

    private static func decode(_ bytes: ArraySlice<UInt8>, into out: inout [OSCMessage], depth: Int) throws(AbletonError) {
        if bytes.count >= 16, bytes.prefix(8).elementsEqual(bundleTag) {
            guard depth < 8 else { throw AbletonError(.decoding, "OSC bundles nested too deep") }
            var cursor = bytes.startIndex + 16
            while cursor + 4 <= bytes.endIndex {
                let size = Int(bytes[cursor]) << 24 | Int(bytes[cursor + 1]) << 16 | Int(bytes[cursor + 2]) << 8 | Int(bytes[cursor + 3])
                cursor += 4
                guard size >= 0, cursor + size <= bytes.endIndex else {
                    throw AbletonError(.decoding, "OSC bundle element runs past the datagram")
                }
                try decode(bytes[cursor..<cursor + size], into: &out, depth: depth + 1)
                cursor += size
            }
            return
        }
        out.append(try decodeMessage(Array(bytes)))
    }

    private static func decodeMessage(_ bytes: [UInt8]) throws(AbletonError) -> OSCMessage {
        var copy = bytes
        var result: Int32 = 0
        let decoded: (String, lo_message?) = copy.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return ("", nil) }
            let pathPointer = lo_get_path(base, buffer.count)
            let path = pathPointer.map { String(cString: $0) } ?? ""
            return (path, lo_message_deserialise(base, buffer.count, &result))
        }
        guard let m = decoded.1 else {
            throw AbletonError(.decoding, "liblo could not decode an OSC message (error \(result))")
        }
        defer { lo_message_free(m) }
        let count = Int(lo_message_get_argc(m))
        var arguments: [OSCValue] = []
        arguments.reserveCapacity(count)
        guard count > 0 else { return OSCMessage(decoded.0, []) }
        guard let types = lo_message_get_types(m), let argv = lo_message_get_argv(m) else {
            throw AbletonError(.decoding, "liblo returned no arguments for \(decoded.0)")
        }
        for i in 0..<count {
            let tag = UInt8(bitPattern: types[i])
            // T, F and N carry no payload: liblo gives no argument pointer for them.
            switch tag {
            case UInt8(ascii: "T"): arguments.append(.bool(true)); continue
            case UInt8(ascii: "F"): arguments.append(.bool(false)); continue
            case UInt8(ascii: "N"): arguments.append(.null); continue
            default: break
            }
            guard let arg = argv[i] else { throw AbletonError(.decoding, "missing argument \(i) in \(decoded.0)") }
            // Each argument is read at its own width: liblo stores a 4-byte argument in 4 bytes, and
            // `arg.pointee` would read the whole 8-byte `lo_arg` union, past the end of the last one
            // (found by `make fuzz` under AddressSanitizer).
            let raw = UnsafeRawPointer(arg)
            switch tag {
            case UInt8(ascii: "i"): arguments.append(.int32(raw.loadUnaligned(as: Int32.self)))
            case UInt8(ascii: "h"): arguments.append(.int64(raw.loadUnaligned(as: Int64.self)))
            case UInt8(ascii: "f"): arguments.append(.float32(raw.loadUnaligned(as: Float.self)))
            case UInt8(ascii: "d"): arguments.append(.float64(raw.loadUnaligned(as: Double.self)))
            case UInt8(ascii: "s"), UInt8(ascii: "S"):
                arguments.append(.string(String(cString: UnsafeRawPointer(arg).assumingMemoryBound(to: CChar.self))))
            case UInt8(ascii: "T"): arguments.append(.bool(true))
            case UInt8(ascii: "F"): arguments.append(.bool(false))
            case UInt8(ascii: "N"): arguments.append(.null)
            case UInt8(ascii: "c"): arguments.append(.int32(Int32(raw.loadUnaligned(as: CChar.self))))
            default:
                throw AbletonError(.decoding, "unsupported OSC type tag '\(Character(UnicodeScalar(tag)))' in \(decoded.0)")
            }
        }
        return OSCMessage(decoded.0, arguments)
    }
}
