import UpliftAbleton
import UpliftAnalysis

/// Live's transport pushes into the live musical analysis: the tempo as it is, each beat with the input's
/// stream position when it arrived (the analyzer measures the push's latency against the onsets it hears),
/// and the detected grid again once Live is gone.
public enum LiveTransportRouter {
    public static func route(to music: LiveMusicAnalyzer, position: @escaping @Sendable () -> Double)
        -> @Sendable (TransportPush?) -> Void {
        { push in
            switch push {
            case .tempo(let bpm)?: music.noteExternalTempo(bpm)
            case .beat(let beat)?: music.noteExternalBeat(beat, atStreamS: position())
            case nil: music.clearExternalTransport()
            }
        }
    }
}
