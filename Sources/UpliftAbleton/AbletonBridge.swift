import Foundation
import UpliftModel

/// The Ableton bridge: Uplift's one way to change Live. It discovers the set, changes device
/// parameters in physical units, verifies every write against Live's display, and journals
/// every change ahead of the write so undo and redo survive a crash.
///
/// An actor whose operations are admitted by a gate (`OperationGate`): one change at a time, in
/// order; reads only alongside reads. Live's own undo is never used (it undoes whatever Live did
/// last); undo writes the old values back.
public actor AbletonBridge {
    public let options: BridgeOptions
    let client: AbletonOSCClient
    var set: LiveSet?
    var journal: Journal?
    var history = JournalHistory(entries: [])
    var entries: [JournalEntry] = []
    var gate = OperationGate()
    /// "12.1", read on connect: calibration is kept per Live version.
    var liveVersion: String = "unknown"
    var calibration: CalibrationStore
    /// Journal lines skipped, reconciliations made: shown by `status` and the CLI.
    public internal(set) var warnings: [String] = []

    /// Binds the reply port (`.portInUse` when another OSC client holds it). Talks to nobody yet.
    public init(options: BridgeOptions = BridgeOptions()) throws(AbletonError) {
        self.options = options
        do throws(AbletonError) {
            self.client = try AbletonOSCClient(endpoint: options.endpoint, requestTimeout: options.requestTimeout)
        } catch where error.code == .portInUse {
            // The studio holding the port says so: name it, and where undo and redo are done meanwhile.
            guard let holder = BridgeHolder.current(options) else { throw error }
            throw AbletonError(.portInUse, holder.explanation, cause: error.cause)
        }
        self.calibration = CalibrationStore(url: options.calibrationFile)
    }

    /// The endpoint's journal read from disk, without Live (for `uplift ableton history`).
    public static func offlineHistory(options: BridgeOptions) throws(AbletonError) -> (groups: [JournalGroup], path: String, warnings: [String]) {
        let (journal, merged) = try Journal.opening(endpoint: options.endpoint, directory: options.journalDirectory)
        let contents = try journal.load()
        return (JournalHistory(entries: contents.entries).groups, journal.url.path, merged + contents.warnings)
    }

    /// The AbletonOSC client, for listener subscriptions (`subscribe(to:)`, `transportPushes()`).
    public nonisolated var osc: AbletonOSCClient { client }

    public func close() { client.close() }

    // MARK: - Connecting

    /// Checks that Live answers, discovers tracks and devices, opens this set's journal and
    /// reconciles any change left without an outcome by a crash.
    @discardableResult
    public func connect() async throws(AbletonError) -> LiveSet {
        try await exclusive { () async throws(AbletonError) -> LiveSet in try await connectLocked() }
    }

    func connectLocked() async throws(AbletonError) -> LiveSet {
        try await ping()
        if let v = try? await client.read("/live/application/get/version", [], echo: 0), v.count >= 2,
           let major = v[0].intValue, let minor = v[1].intValue {
            liveVersion = "\(major).\(minor)"
        }
        try await rediscover()
        try openJournal()
        try await reconcile()
        guard let set else { throw AbletonError(.liveNotReachable, "Live's set could not be read") }
        return set
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
        let (journal, merged) = try Journal.opening(endpoint: options.endpoint, directory: options.journalDirectory)
        let contents = try journal.load()
        warnings.append(contentsOf: merged + contents.warnings)
        self.journal = journal
        entries = contents.entries
        history = JournalHistory(entries: entries)
    }

    /// Inside an exclusive operation: connects when not yet connected.
    func requireConnected() async throws(AbletonError) {
        if set == nil || journal == nil { _ = try await connectLocked() }
    }

    /// Outside any operation: connects (exclusively) when not yet connected.
    func ensureConnected() async throws(AbletonError) {
        if set == nil || journal == nil {
            try await exclusive { () async throws(AbletonError) in try await requireConnected() }
        }
    }

    func currentSetOrThrow() throws(AbletonError) -> LiveSet {
        guard let set else { throw AbletonError(.liveNotReachable, "not connected to Live") }
        return set
    }

    // MARK: - Reading the set

    /// Connected or not, Live's version and tempo, tracks with their devices.
    public func status() async -> BridgeStatus {
        var status = BridgeStatus(connected: false, warnings: [])
        do throws(AbletonError) {
            try await ensureConnected()
            try await shared { () async throws(AbletonError) in
                status.connected = true
                status.liveVersion = liveVersion
                status.tempoBPM = (try? await client.read("/live/song/get/tempo", [], echo: 0))?.first?.doubleValue
                status.set = set
                status.setFingerprint = set?.fingerprint
                status.journalPath = journal?.url.path
                status.mixBusTrack = try? mixBusTrack().name
            }
        } catch {
            status.warnings.append(error.description)
        }
        status.warnings.append(contentsOf: warnings)
        return status
    }

    /// The set as last discovered (tracks and devices; parameters of devices read so far).
    public func currentSet() async throws(AbletonError) -> LiveSet {
        try await ensureConnected()
        return try currentSetOrThrow()
    }

    /// Discovers everything, parameters and value strings included.
    public func discoverAll() async throws(AbletonError) -> LiveSet {
        try await exclusive { () async throws(AbletonError) -> LiveSet in
            try await ping()
            let all = try await SetDiscovery(client: client).everything()
            set = all
            return all
        }
    }

    /// Every parameter of one device, freshly read. Names are case-insensitive unique prefixes;
    /// `Mixer` is the track's mixer (volume, pan, sends), `#N` the N-th device.
    public func parameters(track: String, device: String) async throws(AbletonError) -> (LiveTrack, LiveDevice) {
        try await exclusive { () async throws(AbletonError) -> (LiveTrack, LiveDevice) in
            try await requireConnected()
            return try await parametersLocked(track: track, device: device)
        }
    }

    func parametersLocked(track: String, device: String) async throws(AbletonError) -> (LiveTrack, LiveDevice) {
        let (t, d) = try await findDevice(track: track, device: device)
        if d == MixerModel.deviceIndex {
            let liveTrack = try currentSetOrThrow().tracks[t]
            return (liveTrack, try await readMixer(track: t))
        }
        var fresh = try currentSetOrThrow()
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
        try await ensureConnected()
        return history.groups
    }

    /// The path of this endpoint's journal.
    public func journalURL() async throws(AbletonError) -> URL {
        try await ensureConnected()
        guard let journal else { throw AbletonError(.liveNotReachable, "not connected to Live") }
        return journal.url
    }

    /// For each group, the paths of its parameters no longer in the open set (renamed, deleted,
    /// or another set is open): undo skips those groups.
    public func missingParameters() async throws(AbletonError) -> [String: [String]] {
        try await exclusive { () async throws(AbletonError) -> [String: [String]] in
            try await requireConnected()
            try await rediscover()
            var missing: [String: [String]] = [:]
            for group in history.groups {
                for change in group.changes {
                    let id = ParameterIdentity(change)
                    do throws(AbletonError) {
                        _ = try await cachedIndices(id)
                    } catch where [.trackNotFound, .deviceNotFound, .parameterNotFound].contains(error.code) {
                        missing[group.groupID, default: []].append(id.path)
                    }
                }
            }
            return missing
        }
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
        try await ensureConnected()
        let track = try NameMatcher.match(trackName, in: try currentSetOrThrow().tracks, name: \.name, kind: "track", context: "in this set", notFound: .trackNotFound)
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
        let set = try currentSetOrThrow()
        let t = try NameMatcher.match(track, in: set.tracks, name: \.name, kind: "track", context: "in this set", notFound: .trackNotFound)
        // "Mixer" is the track's mixer; a device the producer named "Mixer" is reached as "#N".
        if device.caseInsensitiveCompare(MixerModel.deviceName) == .orderedSame { return (t.index, MixerModel.deviceIndex) }
        if device.hasPrefix("#"), let n = Int(device.dropFirst()) {
            guard n >= 1, n <= t.devices.count else {
                throw AbletonError(.deviceNotFound, "'\(t.name)' has \(t.devices.count) device\(t.devices.count == 1 ? "" : "s"); #\(n) is not one of them")
            }
            return (t.index, n - 1)
        }
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
