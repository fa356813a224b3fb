import Foundation
import UpliftModel
import UpliftProfile

/// Draws batch progress on standard error: a one-line bar on a terminal (done/total, rate, ETA,
/// current file), plain log lines otherwise, nothing with `--quiet`.
final class ProfileProgressPrinter: @unchecked Sendable {
    enum Mode { case bar, lines, quiet }
    let mode: Mode
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drewBar = false

    init(quiet: Bool) {
        mode = quiet ? .quiet : (isatty(STDERR_FILENO) == 1 ? .bar : .lines)
    }

    func handle(_ p: BatchProgress) {
        lock.lock(); defer { lock.unlock() }
        switch mode {
        case .quiet: return
        case .lines: lines(p)
        case .bar: bar(p)
        }
    }

    /// Clears the bar before other output.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drewBar { Self.err("\r\u{1B}[K"); drewBar = false }
    }

    private func lines(_ p: BatchProgress) {
        let counter = "[\(String(repeating: " ", count: max(0, String(p.total).count - String(p.done).count)))\(p.done)/\(p.total)]"
        switch p.event {
        case .started: Self.err("uplift: \(p.total) audio files to profile\n")
        case .analysed(let path, let seconds): Self.err("\(counter) analysed \(path) (\(String(format: "%.1f", seconds)) s)\n")
        case .cached(let path): Self.err("\(counter) cached   \(path)\n")
        case .failed(let path, let reason): Self.err("\(counter) skipped  \(path): \(reason)\n")
        case .finished: Self.err("uplift: \(p.analysed) analysed, \(p.fromCache) from cache, \(p.failed) skipped in \(Self.clock(p.elapsedS))\n")
        case .fileStarted: break
        }
    }

    private func bar(_ p: BatchProgress) {
        if case .failed(let path, let reason) = p.event {
            Self.err("\r\u{1B}[Kskipped \(path): \(reason)\n")
        }
        if case .finished = p.event {
            Self.err("\r\u{1B}[Kuplift: \(p.analysed) analysed, \(p.fromCache) from cache, \(p.failed) skipped in \(Self.clock(p.elapsedS))\n")
            drewBar = false
            return
        }
        let now = Date()
        let important: Bool = { if case .finished = p.event { true } else { p.done == p.total } }()
        guard important || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let width = Self.terminalWidth()
        let rate = String(format: "%.1f tracks/min", p.tracksPerMinute)
        let eta = p.etaS.map { "ETA \(Self.clock($0))" } ?? "ETA --:--"
        let counts = "\(p.done)/\(p.total)"
        let barWidth = max(10, min(30, width / 4))
        let filled = p.total > 0 ? Int(Double(barWidth) * Double(p.done) / Double(p.total)) : 0
        let barText = "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]"
        var line = "\(barText) \(counts)  \(rate)  \(eta)"
        if let current = p.inFlight.first {
            let room = width - line.count - 3
            if room > 8 {
                let name = (current as NSString).lastPathComponent
                line += "  " + (name.count > room ? "…" + name.suffix(room - 1) : name)
            }
        }
        Self.err("\r\u{1B}[K" + line)
        drewBar = true
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    static func terminalWidth() -> Int { Terminal.errorColumns ?? 80 }

    static func err(_ text: String) {
        StandardError.write(text)
    }
}
