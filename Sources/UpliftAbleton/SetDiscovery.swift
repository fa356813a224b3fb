import Foundation

/// Reads the set through AbletonOSC, many requests in flight at once: tracks, then every
/// track's devices, then every device's parameters, then every parameter's value string.
struct SetDiscovery {
    let client: AbletonOSCClient

    func tracksAndDevices() async throws(AbletonError) -> LiveSet {
        let names = try await client.read("/live/song/get/track_names", [], echo: 0).map { value throws(AbletonError) -> String in
            guard let s = value.stringValue else { throw AbletonError(.protocolMismatch, "a track name came back as \(value)") }
            return s
        }
        var requests: [OSCRequest] = []
        for t in names.indices {
            let args: [OSCValue] = [.int32(Int32(t))]
            requests.append(.read("/live/track/get/devices/name", args))
            requests.append(.read("/live/track/get/devices/class_name", args))
            requests.append(.read("/live/track/get/devices/type", args))
        }
        let results = await client.readMany(requests)
        var tracks: [LiveTrack] = []
        for (t, name) in names.enumerated() {
            let deviceNames = try results[3 * t].get().map { $0.stringValue ?? "\($0)" }
            let classes = try results[3 * t + 1].get().map { $0.stringValue ?? "\($0)" }
            let types = try results[3 * t + 2].get().map { $0.intValue ?? 0 }
            guard deviceNames.count == classes.count, classes.count == types.count else {
                throw AbletonError(.setChanged, "the devices of track '\(name)' changed while Uplift was reading them; try again")
            }
            let devices = deviceNames.indices.map { LiveDevice(index: $0, name: deviceNames[$0], className: classes[$0], type: types[$0]) }
            tracks.append(LiveTrack(index: t, name: name, devices: devices))
        }
        return LiveSet(tracks: tracks)
    }

    /// Fills in the parameters of the given devices (track index, device index).
    func parameters(of set: inout LiveSet, devices: [(Int, Int)]) async throws(AbletonError) {
        let properties = ["name", "value", "min", "max", "is_quantized"]
        var requests: [OSCRequest] = []
        for (t, d) in devices {
            for property in properties {
                requests.append(.read("/live/device/get/parameters/\(property)", [.int32(Int32(t)), .int32(Int32(d))]))
            }
        }
        let results = await client.readMany(requests)
        var stringRequests: [OSCRequest] = []
        var partial: [[LiveParameter]] = []
        for (k, (t, d)) in devices.enumerated() {
            let base = k * properties.count
            let names = try results[base].get().map { $0.stringValue ?? "\($0)" }
            let values = try results[base + 1].get().map { $0.doubleValue ?? .nan }
            let mins = try results[base + 2].get().map { $0.doubleValue ?? .nan }
            let maxs = try results[base + 3].get().map { $0.doubleValue ?? .nan }
            let quantized = try results[base + 4].get().map { $0.boolValue ?? false }
            guard [values.count, mins.count, maxs.count, quantized.count].allSatisfy({ $0 == names.count }) else {
                throw AbletonError(.setChanged, "the parameters of '\(set.tracks[t].devices[d].name)' on '\(set.tracks[t].name)' changed while Uplift was reading them; try again")
            }
            partial.append(names.indices.map {
                LiveParameter(index: $0, name: names[$0], min: mins[$0], max: maxs[$0], value: values[$0], valueString: "", isQuantized: quantized[$0])
            })
            for p in names.indices {
                stringRequests.append(.read("/live/device/get/parameter/value_string", [.int32(Int32(t)), .int32(Int32(d)), .int32(Int32(p))]))
            }
        }
        let strings = await client.readMany(stringRequests)
        var cursor = 0
        for (k, (t, d)) in devices.enumerated() {
            var parameters = partial[k]
            for p in parameters.indices {
                parameters[p].valueString = try strings[cursor].get().first?.stringValue ?? ""
                cursor += 1
            }
            set.tracks[t].devices[d].parameters = parameters
        }
    }

    func everything() async throws(AbletonError) -> LiveSet {
        var set = try await tracksAndDevices()
        let all = set.tracks.flatMap { track in track.devices.map { (track.index, $0.index) } }
        try await parameters(of: &set, devices: all)
        return set
    }
}
