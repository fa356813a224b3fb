/// A plain picture of a Live set: tracks → devices → parameters with their value strings.
///
/// Gap fixes are mapped onto this; the Ableton bridge's discovery converts into it, and tests
/// write one by hand. Indices are Live's (track index in `song.tracks`, device index on the track).
public struct LiveSetDescription: Codable, Sendable, Equatable {
    public var tracks: [Track]
    /// Tempo of the set in BPM, when known.
    public var tempoBPM: Double?

    public init(tracks: [Track], tempoBPM: Double? = nil) { self.tracks = tracks; self.tempoBPM = tempoBPM }

    public struct Track: Codable, Sendable, Equatable {
        public var index: Int
        public var name: String
        public var devices: [Device]
        public init(index: Int, name: String, devices: [Device]) { self.index = index; self.name = name; self.devices = devices }
    }

    public struct Device: Codable, Sendable, Equatable {
        public var index: Int
        public var name: String
        /// Live's class name: `Eq8`, `StereoGain`, `Compressor2`, `GlueCompressor`, `AutoFilter`.
        public var className: String
        public var parameters: [Parameter]
        public init(index: Int, name: String, className: String, parameters: [Parameter]) {
            self.index = index; self.name = name; self.className = className; self.parameters = parameters
        }
        enum CodingKeys: String, CodingKey { case index, name, parameters, className = "class_name" }

        public func parameter(named name: String) -> Parameter? {
            parameters.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        }
    }

    public struct Parameter: Codable, Sendable, Equatable {
        public var index: Int
        public var name: String
        /// Live's raw value and range.
        public var value: Double
        public var min: Double
        public var max: Double
        /// What Live displays: `120 Hz`, `-2.5 dB`, `Bell`, `On`.
        public var valueString: String
        public var isQuantized: Bool
        public init(index: Int, name: String, value: Double, min: Double, max: Double, valueString: String, isQuantized: Bool) {
            self.index = index; self.name = name; self.value = value; self.min = min; self.max = max
            self.valueString = valueString; self.isQuantized = isQuantized
        }
        enum CodingKeys: String, CodingKey {
            case index, name, value, min, max, valueString = "value_string", isQuantized = "is_quantized"
        }
    }

    public func track(named name: String) -> Track? {
        tracks.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }
}
