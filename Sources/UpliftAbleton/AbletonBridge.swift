import Foundation
import UpliftModel

/// The Ableton bridge: Uplift's one way to change Live. It discovers the set, changes device
/// parameters in physical units, verifies every write against Live's display, and journals
/// every change ahead of the write so undo and redo survive a crash.
///
/// An actor: one change at a time, in order. Live's own undo is never used (it undoes whatever
/// Live did last); undo writes the old values back.
public actor AbletonBridge {
    public let options: BridgeOptions
    let client: AbletonOSCClient
    var set: LiveSet?
    var journal: Journal?
    var history = JournalHistory(entries: [])
    var entries: [JournalEntry] = []
    /// Journal lines skipped, reconciliations made: shown by `status` and the CLI.
    public internal(set) var warnings: [String] = []

    /// Binds the reply port (`.portInUse` when another OSC client holds it). Talks to nobody yet.
    public init(options: BridgeOptions = BridgeOptions()) throws(AbletonError) {
        self.options = options
        self.client = try AbletonOSCClient(endpoint: options.endpoint, requestTimeout: options.requestTimeout)
    }

    public func close() { client.close() }

    // MARK: - Connecting

    /// Checks that Live answers, discovers tracks and devices, opens this set's journal and
    /// reconciles any change left without an outcome by a crash.
    @discardableResult
    public func connect() async throws(AbletonError) -> LiveSet {
        try await ping()
        try await rediscover()
        try openJournal()
        try await reconcile()
        return set!
    }

    /// One `/live/test`: throws `.liveNotReachable` when Live has gone (for callers that watch the connection).
    public func checkAnswering() async throws(AbletonError) { try await ping() }

    func ping() async throws(AbletonError) {
        do throws(AbletonError) {
            let reply = try await client.read("/live/test", [], echo: 0, retry: false)
            guard reply.first?.stringValue == "ok" else {
                throw AbletonError(.protocolMismatch, "/live/test answered \(reply) instead of \"ok\"; is this AbletonOSC?")
            }
        } catch where error.code == .timeout {
            let e = options.endpoint
            throw AbletonError(.liveNotReachable,
                "Ableton Live is not answering on \(e.liveHost):\(e.sendPort) (no reply to /live/test within \(options.requestTimeout)). Start Live, and check that AbletonOSC is installed in Live's Remote Scripts folder and selected as a Control Surface (Preferences → Link, Tempo & MIDI).",
                cause: error.message)
        }
    }

    func rediscover() async throws(AbletonError) {
        let fresh = try await SetDiscovery(client: client).tracksAndDevices()
        // Keep parameter lists of devices that are still where they were.
        var merged = fresh
        if let old = set {
            for t in merged.tracks.indices {
                for d in merged.tracks[t].devices.indices {
                    let device = merged.tracks[t].devices[d]
                    if t < old.tracks.count, old.tracks[t].name == merged.tracks[t].name, d < old.tracks[t].devices.count,
                       old.tracks[t].devices[d].name == device.name, old.tracks[t].devices[d].className == device.className {
                        merged.tracks[t].devices[d].parameters = old.tracks[t].devices[d].parameters
                    }
                }
            }
        }
        set = merged
    }

    func openJournal() throws(AbletonError) {
        guard let set else { return }
        let journal = Journal.forSet(fingerprint: set.fingerprint, directory: options.journalDirectory)
        let contents = try journal.load()
        warnings.append(contentsOf: contents.warnings)
        self.journal = journal
        entries = contents.entries
        history = JournalHistory(entries: entries)
    }

    func requireConnected() async throws(AbletonError) {
        if set == nil || journal == nil { try await connect() }
    }

    // MARK: - Reading the set

    /// Connected or not, Live's version and tempo, tracks with their devices.
    public func status() async -> BridgeStatus {
        var status = BridgeStatus(connected: false, warnings: [])
        do throws(AbletonError) {
            try await requireConnected()
            status.connected = true
            async let version = client.read("/live/application/get/version", [], echo: 0)
            async let tempo = client.read("/live/song/get/tempo", [], echo: 0)
            if let v = try? await version, v.count >= 2, let major = v[0].intValue, let minor = v[1].intValue {
                status.liveVersion = "\(major).\(minor)"
            }
            status.tempoBPM = (try? await tempo)?.first?.doubleValue
            status.set = set
            status.setFingerprint = set?.fingerprint
            status.journalPath = journal?.url.path
            status.mixBusTrack = try? mixBusTrack().name
        } catch {
            status.warnings.append(error.description)
        }
        status.warnings.append(contentsOf: warnings)
        return status
    }

    /// The set as last discovered (tracks and devices; parameters of devices read so far).
    public func currentSet() async throws(AbletonError) -> LiveSet {
        try await requireConnected()
        return set!
    }

    /// Discovers everything, parameters and value strings included.
    public func discoverAll() async throws(AbletonError) -> LiveSet {
        try await ping()
        let all = try await SetDiscovery(client: client).everything()
        set = all
        return all
    }

    /// Every parameter of one device, freshly read. Names are case-insensitive unique prefixes.
    public func parameters(track: String, device: String) async throws(AbletonError) -> (LiveTrack, LiveDevice) {
        try await requireConnected()
        let (t, d) = try await findDevice(track: track, device: device)
        var fresh = set!
        try await SetDiscovery(client: client).parameters(of: &fresh, devices: [(t, d)])
        set = fresh
        return (fresh.tracks[t], fresh.tracks[t].devices[d])
    }

    /// Reads one parameter now.
    public func parameter(track: String, device: String, parameter: String) async throws(AbletonError) -> (LiveTrack, LiveDevice, LiveParameter) {
        let (liveTrack, liveDevice) = try await parameters(track: track, device: device)
        let p = try NameMatcher.match(parameter, in: liveDevice.parameters ?? [], name: \.name, kind: "parameter",
                                      context: "on '\(liveDevice.name)' of '\(liveTrack.name)'", notFound: .parameterNotFound)
        return (liveTrack, liveDevice, p)
    }

    /// The journal's groups, oldest first.
    public func historyGroups() async throws(AbletonError) -> [JournalGroup] {
        try await requireConnected()
        return history.groups
    }

    /// The path of this set's journal.
    public func journalURL() async throws(AbletonError) -> URL {
        try await requireConnected()
        return journal!.url
    }

    // MARK: - Mix bus and required devices

    /// The track that stands in for the master bus (AbletonOSC cannot reach Live's master).
    public func mixBusTrack() throws(AbletonError) -> LiveTrack {
        guard let set else { throw AbletonError(.liveNotReachable, "not connected to Live") }
        let wanted = options.mixBusTrackName.map { [$0] } ?? BridgeOptions.defaultMixBusNames
        for name in wanted {
            let matches = set.tracks.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                throw AbletonError(.ambiguousName, "\(matches.count) tracks are called '\(name)'; rename all but your mix bus")
            }
        }
        let named = wanted.map { "'\($0)'" }.joined(separator: " or ")
        throw AbletonError(.mixBusMissing,
            "no mix-bus track called \(named) in this set. AbletonOSC cannot reach Live's master track, so Uplift applies master-bus fixes to a mix-bus track: create an audio track named \"Mix Bus\", set every other track's Audio To to it, put your master-bus devices on it, and leave the master clean; or name your own with `mix_bus_track = \"…\"` under [ableton] in config.toml")
    }

    /// The stock device a fix needs on a track, or "add EQ Eight to Bass" (never faked).
    public func requireDevice(_ spec: DeviceSpec, onTrack trackName: String) async throws(AbletonError) -> LiveDevice {
        try await requireConnected()
        let track = try NameMatcher.match(trackName, in: set!.tracks, name: \.name, kind: "track", context: "in this set", notFound: .trackNotFound)
        let candidates = track.devices.filter { spec.classNames.contains($0.className) }
        guard let first = candidates.first else {
            throw AbletonError(.deviceMissing, "add \(spec.displayName) to \(track.name): drag it from Live's browser onto the track, then try again")
        }
        guard candidates.count == 1 else {
            throw AbletonError(.ambiguousName,
                "'\(track.name)' has \(candidates.count) \(spec.displayName) devices (\(NameMatcher.list(candidates.map(\.name)))); say which one")
        }
        return first
    }

    // MARK: - Finding things by the producer's names

    func findDevice(track: String, device: String) async throws(AbletonError) -> (Int, Int) {
        do throws(AbletonError) {
            return try findDeviceInCache(track: track, device: device)
        } catch where [.trackNotFound, .deviceNotFound, .deviceMissing].contains(error.code) {
            // The set may have changed since we looked: look again once.
            try await rediscover()
            return try findDeviceInCache(track: track, device: device)
        }
    }

    private func findDeviceInCache(track: String, device: String) throws(AbletonError) -> (Int, Int) {
        let set = self.set!
        let t = try NameMatcher.match(track, in: set.tracks, name: \.name, kind: "track", context: "in this set", notFound: .trackNotFound)
        do throws(AbletonError) {
            let d = try NameMatcher.match(device, in: t.devices, name: \.name, kind: "device", context: "on '\(t.name)'", notFound: .deviceNotFound)
            return (t.index, d.index)
        } catch where error.code == .deviceNotFound {
            if let spec = ParameterMap.device(displayName: device), !t.devices.contains(where: { spec.classNames.contains($0.className) }) {
                throw AbletonError(.deviceMissing, "add \(spec.displayName) to \(t.name): drag it from Live's browser onto the track, then try again")
            }
            throw error
        }
    }
}
