/// Requests that leave the reducer as data; the run loop carries them out.
public enum Effect: Sendable, Equatable {
    case quit
    case togglePlayback
    case seek(bySeconds: Double)
    case setLoop(LoopRegion?)
}
