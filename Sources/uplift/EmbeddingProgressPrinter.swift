import Foundation
import UpliftProfile
import UpliftSimilarity

/// The embedding's progress on standard error after the analyses: a one-line bar on a terminal
/// (augmented copies, then training steps with the triplet loss), a line per stage otherwise.
final class EmbeddingProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let quiet: Bool
    private let bar = isatty(STDERR_FILENO) == 1
    private var last = Date.distantPast
    private var started = Date()
    private var stageLines = Set<String>()

    init(quiet: Bool) { self.quiet = quiet }

    func handle(_ stage: LibraryEmbedder.Stage) {
        guard !quiet else { return }
        lock.lock(); defer { lock.unlock() }
        let (label, done, total, extra): (String, Int, Int, String) = switch stage {
        case .augmenting(let done, let of): ("embedding: augmented copies", done, of, "")
        case .training(let p): ("embedding: training", p.step, p.steps, String(format: " loss %.3f", p.loss))
        }
        if !bar {
            if stageLines.insert(label).inserted {
                started = Date()
                FileHandle.standardError.write(Data("uplift: \(label) (\(total))\n".utf8))
            }
            if done == total { FileHandle.standardError.write(Data(String(format: "uplift: %@ done in %.1f s\n", label, Date().timeIntervalSince(started)).utf8)) }
            return
        }
        let now = Date()
        guard done == total || now.timeIntervalSince(last) >= 0.1 else { return }
        last = now
        let width = 24, filled = total > 0 ? width * done / total : 0
        let line = "\r\u{1B}[K\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total)\(extra)"
        FileHandle.standardError.write(Data((line + (done == total ? "\n" : "")).utf8))
        if done == total { started = now }
    }
}
