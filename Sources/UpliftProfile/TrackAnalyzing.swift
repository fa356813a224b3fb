import UpliftAnalysis
import UpliftModel

/// What batch analysis calls for each file. The standard one streams the file through
/// `TrackAnalyzer`; tests inject their own to count calls or fail on purpose.
public protocol TrackAnalyzing: Sendable {
    /// Part of the cache key: a new version makes every cached analysis stale.
    var version: Int { get }
    func analyze(path: String) throws -> TrackAnalysis
}

public struct StandardTrackAnalyzer: TrackAnalyzing {
    /// Mono files metered as played on two speakers (`--dual-mono`) instead of BS.1770 single-channel.
    public let dualMono: Bool
    public init() { dualMono = false }
    public init(dualMono: Bool) { self.dualMono = dualMono }
    /// Dual-mono analyses are cached apart from the single-channel ones.
    public var version: Int { TrackAnalyzer.version + (dualMono ? 1_000 : 0) }
    public func analyze(path: String) throws -> TrackAnalysis {
        try TrackAnalyzer(dualMono: dualMono).analyzeReporting(path: path).analysis
    }
}
