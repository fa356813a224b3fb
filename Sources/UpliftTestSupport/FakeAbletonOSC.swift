import Foundation
import UpliftDSP
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
        var faults = FakeFaults()
        var random = FakeRandom(seed: 1)
        /// Targeted faults: replies to these addresses dropped (count left), or delayed once.
        var dropNext: [String: Int] = [:]
        var dropAfterSet: [String: Int] = [:]
        var setsHandled = 0
        var delayNext: [String: Int] = [:]
        var onStore: (@Sendable (FakeStoreEvent) -> Void)?
        var listeningTempo = false
        var listeningBeat = false
        var playing = false
        var songTime: Double = 0
        var lastTransportTick: ContinuousClock.Instant? = nil
        var repliesDropped = 0
        var strayErrors = 0
        var stalledUntil: ContinuousClock.Instant? = nil
        var version = (major: 12, minor: 1)
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

    /// Random reply delays, dropped replies and stray `/live/error`s (the soak's weather).
    public func setFaults(_ faults: FakeFaults, seed: UInt64 = 1) {
        model.withLock { $0.faults = faults; $0.random = FakeRandom(seed: seed) }
    }

    /// Another Live version answers `/live/application/get/version`.
    public func setVersion(major: Int, minor: Int) {
        model.withLock { $0.version = (major, minor) }
    }

    /// Live busy (a long UI redraw, a plug-in loading): nothing is handled for `ms`; what arrives
    /// meanwhile is handled afterwards, in order.
    public func stall(ms: Int) {
        model.withLock { $0.stalledUntil = ContinuousClock.now + .milliseconds(ms) }
    }

    /// Drops the next `count` replies on `address` (a reply lost on the wire).
    public func dropReplies(to address: String, count: Int = 1) {
        model.withLock { $0.dropNext[address, default: 0] += count }
    }

    /// Drops the next `count` replies on `address` sent after the next parameter write.
    public func dropReplies(to address: String, afterNextSet count: Int) {
        model.withLock { $0.dropAfterSet[address, default: 0] += count; $0.setsHandled = 0 }
    }

    /// Sends the next reply on `address` `ms` milliseconds late (Live busy, a slow network).
    public func delayNextReply(to address: String, ms: Int) {
        model.withLock { $0.delayNext[address] = ms }
    }

    /// Called on Live's thread each time a value is stored (parameter, volume, pan, send).
    public func onStore(_ observer: (@Sendable (FakeStoreEvent) -> Void)?) {
        model.withLock { $0.onStore = observer }
    }

    /// Replies dropped and stray errors sent by the faults so far.
    public var faultCounts: (dropped: Int, strayErrors: Int) { model.withLock { ($0.repliesDropped, $0.strayErrors) } }

    /// The transport: playing pushes `/live/song/get/beat` on each new beat to a beat listener.
    public func setPlaying(_ playing: Bool) {
        model.withLock { $0.playing = playing; $0.lastTransportTick = playing ? ContinuousClock.now : nil }
    }

    /// The producer changes the tempo in Live (pushed to a tempo listener).
    public func setTempo(_ bpm: Float) {
        let push = model.withLock { m -> Bool in
            m.set.tempo = bpm
            return m.listeningTempo
        }
        if push { sendAsync(FakeOSCMessage("/live/song/get/tempo", [.float(bpm)])) }
    }

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
                let ready = poll(&pfd, 1, 5) > 0
                pumpTransport()
                guard ready else { continue }
            }
            pumpTransport()
            if let until = model.withLock({ $0.stalledUntil }), ContinuousClock.now < until {
                usleep(2_000)
                continue
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

    /// Advances song time while playing; a beat listener hears each new whole beat.
    private func pumpTransport() {
        let beats = model.withLock { m -> [Int] in
            guard m.playing, let last = m.lastTransportTick else { return [] }
            let now = ContinuousClock.now
            let elapsed = now - last
            m.lastTransportTick = now
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let before = m.songTime
            m.songTime += seconds * Double(m.set.tempo) / 60
            guard m.listeningBeat, Int(m.songTime) > Int(before) else { return [] }
            return [Int(m.songTime)]
        }
        for beat in beats { sendAsync(FakeOSCMessage("/live/song/get/beat", [.int(Int32(beat))])) }
    }

    /// Sends to the most recent sender (AbletonOSC's asynchronous messages).
    private func sendAsync(_ message: FakeOSCMessage) {
        let to = model.withLock { $0.lastSender }
        send(message, to: to)
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
            let stray = model.withLock { m -> Bool in
                guard m.faults.strayErrorProbability > 0, m.random.unit() < m.faults.strayErrorProbability else { return false }
                m.strayErrors += 1
                return true
            }
            // An error no request caused (another client's mistake, a listener failing in Live).
            if stray { sendError("Error handling OSC message: stray error from another part of Live", to: from) }
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
        let delayMS = model.withLock { m -> Int? in
            if message.address != "/live/error" {
                if let n = m.dropNext[message.address], n > 0 {
                    m.dropNext[message.address] = n - 1
                    m.repliesDropped += 1
                    return nil
                }
                if m.setsHandled > 0, let n = m.dropAfterSet[message.address], n > 0 {
                    m.dropAfterSet[message.address] = n - 1
                    m.repliesDropped += 1
                    return nil
                }
                if m.faults.dropProbability > 0, m.random.unit() < m.faults.dropProbability {
                    m.repliesDropped += 1
                    return nil
                }
            }
            if let ms = m.delayNext.removeValue(forKey: message.address) { return ms }
            let range = m.faults.replyDelayMS
            return range.upperBound > 0 ? range.lowerBound + Int(m.random.unit() * Double(range.upperBound - range.lowerBound + 1)) : 0
        }
        guard let delayMS else { return }
        if delayMS > 0 {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delayMS)) { [self] in
                guard !stopped.load(ordering: .acquiring) else { return }
                sendNow(message, to: address)
            }
        } else {
            sendNow(message, to: address)
        }
    }

    private func sendNow(_ message: FakeOSCMessage, to address: in_addr) {
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
            case "/live/application/get/version": return reply([.int(Int32(m.version.major)), .int(Int32(m.version.minor))])
            case "/live/song/get/tempo": return reply([.float(m.set.tempo)] + a)
            case "/live/song/set/tempo":
                guard let x = a.first?.number else { throw FakeHandlerError.failed("Index out of range") }
                guard x >= 20, x <= 999 else { throw FakeHandlerError.failed("Tempo out of range") }
                m.set.tempo = Float(x)
                return m.listeningTempo ? [FakeOSCMessage("/live/song/get/tempo", [.float(m.set.tempo)])] : []
            case "/live/song/start_listen/tempo":
                m.listeningTempo = true
                return [FakeOSCMessage("/live/song/get/tempo", [.float(m.set.tempo)])]
            case "/live/song/stop_listen/tempo":
                m.listeningTempo = false
                return []
            case "/live/song/start_listen/beat":
                m.listeningBeat = true
                return []
            case "/live/song/stop_listen/beat":
                m.listeningBeat = false
                return []
            case "/live/song/start_playing", "/live/song/continue_playing":
                m.playing = true
                m.lastTransportTick = ContinuousClock.now
                return []
            case "/live/song/stop_playing":
                m.playing = false
                m.lastTransportTick = nil
                return []
            case "/live/song/get/is_playing": return reply([.bool(m.playing)])
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
                m.onStore?(FakeStoreEvent(track: m.set.tracks[t].name, device: "Mixer", parameter: "Volume", raw: x))
                return []
            case "/live/track/get/panning":
                let t = try track(0)
                return reply([a[0], .float(m.set.tracks[t].panning)])
            case "/live/track/set/panning":
                let t = try track(0)
                guard a.count > 1, let x = a[1].number else { throw FakeHandlerError.failed("Index out of range") }
                guard x >= -1, x <= 1 else { throw FakeHandlerError.failed("Invalid value. Check the parameters range with min/max") }
                m.set.tracks[t].panning = Float(x)
                m.onStore?(FakeStoreEvent(track: m.set.tracks[t].name, device: "Mixer", parameter: "Pan", raw: x))
                return []
            case "/live/track/get/send", "/live/track/set/send":
                let t = try track(0)
                // The send id is not int()-cast by AbletonOSC: a float index fails.
                guard a.count > 1, case .int(let s32) = a[1] else { throw FakeHandlerError.failed("list indices must be integers or slices, not float") }
                let s = Int(s32)
                guard m.set.tracks[t].sends.indices.contains(s) else { throw FakeHandlerError.failed("list index out of range") }
                if address == "/live/track/get/send" { return reply([a[0], a[1], .float(m.set.tracks[t].sends[s])]) }
                guard a.count > 2, let x = a[2].number else { throw FakeHandlerError.failed("not enough values to unpack") }
                guard x >= 0, x <= 1 else { throw FakeHandlerError.failed("Invalid value. Check the parameters range with min/max") }
                m.set.tracks[t].sends[s] = Float(x)
                m.onStore?(FakeStoreEvent(track: m.set.tracks[t].name, device: "Mixer", parameter: "Send \(Character(UnicodeScalar(65 + s)!))", raw: x))
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
                m.setsHandled += 1
                m.onStore?(FakeStoreEvent(track: m.set.tracks[t].name, device: m.set.tracks[t].devices[d].name,
                                          parameter: m.set.tracks[t].devices[d].parameters[p].name, raw: x))
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

/// The faults of an unreliable link and a busy Live, applied to every reply.
public struct FakeFaults: Sendable {
    public var replyDelayMS: ClosedRange<Int>
    public var dropProbability: Double
    public var strayErrorProbability: Double
    public init(replyDelayMS: ClosedRange<Int> = 0...0, dropProbability: Double = 0, strayErrorProbability: Double = 0) {
        self.replyDelayMS = replyDelayMS
        self.dropProbability = dropProbability
        self.strayErrorProbability = strayErrorProbability
    }
}

/// A value stored by the fake Live (what a test checks against the journal).
public struct FakeStoreEvent: Sendable {
    public var track: String
    public var device: String
    public var parameter: String
    public var raw: Double
}

/// Reproducible faults from a seed: the project's one SplitMix64.
public typealias FakeRandom = SeededRandom

enum FakeHandlerError: Error {
    case unknownAddress
    case failed(String)
}

public struct FakeAbletonOSCError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
