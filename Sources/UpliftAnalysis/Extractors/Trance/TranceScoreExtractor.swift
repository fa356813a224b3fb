import UpliftDSP
import UpliftModel

/// The last step of `StandardExtractors`: reads nothing per hop and writes `analysis.trance`
/// from the sections every earlier extractor summarized.
public final class TranceScoreExtractor: HopExtractor {
    public init() {}
    public func process(_ hop: borrowing Hop) {}
    public func reset() {}
    public func summarize(into analysis: inout TrackAnalysis, context: SummaryContext) {
        analysis.trance = TranceScore.evaluate(analysis)
    }
}

extension TranceScoreExtractor: WindowCopyable {
    public var checkpointSize: Int { 0 }
    public func writeCheckpoint(into sums: UnsafeMutablePointer<Double>) {}
    public func copyWindow(into twin: any HopExtractor, hops: Int, checkpoint: UnsafePointer<Double>) {}
}
