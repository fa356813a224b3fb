import Foundation
import Synchronization

/// Raw PCM from standard input (`-`), a FIFO or any readable path, as a live source:
/// `sox … -t f32 -`, `parec --format=float32le`, `pw-record`, …
///
/// A reader thread does blocking `read(2)`s (never assuming a terminal), converts `f32le`/`s16le`
/// to stereo float (mono duplicated, more than two channels down-mixed with BS.775 coefficients)
/// and writes to the ring. When the analysis falls behind, `whenBehind` decides: `.drop` (a live
/// capture cannot wait: frames are dropped and counted) or `.wait` (lossless: stop reading, so the
/// writer blocks — for files piped faster than real time). End of input is reported as `.ended`.
public final class PCMPipeSource: LiveAudioSource, @unchecked Sendable {
    public enum Overflow: Sendable { case drop, wait }

    public let ring: SPSCRingBuffer
    public let sampleRate: Double
    public let channels: Int
    public let format: PCMSampleFormat
    /// `-` for standard input, otherwise the path.
    public let name: String
    private let path: String?
    private let givenDescriptor: Int32?
    private let whenBehind: Overflow

    private let state = Atomic<Int>(0)  // LiveSourceState index, see `states`
    private let framesDelivered = Atomic<Int>(0)
    private let stopRequested = Atomic<Bool>(false)
    private let note = Mutex<String?>(nil)
    private let started = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private static let states: [LiveSourceState] = [.waiting, .running, .paused, .ended, .stopped]

    static let blockFrames = 1024

