import Dispatch
import Foundation
import Synchronization
import UpliftModel

/// A fix made audible for the A/B view: A is the mix as it is, B the mix with the fix (Uplift's
/// device models), and the gain that plays B at A's loudness so the fix is not judged by its level.
///
/// `start(aroundS:)` renders the section around the playhead at once and returns it; the whole mix
/// follows on a background queue (`completion`, or poll `withFix`). Rendering is pure, so the section
/// and the same frames of the whole are sample-identical.
public final class FixAudition: Sendable {
    public let renderer: FixRenderer
    public var plan: AuditionPlan { renderer.plan }
    /// A: the mix as it is.
    public var asIs: StereoAudio { renderer.mix }

    public struct Section: Sendable, Equatable {
        public var frames: Range<Int>
        /// Interleaved stereo, `frames.count` frames.
        public var samples: [Float]
    }

    private struct State {
        var section: Section?
        var whole: [Float]?
        var matchedGainDB = 0.0
        var started = false
    }
    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)

    public init(renderer: FixRenderer) { self.renderer = renderer }

    /// Seconds around the playhead rendered before anything else.
    public static let firstSectionS = 8.0

    /// Renders `seconds` around `positionS` (from 2 s before it) now and returns them; then renders
    /// the whole mix on a background queue and calls `completion` with it. A second call returns the
    /// section it already has.
    @discardableResult
    public func start(aroundS positionS: Double, seconds: Double = FixAudition.firstSectionS,
                      completion: (@Sendable (StereoAudio) -> Void)? = nil) -> Section {
        let sr = renderer.mix.sampleRate, total = renderer.mix.frameCount
        let lo = max(0, min(total, Int((positionS - 2) * sr)))
        let hi = min(total, lo + Int(seconds * sr))
        let already = state.withLock { s -> Section? in
            if s.started { return s.section }
            s.started = true
            return nil
        }
        if let already { return already }
        let samples = renderer.render(frames: lo..<hi)
        let section = Section(frames: lo..<hi, samples: samples)
        let gain = LoudnessMatch.gainDB(a: renderer.mix.samples[(2 * lo)..<(2 * hi)], b: samples[...], sampleRate: sr)
        state.withLock { $0.section = section; $0.matchedGainDB = gain }
        let renderer = self.renderer
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let whole = renderer.renderAll()
            let gain = LoudnessMatch.gainDB(a: renderer.mix.samples[...], b: whole[...], sampleRate: sr)
            state.withLock { $0.whole = whole; $0.matchedGainDB = gain }
            done.signal()
            completion?(StereoAudio(samples: whole, sampleRate: sr))
        }
        return section
    }

    /// B: the whole mix with the fix, once rendered (nil before).
    public var withFix: StereoAudio? { state.withLock { $0.whole }.map { StereoAudio(samples: $0, sampleRate: renderer.mix.sampleRate) } }

    /// B over `frames`, when rendered (the first section, or any frames once the whole is done).
    public func withFix(frames: Range<Int>) -> [Float]? {
        state.withLock { s in
            if let whole = s.whole {
                let hi = min(frames.upperBound, whole.count / 2)
                return Array(whole[(2 * frames.lowerBound)..<(2 * max(hi, frames.lowerBound))])
            }
            if let section = s.section, section.frames.contains(frames.lowerBound), frames.upperBound <= section.frames.upperBound {
                let from = 2 * (frames.lowerBound - section.frames.lowerBound)
                return Array(section.samples[from..<(from + 2 * frames.count)])
            }
            return nil
        }
    }

    /// Gain (dB) that plays B at A's loudness (K-weighted): from the first section, then from the whole.
    public var matchedGainDB: Double { state.withLock { $0.matchedGainDB } }

    /// Blocks until the whole mix with the fix is rendered (tests, the command line).
    public func waitUntilComplete() {
        guard state.withLock({ $0.started }) else { return }
        if state.withLock({ $0.whole != nil }) { return }
        done.wait()
        done.signal()
    }
}
