import Foundation
import Synchronization
import UpliftModel
import UpliftProfile

/// Analyses the stems of the studio's gap session and remembers each file's analysis until the file
/// changes (size or modification time): after a re-export only the stems Live rewrote are analysed
/// again, the others cost a `stat`.
public final class StemAnalysisMemo: TrackAnalyzing {
    private struct Entry {
        var size: Int
        var modified: Date
        var analysis: TrackAnalysis
    }

    private let base: any TrackAnalyzing
    private let entries = Mutex<[String: Entry]>([:])

    public init(base: any TrackAnalyzing = StandardTrackAnalyzer()) { self.base = base }

    public var version: Int { base.version }

    public func analyze(path: String) throws -> TrackAnalysis {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let modified = attributes?[.modificationDate] as? Date ?? .distantPast
        if let known = entries.withLock({ $0[path] }), known.size == size, known.modified == modified { return known.analysis }
        let analysis = try base.analyze(path: path)
        entries.withLock { $0[path] = Entry(size: size, modified: modified, analysis: analysis) }
        return analysis
    }
}
