/// What gap mapping needs from the user's settings: the `[roles]` table (role = "Track Name", keys
/// lower-cased) and the mix-bus track. Read from `config.toml` by `UpliftStudio`'s `UpliftConfig`.
public struct GapsConfig: Sendable, Equatable {
    public var roles: [String: String] = [:]
    public var mixBusTrack: String?
    public init(roles: [String: String] = [:], mixBusTrack: String? = nil) { self.roles = roles; self.mixBusTrack = mixBusTrack }
}
