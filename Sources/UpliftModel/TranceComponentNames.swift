extension TrackAnalysis.TranceComponent {
    /// The name a person reads for each component key (panes, text reports); JSON keeps the keys.
    public static let readableNames: [String: String] = [
        "tempo": "Tempo", "pumping": "Pumping", "energy_progression": "Energy arc", "four_on_floor": "Four on floor",
        "supersaw": "Supersaw", "acid_303": "Acid 303", "offbeat_hihat": "Offbeat hats", "brightness": "Brightness",
        "tempo_stability": "Tempo steady",
    ]

    /// `readableNames[name]`, or the key itself for a component added without one.
    public var readableName: String { Self.readableNames[name] ?? name }
}
