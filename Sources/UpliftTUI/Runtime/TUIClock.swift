import Glibc

/// Where the run loop gets the time (monotonic seconds); tests inject a manual one.
public protocol TUIClock: AnyObject {
    func nowSeconds() -> Double
}

public final class MonotonicClock: TUIClock {
    public init() {}
    public func nowSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// A clock that moves only when told to.
public final class ManualClock: TUIClock {
    public private(set) var seconds: Double
    public init(seconds: Double = 0) { self.seconds = seconds }
    public func nowSeconds() -> Double { seconds }
    public func advance(bySeconds delta: Double) { seconds += delta }
}
