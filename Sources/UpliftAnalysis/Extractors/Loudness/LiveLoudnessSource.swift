import UpliftModel

/// A loudness meter the live engine can show: the BS.1770 meter of the analyze pipeline conforms
/// to this (the lead wires it), and the live analyzer feeds it hops like any extractor and asks
/// it for readings at the snapshot rate.
public protocol LiveLoudnessSource: HopExtractor {
    /// Called on the analysis thread between hops, at the snapshot rate. Write every field;
    /// update `shortTermHistory` in place (bounded) so steady state does not allocate.
    func readLiveLoudness(into loudness: inout AnalysisSnapshot.LiveLoudness)
}
