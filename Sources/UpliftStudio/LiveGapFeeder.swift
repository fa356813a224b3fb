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
        return music.window
    }
}
