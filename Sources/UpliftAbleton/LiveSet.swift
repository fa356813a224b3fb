import Foundation

/// One device parameter as Live reports it (raw values are Live's own scale).
public struct LiveParameter: Sendable, Equatable, Codable {
    public var index: Int
    public var name: String
    public var min: Double
    public var max: Double
    public var value: Double
    public var valueString: String
    public var isQuantized: Bool

    public init(index: Int, name: String, min: Double, max: Double, value: Double, valueString: String, isQuantized: Bool) {
        self.index = index
        self.name = name
        self.min = min
        self.max = max
        self.value = value
        self.valueString = valueString
        self.isQuantized = isQuantized
    }
}

public struct LiveDevice: Sendable, Equatable, Codable {
    public var index: Int
    public var name: String
    public var className: String
    /// LOM type: 1 instrument, 2 audio effect, 4 MIDI effect.
    public var type: Int
    /// Nil until the device's parameters were discovered.
    public var parameters: [LiveParameter]?

    public init(index: Int, name: String, className: String, type: Int, parameters: [LiveParameter]? = nil) {
        self.index = index
        self.name = name
        self.className = className
        self.type = type
        self.parameters = parameters
    }

    /// The stock device map entry, when Uplift knows this device.
    public var spec: DeviceSpec? { ParameterMap.device(className: className) }
}

public struct LiveTrack: Sendable, Equatable, Codable {
    public var index: Int
    public var name: String
    public var devices: [LiveDevice]

    public init(index: Int, name: String, devices: [LiveDevice]) {
        self.index = index
        self.name = name
        self.devices = devices
    }
}

/// What AbletonOSC can see of the open set: regular tracks and their top-level devices.
public struct LiveSet: Sendable, Equatable, Codable {
    public var tracks: [LiveTrack]

    public init(tracks: [LiveTrack]) {
        self.tracks = tracks
    }

    /// Identifies the set by its track and device names (order-insensitive, so dragging a device
    /// keeps the journal): FNV-1a 64 of the sorted "track/device|class" lines.
    public var fingerprint: String {
        let lines = tracks.flatMap { track in
            ["track:\(track.name)"] + track.devices.map { "device:\(track.name)/\($0.name)|\($0.className)" }
        }.sorted()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in lines.joined(separator: "\n").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16).leftPadded(to: 16)
    }

    public var deviceCount: Int { tracks.reduce(0) { $0 + $1.devices.count } }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
