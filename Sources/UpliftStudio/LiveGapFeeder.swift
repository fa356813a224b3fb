import Foundation
import Synchronization
import UpliftAnalysis
import UpliftModel

/// The stream times a live window's analysis covers, and its bar length (nil without a grid).
public struct LiveWindowTiming: Sendable, Equatable {
    public var startS: Double
    public var endS: Double
    public var barS: Double?
    public init(startS: Double, endS: Double, barS: Double?) { self.startS = startS; self.endS = endS; self.barS = barS }
}

/// `uplift live --profile`: hands the gap session the rolling window's analysis every
/// `refreshBars` bars (every 8 s while no grid is known), so the gap report follows what the
/// producer changes in Live without an export.
///
/// The window's analysis is the offline extractors' own (spectrum, stereo, brightness, sections,
/// tempo, key, trance), without loudness: the live window has no integrated loudness of a whole
/// section yet, so only level-independent gaps can be judged from it.
public final class LiveGapFeeder: @unchecked Sendable {
    public static let refreshBars = 4.0
    static let gridlessRefreshS = 8.0

    private let analyzer: LiveAnalyzer
    private let name: String
    private let deliver: @Sendable (TrackAnalysis, LiveWindowTiming) -> Void
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private var started = false

    public init(analyzer: LiveAnalyzer, name: String, deliver: @escaping @Sendable (TrackAnalysis, LiveWindowTiming) -> Void) {
        self.analyzer = analyzer
        self.name = name
        self.deliver = deliver
    }

    public func start() {
        guard !started else { return }
        started = true
        let thread = Thread { [self] in
            var lastEndS = -Double.infinity
            while !stopping.load(ordering: .relaxed) {
                if let music = analyzer.music?.latest(), let due = Self.due(music, lastEndS: lastEndS) {
                    lastEndS = music.windowEndS
                    var analysis = due
                    analysis.file = name
                    deliver(analysis, LiveWindowTiming(startS: music.windowStartS, endS: music.windowEndS, barS: music.grid?.barS))
                }
                usleep(250_000)
            }
            finished.signal()
        }
        thread.name = "uplift.live-gaps"
        thread.qualityOfService = .utility
        thread.start()
    }

    public func stop() {
        guard started, !stopping.exchange(true, ordering: .relaxed) else { return }
        _ = finished.wait(timeout: .now() + 1)
    }

    /// The window's analysis when `refreshBars` bars (or 8 s without a grid) passed since the last.
    static func due(_ music: LiveMusic, lastEndS: Double) -> TrackAnalysis? {
        let interval = music.grid.map { refreshBars * $0.barS } ?? gridlessRefreshS
        guard music.windowEndS - lastEndS >= interval - 0.2, music.window.spectrum != nil else { return nil }
        return withWholeSections(music)
    }

    /// The window's analysis with only the **whole, confirmed** sections inside it (and their bars of the energy
    /// curve): a section cut by the window's start, still playing, or whose label may still change would compare
    /// a part with the references' whole sections. Without one, the report has no section gaps yet.
    static func withWholeSections(_ music: LiveMusic) -> TrackAnalysis {
        var analysis = music.window
        let barS = music.grid?.barS ?? 2
        // Confirmed (frozen) and followed by another section: whole.
        let confirmed = music.sections.prefix(min(music.provisionalFrom, max(0, music.sections.count - 1)))
        let whole = confirmed.filter { $0.startS >= music.windowStartS - 0.5 * barS && $0.endS <= music.windowEndS + 0.05 }
        guard !whole.isEmpty else {
            analysis.sections = nil
            return analysis
        }
        analysis.sections = Array(whole)
        // The bars of the window on the same clock as the sections (stream time): a section's energy "below the
        // loudest bar" is measured against the loudest bar of the window, partial sections included.
        analysis.energy = TrackAnalysis.Energy(curve: music.energy.filter { $0.tS >= music.windowStartS - 0.05 && $0.tS < music.windowEndS })
        return analysis
    }
}