    /// `path`: `-` for standard input, else a FIFO or file opened by the reader thread (a FIFO's
    /// `open` blocks until a writer appears; the source says `waiting` meanwhile).
    public convenience init(path: String, format: PCMSampleFormat, sampleRate: Double, channels: Int,
                            whenBehind: Overflow = .drop, ringCapacityFrames: Int = 1 << 16) throws(AudioError) {
        if path == "-" {
            try self.init(descriptor: 0, name: "-", path: nil, format: format, sampleRate: sampleRate,
                          channels: channels, whenBehind: whenBehind, ringCapacityFrames: ringCapacityFrames)
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw AudioError(.notFound, "no such FIFO or file; create it with `mkfifo` or pass - for standard input", path: path)
            }
            guard !isDirectory.boolValue else {
                throw AudioError(.notAFile, "is a directory; give a FIFO, a raw PCM file or - for standard input", path: path)
            }
            try self.init(descriptor: nil, name: path, path: path, format: format, sampleRate: sampleRate,
                          channels: channels, whenBehind: whenBehind, ringCapacityFrames: ringCapacityFrames)
        }
    }

    /// Reads an already open descriptor (tests hand over one end of a `pipe(2)`); it is closed at the end.
    public convenience init(fileDescriptor: Int32, name: String, format: PCMSampleFormat, sampleRate: Double,
                            channels: Int, whenBehind: Overflow = .drop, ringCapacityFrames: Int = 1 << 16) throws(AudioError) {
        try self.init(descriptor: fileDescriptor, name: name, path: nil, format: format, sampleRate: sampleRate,
                      channels: channels, whenBehind: whenBehind, ringCapacityFrames: ringCapacityFrames)
    }

    private init(descriptor: Int32?, name: String, path: String?, format: PCMSampleFormat, sampleRate: Double,
                 channels: Int, whenBehind: Overflow, ringCapacityFrames: Int) throws(AudioError) {
        guard (8000...192_000).contains(sampleRate) else {
            throw AudioError(.invalidArgument, "--rate \(sampleRate) is outside 8000…192000 Hz")
        }
        guard (1...32).contains(channels) else {
            throw AudioError(.invalidArgument, "--channels \(channels) must be 1…32")
        }
        givenDescriptor = descriptor
        self.name = name
        self.path = path
        self.format = format
        self.sampleRate = sampleRate
        self.channels = channels
        self.whenBehind = whenBehind
        ring = try SPSCRingBuffer(capacityFrames: ringCapacityFrames)
    }

    public func start() throws(AudioError) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            readLoop()
            finished.signal()
        }
        thread.name = "uplift.pcm-pipe"
        thread.start()
    }

    /// Asks the reader to stop at its next read; a reader blocked in `read` on an idle pipe stays
    /// there until data or end of input arrives (the thread is detached, nothing waits for it).
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
        let current = Self.states[state.load(ordering: .relaxed)]
        if current == .waiting || current == .running { setState(.stopped) }
    }

    /// Waits until the reader thread has finished (end of input or stop). Returns `false` on timeout.
    public func waitUntilFinished(timeoutS: Double) -> Bool {
        guard started.load(ordering: .relaxed) else { return true }
        guard finished.wait(timeout: .now() + timeoutS) == .success else { return false }
        finished.signal()  // others may wait too
        return true
    }

    public func status() -> LiveSourceStatus {
        let delivered = framesDelivered.load(ordering: .relaxed)
        return LiveSourceStatus(
            kind: .pipe, name: name, state: Self.states[state.load(ordering: .relaxed)], sampleRate: sampleRate,
            positionFrames: delivered, durationFrames: nil, framesDelivered: delivered, generation: 0,
            sourceDroppedFrames: 0, note: note.withLock { $0 })
    }

    private func setState(_ newState: LiveSourceState) {
        state.store(Self.states.firstIndex(of: newState)!, ordering: .relaxed)
    }

    private func readLoop() {
        let descriptor: Int32
        if let givenDescriptor {
            descriptor = givenDescriptor
        } else if let path {
            descriptor = open(path, O_RDONLY)  // blocks on a FIFO until a writer opens it
            guard descriptor >= 0 else {
                note.withLock { $0 = "cannot open \(path): \(String(cString: strerror(errno)))" }
                setState(.stopped)
                return
            }
        } else {
            return
        }
        defer { if descriptor != 0 { close(descriptor) } }

        let frameBytes = format.bytesPerSample * channels
        let rawCapacity = Self.blockFrames * frameBytes
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rawCapacity, alignment: 8)
        let stereo = UnsafeMutablePointer<Float>.allocate(capacity: Self.blockFrames * 2)
        defer { raw.deallocate(); stereo.deallocate() }
        let downmix = AudioFileReader.downmixCoefficients(channels: channels)
        var pending = 0  // bytes of an incomplete frame carried to the next read

        while !stopRequested.load(ordering: .relaxed) {
            let got = read(descriptor, raw + pending, rawCapacity - pending)
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                note.withLock { $0 = "read error on \(name): \(String(cString: strerror(errno)))" }
                setState(.stopped)
                return
            }
            if got == 0 {
                note.withLock { $0 = "end of input after \(String(format: "%.1f", Double(framesDelivered.load(ordering: .relaxed)) / sampleRate)) s" }
                setState(.ended)
                return
            }
            if Self.states[state.load(ordering: .relaxed)] == .waiting { setState(.running) }
            let bytes = pending + got
            let frames = bytes / frameBytes
            convert(raw, frames: frames, into: stereo, downmix: downmix)
            deliver(stereo, frames: frames)
            pending = bytes - frames * frameBytes
            if pending > 0 { raw.copyMemory(from: raw + frames * frameBytes, byteCount: pending) }
        }
    }

    private func deliver(_ stereo: UnsafeMutablePointer<Float>, frames: Int) {
        var offset = 0
        while offset < frames {
            if whenBehind == .wait {
                while ring.capacityFrames - ring.availableFrames < min(frames - offset, ring.capacityFrames),
                      !stopRequested.load(ordering: .relaxed) {
                    usleep(2000)
                }
            }
            let written = ring.write(stereo + offset * 2, frameCount: frames - offset)
            if whenBehind == .drop { break }  // the ring counted what did not fit
            offset += written
            if stopRequested.load(ordering: .relaxed) { break }
        }
        framesDelivered.add(frames, ordering: .relaxed)
    }

    private func convert(_ raw: UnsafeMutableRawPointer, frames: Int, into stereo: UnsafeMutablePointer<Float>,
                         downmix: [(left: Float, right: Float)]) {
        @inline(__always) func sample(_ index: Int) -> Float {
            switch format {
            case .f32le:
                let value = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
                return value.isFinite ? value : 0
            case .s16le:
                return Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))) / 32768
            }
        }
        for f in 0..<frames {
            let base = f * channels
            switch channels {
            case 1:
                let s = sample(base)
                stereo[2 * f] = s; stereo[2 * f + 1] = s
            case 2:
                stereo[2 * f] = sample(base); stereo[2 * f + 1] = sample(base + 1)
            default:
                var l: Float = 0, r: Float = 0
                for c in 0..<channels {
                    let s = sample(base + c)
                    l += downmix[c].left * s
                    r += downmix[c].right * s
                }
                stereo[2 * f] = l; stereo[2 * f + 1] = r
            }
        }
    }
}
