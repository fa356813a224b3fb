import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftGaps
import UpliftModel
import UpliftProfile

/// A fix to audition in the A/B view: the mix as it is (slot 0) against the mix with the fix rendered
/// by Uplift's device models (slot 1), loudness-matched like any two slots.
public struct ABAudition: Sendable {
    public var audition: FixAudition
    /// A blind pick (`Enter`, `=`): what the producer preferred, for the feedback record.
    public var onPreference: @Sendable (FeedbackStore.Decision.BlindPick.Choice) -> Void
    public init(audition: FixAudition, onPreference: @escaping @Sendable (FeedbackStore.Decision.BlindPick.Choice) -> Void) {
        self.audition = audition; self.onPreference = onPreference
    }
}

extension ABSession {
    /// Slot 0 from the mix already in memory; slot 1 at once with the seconds around the playhead
    /// rendered (the rest of it is the mix as it is until the whole render lands, in a second or so;
    /// the slot says "rendering…" meanwhile), then the whole, installed in place: the render is pure,
    /// so the frames under the playhead are the same and the swap is seamless.
    func loadAudition(_ source: ABAudition) throws {
        let audition = source.audition
        let asIs = audition.asIs
        let mixTrack = try ABTrack(name: "as it is", interleaved: asIs.samples, rate: asIs.sampleRate, outputRate: mixer.sampleRate)
        // The mix's loudness from the studio's analysis when it has one (measuring five minutes again
        // would delay the first sound by a few hundred milliseconds).
        let mixReading = options.mixAnalysis?.loudness.map { ABLoudness.Reading(loudnessLUFS: $0.integratedLUFS, truePeakDBTP: $0.truePeakDBTP) }
            ?? ABLoudness.measure(mixTrack)
        install(mixTrack, slot: 0, reading: mixReading)
        let section = audition.start(aroundS: options.startS) { [weak self] whole in self?.auditionRendered(whole) }
        let early: ABTrack
        if asIs.sampleRate == mixer.sampleRate {
            early = ABTrack(name: "with the fix", copying: mixTrack, replacing: section.frames, with: section.samples)
        } else {
            var first = asIs.samples
            let lo = 2 * section.frames.lowerBound
            first.replaceSubrange(lo..<(lo + section.samples.count), with: section.samples)
            early = try ABTrack(name: "with the fix", interleaved: first, rate: asIs.sampleRate, outputRate: mixer.sampleRate)
        }
        // Until the whole is rendered: the mix's loudness moved by what the fix does to the rendered seconds.
        let range = section.frames.clamped(to: 0..<min(early.frames, mixTrack.frames))
        let before = ABLoudness.measure(mixTrack, range: range), after = ABLoudness.measure(early, range: range)
        let shift = after.loudnessLUFS.isFinite && before.loudnessLUFS.isFinite ? after.loudnessLUFS - before.loudnessLUFS : 0
        let earlyReading = ABLoudness.Reading(loudnessLUFS: mixReading.loudnessLUFS + shift,
                                              truePeakDBTP: after.truePeakDBTP.isFinite && before.truePeakDBTP.isFinite
                                                  ? mixReading.truePeakDBTP + (after.truePeakDBTP - before.truePeakDBTP) : mixReading.truePeakDBTP)
        let installed = inner.withLock { state -> Bool in
            guard state.slots[1].track == nil else { return false }  // the whole render was quicker
            state.slots[1].notice = "rendering…"
            return true
        }
        if installed { install(early, slot: 1, reading: earlyReading, keepNotice: true) }
    }

    /// The whole mix with the fix: installed, measured, matched, and analysed for the panes.
    private func auditionRendered(_ whole: StereoAudio) {
        guard let track = try? ABTrack(name: "with the fix", interleaved: whole.samples, rate: whole.sampleRate, outputRate: mixer.sampleRate) else {
            inner.withLock { $0.slots[1].notice = "could not be resampled"; $0.slots[1].playable = false }
            publish()
            return
        }
        install(track, slot: 1, reading: ABLoudness.measure(track))
        applyGains()
        let analysis = try? TrackAnalyzer().analyze(interleaved: whole.samples, sampleRate: whole.sampleRate, name: "with the fix")
        inner.withLock { state in
            state.slots[1].analysis = analysis
            if let analysis { state.slots[1].timeline = Self.timeline(analysis) }
        }
        if inner.withLock({ $0.sounding == 1 }) { analyzer.setOfflineAnalysis(analysis) }
        publish()
    }

    private func install(_ track: ABTrack, slot: Int, reading: ABLoudness.Reading, keepNotice: Bool = false) {
        mixer.install(track, slot: slot)
        inner.withLock { state in
            if !keepNotice { state.slots[slot].notice = nil }
            state.slots[slot].track = track
            state.slots[slot].whole = reading
            // The arrangement is the mix's: the fix changes the sound, not where the sections are.
            if state.slots[slot].timeline == nil { state.slots[slot].timeline = state.slots[0].timeline ?? ABTimeline(durationS: track.durationS) }
        }
    }

    /// A new hidden order for X and Y, and X plays.
    func shuffleHidden() {
        let first = inner.withLock { state -> Int in
            state.blindOrder = Bool.random() ? [0, 1] : [1, 0]
            return state.blindOrder[0]
        }
        select(first)
    }

    /// `Enter` (`prefers`) or `=`: the producer's blind pick, revealed, recorded, and a new draw.
    func preferSounding(_ prefers: Bool) {
        guard let source = options.audition else { return }
        let choice = inner.withLock { state -> FeedbackStore.Decision.BlindPick.Choice? in
            guard state.blind, state.blindOrder.count == 2 else { return nil }
            // What the producer last chose to hear (the mixer may still be crossfading to it).
            let sounding = state.sounding
            let hidden = state.blindOrder.firstIndex(of: sounding) == 0 ? "X" : "Y"
            let choice: FeedbackStore.Decision.BlindPick.Choice = !prefers ? .noPreference : (sounding == 0 ? .mix : .fix)
            switch choice {
            case .mix: state.preferred.mix += 1; state.blindVerdict = "you kept \(hidden): the mix as it is"
            case .fix: state.preferred.fix += 1; state.blindVerdict = "you kept \(hidden): the mix with the fix"
            default:
                state.preferred.none += 1
                state.blindVerdict = "no preference: X was \(state.blindOrder[0] == 0 ? "as it is" : "with the fix")"
            }
            return choice
        }
        guard let choice else { return }
        source.onPreference(choice)
        shuffleHidden()
    }
}
