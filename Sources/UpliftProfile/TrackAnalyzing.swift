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
    public init() {}
    public var version: Int { TrackAnalyzer.version }
    public func analyze(path: String) throws -> TrackAnalysis { try TrackAnalyzer().analyzeReporting(path: path).analysis }
}
