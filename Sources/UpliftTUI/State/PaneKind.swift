/// The panes the screen can show, in focus (Tab) order. A new pane (the gap report) is a new case plus
/// a `Pane` type: the layout, focus and zoom work over whatever list `AppState.panes` holds.
public enum PaneKind: String, CaseIterable, Sendable {
    case spectrum, trance, loudness, energy, gaps
    case abSlots, abTrance, abSpectrum, abEnergy

    /// The title drawn in the pane's border.
    public var title: String { pane.title }

    var pane: any Pane {
        switch self {
        case .spectrum: return SpectrumPane()
        case .trance: return TrancePane()
        case .loudness: return LoudnessPane()
        case .energy: return EnergyPane()
        case .gaps: return GapsPane()
        case .abSlots: return ABSlotsPane()
        case .abTrance: return ABTrancePane()
        case .abSpectrum: return ABSpectrumPane()
        case .abEnergy: return ABEnergyPane()
        }
    }

    /// The default layout: the live analysis.
    public static let livePanes: [PaneKind] = [.spectrum, .trance, .loudness, .energy]
    /// The gap view: the report on top, the spectrum with the profile band under it.
    public static let gapPanes: [PaneKind] = [.gaps, .spectrum]
    /// The A/B view (`uplift ab`): slots and trance on top, spectrum and energy comparisons below.
    public static let abPanes: [PaneKind] = [.abSlots, .abTrance, .abSpectrum, .abEnergy]
}
