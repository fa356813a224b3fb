import UpliftModel

/// Which Live track plays which role (kick, bass, lead, pad, …): from the config's `[roles]`
/// table, else guessed from track names. Explicit entries always win; a guessed track takes
/// one role only, the first whose keywords it matches in `guessOrder`.
public struct RoleTable: Sendable, Equatable {
    /// role → track name, from config.
    public var explicit: [String: String]
    public init(explicit: [String: String] = [:]) {
        self.explicit = Dictionary(explicit.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// Kick before bass so "Bass Drum" is a kick; acid before bass and lead so "Acid Bass" is acid.
    public static let guessOrder: [(role: String, keywords: [String])] = [
        ("kick", ["kick", "kik", "bd", "bass drum", "bassdrum"]),
        ("hats", ["hat", "hh", "hihat", "cymbal", "ride"]),
        ("clap", ["clap", "snare", "snr"]),
        ("acid", ["acid", "303"]),
        ("bass", ["bass", "sub", "reese"]),
        ("lead", ["lead", "ld", "pluck", "arp", "synth", "saw", "hook"]),
        ("pad", ["pad", "string", "chord", "atmo", "choir"]),
        ("vocal", ["vocal", "vox", "voice"]),
        ("fx", ["fx", "riser", "sweep", "noise", "impact"]),
    ]

    /// Names tried for the mix-bus track when the config names none.
    public static let mixBusNames = ["mix bus", "master bus", "mixbus", "masterbus", "mix", "bus", "master"]

    static func words(_ name: String) -> [String] {
        name.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    static func matches(_ trackName: String, _ keyword: String) -> Bool {
        let lower = trackName.lowercased()
        if keyword.contains(" ") { return lower.contains(keyword) }
        // Whole words, or a prefix of a word for keywords of 4+ letters ("strings", "kicks", "basses").
        return words(trackName).contains { $0 == keyword || (keyword.count >= 4 && $0.hasPrefix(keyword)) }
    }

    /// role → track name for every role that can be placed in `set`.
    public func assignments(in set: LiveSetDescription, mixBus: String? = nil) -> [String: String] {
        var result: [String: String] = [:]
        var taken = Set<String>()
        if let bus = Self.mixBusTrack(in: set, named: mixBus) { taken.insert(bus.lowercased()) }
        for (role, name) in explicit {
            if let track = set.track(named: name) { result[role] = track.name; taken.insert(track.name.lowercased()) }
        }
        for track in set.tracks where !taken.contains(track.name.lowercased()) {
            guard let role = Self.guessOrder.first(where: { entry in entry.keywords.contains { Self.matches(track.name, $0) } })?.role,
                  result[role] == nil else { continue }
            result[role] = track.name
            taken.insert(track.name.lowercased())
        }
        return result
    }

    public func trackName(for role: String, in set: LiveSetDescription, mixBus: String? = nil) -> String? {
        assignments(in: set, mixBus: mixBus)[role.lowercased()]
    }

    /// The mix-bus track: the configured name, else the first track named like a bus.
    public static func mixBusTrack(in set: LiveSetDescription, named configured: String?) -> String? {
        if let configured { return set.track(named: configured)?.name }
        for candidate in mixBusNames {
            if let t = set.tracks.first(where: { $0.name.lowercased() == candidate }) { return t.name }
        }
        return nil
    }
}
