import UpliftModel
import UpliftTerminal

/// Everything the screen shows that is not the analysis itself. Changed only by `reduce`.
public struct AppState: Sendable, Equatable {
    /// What the reducer keeps from the latest snapshot to turn intents into transport effects.
    public struct TransportContext: Sendable, Equatable {
        public var sourceKind: AnalysisSnapshot.SourceKind = .none
        public var positionS: Double = 0
        public var durationS: Double?
        public var bpm: Double?
        public var firstBeatS: Double = 0
        public var sections: [TrackAnalysis.Section] = []
        public init() {}
    }

    public var size: Size
    public var panes: [PaneKind]
    public var focusedPane: PaneKind
    public var isZoomed = false
    public var isHelpVisible = false
    public var themeNames: [String]
    public var themeIndex = 0
    /// Box drawing and eighth blocks when true; ASCII when the locale is not UTF-8.
    public var useUnicode: Bool
    public var keymap: Keymap
    public var transport = TransportContext()
    public var loop: LoopRegion?
    /// A one-line message in the status line until the next key (a theme error, "no tempo yet", …).
    public var notice: String?
    public var lastSnapshotSequence: Int?
    public var hasQuit = false
    /// The gap report, its selection and each fix's fate (the Gaps pane).
    public var gaps = GapsState()
    /// Ableton Live through AbletonOSC, as the last `bridgeStateChanged` said.
    public var bridge: BridgeState = .absent
    /// The profile's spectrum p10–p90, drawn behind the spectrum bars when a profile is loaded.
    public var profileSpectrumBand: ProfileSpectrumBand?
    /// Marked on the loudness meters: the profile's references or `--target-lufs`.
    public var loudnessTarget: LoudnessTarget?
    /// The spectrum's display slope in dB per octave (`s` cycles 0 / 3 / 4.5), pivoting at 1 kHz.
    public var spectrumSlopeDBPerOctave = 0.0
    /// What `s` steps through: flat, and the two tilts analysers (SPAN, Pro-Q) offer for a mix.
    public static let spectrumSlopes = [0.0, 3.0, 4.5]
    /// The A/B view's state when it is open (`uplift ab`).
    public var ab: ABViewState?
    /// Set while the A/B view is open inside the studio (`b`, `A`): what to put back on leaving it.
    public var abInStudio: ABInStudio?

    public init(size: Size, themeNames: [String] = ["default"], themeIndex: Int = 0, useUnicode: Bool = true,
                panes: [PaneKind] = PaneKind.livePanes, keymap: Keymap = .standard, notice: String? = nil) {
        self.size = size
        self.panes = panes
        self.focusedPane = panes.first ?? .spectrum
        self.themeNames = themeNames.isEmpty ? ["default"] : themeNames
        self.themeIndex = min(max(0, themeIndex), self.themeNames.count - 1)
        self.useUnicode = useUnicode
        self.keymap = keymap
        self.notice = notice
    }

    public var themeName: String { themeNames[themeIndex] }
}
