import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fake AbletonOSC for tests and benchmarks, speaking the protocol of
/// `shared/abletonosc.md` over real UDP on 127.0.0.1: it listens on `listenPort` (11000), replies
/// to (sender's IP, `replyPort`) (11001), handles queued datagrams once per tick (~100 ms, 0 for
/// as fast as possible), answers T/F/N tags and float32 values, sends `/live/error` for bad
/// indices, out-of-range values and unknown addresses, and drops the rest of a bundle after an error.
public final class FakeAbletonOSC: Sendable {
    public struct Options: Sendable {
        public var listenPort: UInt16
        public var replyPort: UInt16
        public var tickMS: Int
        public init(listenPort: UInt16 = 11000, replyPort: UInt16 = 11001, tickMS: Int = 100) {
            self.listenPort = listenPort
            self.replyPort = replyPort
            self.tickMS = tickMS
        }
    }

    public let options: Options
    private let descriptor: Int32
    private let model: Mutex<Model>
    private let stopped = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)

    struct Model {
        var set: FakeLiveSet
        var lastSender = in_addr(s_addr: inet_addr("127.0.0.1"))
        var handled: [String] = []
        var errorsSent: [String] = []
    }

    public init(options: Options = Options(), set: FakeLiveSet = .trance()) throws {
        self.options = options
        self.model = Mutex(Model(set: set))
        let fd = socket(AF_INET, fakeDatagramSocketType, 0)
        guard fd >= 0 else { throw FakeAbletonOSCError("socket() failed: \(String(cString: strerror(errno)))") }
        var size: Int32 = 1 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = options.listenPort.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let message = String(cString: strerror(errno))
            fakeClose(fd)
            throw FakeAbletonOSCError("fake AbletonOSC could not bind 127.0.0.1:\(options.listenPort): \(message)")
        }
        descriptor = fd
        let thread = Thread { [self] in self.run() }
        thread.name = "fake-abletonosc"
        thread.start()
    }

    deinit { stop() }

    /// Stops the tick loop and closes the socket (Live quitting).
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for _ in 0..<500 where !finished.load(ordering: .acquiring) { usleep(2_000) }
        fakeClose(descriptor)
    }

    // MARK: - Test controls

    /// A snapshot of the set as Live holds it now.
    public var set: FakeLiveSet { model.withLock { $0.set } }

    /// Addresses handled so far, in order (bundle elements included).
    public var handledAddresses: [String] { model.withLock { $0.handled } }

    public var errorsSent: [String] { model.withLock { $0.errorsSent } }

    public func rawValue(track: String, device: String, parameter: String) -> Float? {
        model.withLock { m in
            locate(m.set, track, device, parameter).map { m.set.tracks[$0.0].devices[$0.1].parameters[$0.2].value }
        }
    }

    public func valueString(track: String, device: String, parameter: String) -> String? {
        model.withLock { m in
            locate(m.set, track, device, parameter).map { m.set.tracks[$0.0].devices[$0.1].parameters[$0.2].valueString }
        }
    }

    /// The producer turns a knob in Live.
    public func moveByHand(track: String, device: String, parameter: String, raw: Float) {
        model.withLock { m in
            guard let (t, d, p) = locate(m.set, track, device, parameter) else { return }
            m.set.tracks[t].devices[d].parameters[p].value = raw
        }
    }

    /// Makes the fake Live display a parameter on another scale than the bridge's map assumes.
    public func misScale(track: String, device: String, parameter: String, display: FakeDisplay) {
        model.withLock { m in
            guard let (t, d, p) = locate(m.set, track, device, parameter) else { return }
            m.set.tracks[t].devices[d].parameters[p].display = display
        }
    }

    /// The producer drags a device to another position on its track.
    public func moveDevice(track: String, from: Int, to: Int) {
        model.withLock { m in
            guard let t = m.set.tracks.firstIndex(where: { $0.name == track }) else { return }
            let device = m.set.tracks[t].devices.remove(at: from)
            m.set.tracks[t].devices.insert(device, at: to)
        }
    }

    /// Replaces the whole set (the producer opened another set, or edited this one).
    public func edit(_ change: (inout FakeLiveSet) -> Void) {
        model.withLock { change(&$0.set) }
    }

    private func locate(_ set: FakeLiveSet, _ track: String, _ device: String, _ parameter: String) -> (Int, Int, Int)? {
        guard let t = set.tracks.firstIndex(where: { $0.name == track }),
              let d = set.tracks[t].devices.firstIndex(where: { $0.name == device }),
              let p = set.tracks[t].devices[d].parameters.firstIndex(where: { $0.name == parameter }) else { return nil }
        return (t, d, p)
    }

    // MARK: - The tick loop

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        // Live calls update_display on a steady ~100 ms timer, whatever the work in a tick.
        let clock = ContinuousClock()
        var nextTick = clock.now
        while !stopped.load(ordering: .acquiring) {
            if options.tickMS > 0 {
                nextTick += .milliseconds(options.tickMS)
                let now = clock.now
                if nextTick > now {
                    // Sleep in short slices so stop() is prompt.
                    while clock.now < nextTick && !stopped.load(ordering: .acquiring) {
                        let left = nextTick - clock.now
                        usleep(useconds_t(max(100, min(20_000, left.components.attoseconds / 1_000_000_000_000 + left.components.seconds * 1_000_000))))
                    }
                } else {
                    nextTick = now
                }
            } else {
                var pfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 20) > 0 else { continue }
            }
            // Drain what is queued, like AbletonOSC's tick(); an exception ends this tick's drain.
            while !stopped.load(ordering: .acquiring) {
                var from = sockaddr_in()
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                let count = buffer.withUnsafeMutableBytes { raw in
                    withUnsafeMutablePointer(to: &from) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            recvfrom(descriptor, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT), $0, &length)
                        }
                    }
                }
                guard count > 0 else { break }
                let failed = handleDatagram(buffer[0..<count], from: from.sin_addr)
                if failed && options.tickMS > 0 { break }
            }
        }
        finished.store(true, ordering: .releasing)
    }

    /// Returns true when a handler failed (which ends AbletonOSC's drain loop for this tick).
    private func handleDatagram(_ bytes: ArraySlice<UInt8>, from: in_addr) -> Bool {
        model.withLock { $0.lastSender = from }
        switch FakeOSCCodec.decode(bytes) {
        case .unparsable(let why):
            sendError("Error parsing OSC message: \(why)", to: from)
            return true
        case .message(let message):
            return !handle(message, from: from)
        case .bundle(let elements):
            return !handleBundle(elements, from: from)
        }
    }

    /// Handles bundle elements in order; after a failure the rest of the bundle is dropped.
    private func handleBundle(_ elements: [FakeOSCPacket], from: in_addr) -> Bool {
        for element in elements {
            switch element {
            case .message(let message): if !handle(message, from: from) { return false }
            case .bundle(let inner): if !handleBundle(inner, from: from) { return false }
            case .unparsable(let why):
                sendError("Error parsing OSC message: \(why)", to: from)
                return false
            }
        }
        return true
    }

    private func handle(_ message: FakeOSCMessage, from: in_addr) -> Bool {
        model.withLock { $0.handled.append(message.address) }
        do {
            let replies = try respond(to: message)
            for reply in replies { send(reply, to: from) }
            return true
        } catch let error as FakeHandlerError {
            switch error {
            case .unknownAddress: sendError("Unknown OSC address: \(message.address)", to: from)
            case .failed(let text): sendError("Error handling OSC message: \(text)", to: from)
            }
            return false
        } catch {
            sendError("Error handling OSC message: \(error)", to: from)
            return false
        }
    }

    private func sendError(_ text: String, to address: in_addr) {
        model.withLock { $0.errorsSent.append(text) }
        send(FakeOSCMessage("/live/error", [.string(text)]), to: address)
    }

    private func send(_ message: FakeOSCMessage, to address: in_addr) {
        let bytes = FakeOSCCodec.encode(message)
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = options.replyPort.bigEndian
        target.sin_addr = address
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    // MARK: - Handlers (AbletonOSC's, on the fake model)

    private func respond(to message: FakeOSCMessage) throws -> [FakeOSCMessage] {
        let a = message.arguments
        let address = message.address
        func int(_ i: Int) throws -> Int {
            // Handlers int() their indices: ints, floats and numeric strings all work.
            guard a.indices.contains(i), let n = a[i].number else { throw FakeHandlerError.failed("Index out of range") }
            return Int(n)
        }
        func reply(_ args: [FakeOSCArgument]) -> [FakeOSCMessage] { [FakeOSCMessage(address, args)] }
        return try model.withLock { m -> [FakeOSCMessage] in
            func track(_ i: Int) throws -> Int {
                let t = try int(i)
                guard m.set.tracks.indices.contains(t) else { throw FakeHandlerError.failed("Index out of range") }
                return t
            }
            func device(_ t: Int, _ i: Int) throws -> Int {
                let d = try int(i)
                guard m.set.tracks[t].devices.indices.contains(d) else { throw FakeHandlerError.failed("Index out of range") }
                return d
            }
            func parameter(_ t: Int, _ d: Int, _ i: Int) throws -> Int {
                let p = try int(i)
                guard m.set.tracks[t].devices[d].parameters.indices.contains(p) else { throw FakeHandlerError.failed("Index out of range") }
                return p
            }
            switch address {
            case "/live/test": return reply([.string("ok")])
            case "/live/application/get/version": return reply([.int(12), .int(1)])
            case "/live/song/get/tempo": return reply([.float(m.set.tempo)] + a)
            case "/live/song/set/tempo":
                guard let x = a.first?.number else { throw FakeHandlerError.failed("Index out of range") }
                guard x >= 20, x <= 999 else { throw FakeHandlerError.failed("Tempo out of range") }
                m.set.tempo = Float(x)
                return []
            case "/live/song/get/num_tracks": return reply([.int(Int32(m.set.tracks.count))])
            case "/live/song/get/track_names":
                var names = m.set.tracks.map(\.name)
                if a.count >= 2, case .int(let lo) = a[0], case .int(let hi) = a[1] {
                    let upper = hi < 0 ? names.count : min(Int(hi), names.count)
                    names = Int(lo) < upper ? Array(names[Int(lo)..<upper]) : []
                }
                return reply(names.map { .string($0) })
            case "/live/song/get/can_undo", "/live/song/get/can_redo": return reply([.bool(false)])
            case "/live/song/undo", "/live/song/redo": return []
            case "/live/track/get/name":
                let t = try track(0)
                return reply([a[0], .string(m.set.tracks[t].name)])
            case "/live/track/get/volume":
                let t = try track(0)
                return reply([a[0], .float(m.set.tracks[t].volume)])
            case "/live/track/set/volume":
                let t = try track(0)
                guard a.count > 1, let x = a[1].number else { throw FakeHandlerError.failed("Index out of range") }
                guard x >= 0, x <= 1 else { throw FakeHandlerError.failed("Invalid value. Check the parameters range with min/max") }
                m.set.tracks[t].volume = Float(x)
                return []
            case "/live/track/get/num_devices":
                let t = try track(0)
                return reply([a[0], .int(Int32(m.set.tracks[t].devices.count))])
            case "/live/track/get/devices/name":
                let t = try track(0)
                return reply([a[0]] + m.set.tracks[t].devices.map { .string($0.name) })
            case "/live/track/get/devices/class_name":
                let t = try track(0)
                return reply([a[0]] + m.set.tracks[t].devices.map { .string($0.className) })
            case "/live/track/get/devices/type":
                let t = try track(0)
                return reply([a[0]] + m.set.tracks[t].devices.map { .int(Int32($0.type)) })
            case "/live/device/get/name", "/live/device/get/class_name", "/live/device/get/type",
                 "/live/device/get/num_parameters":
                let t = try track(0), d = try device(t, 1)
                let dev = m.set.tracks[t].devices[d]
                let value: FakeOSCArgument = switch address {
                case "/live/device/get/name": .string(dev.name)
                case "/live/device/get/class_name": .string(dev.className)
                case "/live/device/get/type": .int(Int32(dev.type))
                default: .int(Int32(dev.parameters.count))
                }
                return reply([a[0], a[1], value])
            case "/live/device/get/parameters/name", "/live/device/get/parameters/value", "/live/device/get/parameters/min",
                 "/live/device/get/parameters/max", "/live/device/get/parameters/is_quantized":
                let t = try track(0), d = try device(t, 1)
                let values: [FakeOSCArgument] = m.set.tracks[t].devices[d].parameters.map { p in
                    switch address {
                    case "/live/device/get/parameters/name": .string(p.name)
                    case "/live/device/get/parameters/value": .float(p.value)
                    case "/live/device/get/parameters/min": .float(p.min)
                    case "/live/device/get/parameters/max": .float(p.max)
                    default: .bool(p.isQuantized)
                    }
                }
                return reply([a[0], a[1]] + values)
            case "/live/device/get/parameter/value", "/live/device/get/parameter/value_string", "/live/device/get/parameter/name":
                let t = try track(0), d = try device(t, 1), p = try parameter(t, d, 2)
                let par = m.set.tracks[t].devices[d].parameters[p]
                let value: FakeOSCArgument = switch address {
                case "/live/device/get/parameter/value": .float(par.value)
                case "/live/device/get/parameter/value_string": .string(par.valueString)
                default: .string(par.name)
                }
                return reply([a[0], a[1], a[2], value])
            case "/live/device/set/parameter/value":
                let t = try track(0), d = try device(t, 1), p = try parameter(t, d, 2)
                guard a.count > 3, let x = a[3].number else { throw FakeHandlerError.failed("Index out of range") }
                try FakeAbletonOSC.store(x, into: &m.set.tracks[t].devices[d].parameters[p])
                return []
            case "/live/device/set/parameters/value":
                let t = try track(0), d = try device(t, 1)
                for (offset, argument) in a.dropFirst(2).enumerated() {
                    guard m.set.tracks[t].devices[d].parameters.indices.contains(offset), let x = argument.number else {
                        throw FakeHandlerError.failed("Index out of range")
                    }
                    try FakeAbletonOSC.store(x, into: &m.set.tracks[t].devices[d].parameters[offset])
                }
                return []
            default:
                throw FakeHandlerError.unknownAddress
            }
        }
    }

    /// Live's rules: out of range is refused (nothing stored); quantized values snap; float32 storage.
    static func store(_ x: Double, into parameter: inout FakeParameter) throws {
        guard x >= Double(parameter.min), x <= Double(parameter.max) else {
            throw FakeHandlerError.failed("Invalid value. Check the parameters range with min/max")
        }
        parameter.value = parameter.isQuantized ? Float(x.rounded(.towardZero)) : Float(x)
    }
}

#if canImport(Glibc)
let fakeDatagramSocketType = Int32(SOCK_DGRAM.rawValue)
private func fakeClose(_ fd: Int32) { _ = Glibc.close(fd) }
#else
let fakeDatagramSocketType = SOCK_DGRAM
private func fakeClose(_ fd: Int32) { _ = Darwin.close(fd) }
#endif

enum FakeHandlerError: Error {
    case unknownAddress
    case failed(String)
}

public struct FakeAbletonOSCError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
