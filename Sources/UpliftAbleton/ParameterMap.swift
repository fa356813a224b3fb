import Foundation

/// How Live's raw value of one parameter relates to what it displays. Live documents none of
/// this, so each entry is a belief: every write is verified against the value string.
public enum RawScale: Sendable, Equatable {
    /// Physical = raw × factor (dB stored as dB; Dry/Wet 0…1 shown as 0…100 %).
    case linear(factor: Double)
    /// Raw min…max mapped logarithmically onto low…high (EQ Eight frequency and Q, times).
    case logarithmic(low: Double, high: Double)
    /// Raw is an amplitude (0…1); dB = 20·log10(raw) + maxDB.
    case amplitudeDB(maxDB: Double)
    /// Raw 0…1; ratio = 1 / (1 − raw).
    case compressorRatio
    /// Raw is a pitch number; Hz = 440 · 2^((raw − 69) / 12).
    case pitchHz
    /// Quantized: the raw value indexes these display names.
    case choices([String])

    /// Physical value for a raw value (min/max are the raw range read from Live).
    public func physical(raw: Double, min: Double, max: Double) -> Double {
        switch self {
        case .linear(let factor): return raw * factor
        case .logarithmic(let low, let high):
            let t = max > min ? (raw - min) / (max - min) : 0
            return low * pow(high / low, t)
        case .amplitudeDB(let maxDB): return raw <= 0 ? -.infinity : 20 * log10(raw) + maxDB
        case .compressorRatio: return raw >= 1 ? .infinity : 1 / (1 - raw)
        case .pitchHz: return 440 * pow(2, (raw - 69) / 12)
        case .choices: return raw.rounded()
        }
    }

    /// Raw value for a physical value (may fall outside min…max: the caller checks the range).
    public func raw(physical: Double, min: Double, max: Double) -> Double {
        switch self {
        case .linear(let factor): return physical / factor
        case .logarithmic(let low, let high):
            guard physical > 0 else { return -.infinity }
            return min + (max - min) * log(physical / low) / log(high / low)
        case .amplitudeDB(let maxDB): return physical == -.infinity ? 0 : pow(10, (physical - maxDB) / 20)
        case .compressorRatio: return physical.isInfinite ? 1 : 1 - 1 / physical
        case .pitchHz: return 69 + 12 * log2(physical / 440)
        case .choices: return physical.rounded()
        }
    }
}

/// One mapped parameter of a stock device.
public struct ParameterSpec: Sendable, Equatable {
    public var name: String
    public var unit: PhysicalUnit
    public var scale: RawScale

    public init(_ name: String, _ unit: PhysicalUnit, _ scale: RawScale) {
        self.name = name
        self.unit = unit
        self.scale = scale
    }
}

/// A stock device Uplift's fixes use, by Live class name(s).
public struct DeviceSpec: Sendable, Equatable {
    /// What Live's browser calls it ("EQ Eight"), for messages such as "add EQ Eight to Bass".
    public var displayName: String
    public var classNames: [String]
    public var parameters: [ParameterSpec]

    public func parameter(named name: String) -> ParameterSpec? {
        parameters.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }
}

/// The parameter map: data, one entry per stock device. The raw scales are beliefs taken from
/// third-party reports (EQ Eight frequency is 0…1 with a log display) and are checked by
/// verification on every write; a wrong entry costs a correction or a refused write, never a
/// silently wrong value.
public enum ParameterMap {
    static let eqFilterTypes = ["Low Cut 48", "Low Cut 12", "Low Shelf", "Bell", "Notch", "High Shelf", "High Cut 12", "High Cut 48"]

    public static let eqEight = DeviceSpec(displayName: "EQ Eight", classNames: ["Eq8"], parameters:
        [ParameterSpec("Device On", .plain, .choices(["Off", "On"]))]
        + (1...8).flatMap { band -> [ParameterSpec] in [
            ParameterSpec("\(band) Filter On A", .plain, .choices(["Off", "On"])),
            ParameterSpec("\(band) Filter Type A", .plain, .choices(eqFilterTypes)),
            ParameterSpec("\(band) Frequency A", .hertz, .logarithmic(low: 10, high: 22000)),
            ParameterSpec("\(band) Gain A", .decibels, .linear(factor: 1)),
            ParameterSpec("\(band) Resonance A", .plain, .logarithmic(low: 0.1, high: 18)),
        ] }
        + [ParameterSpec("Output Gain", .decibels, .linear(factor: 1))])

    public static let utility = DeviceSpec(displayName: "Utility", classNames: ["StereoGain"], parameters: [
        ParameterSpec("Device On", .plain, .choices(["Off", "On"])),
        ParameterSpec("Gain", .decibels, .amplitudeDB(maxDB: 35)),
        ParameterSpec("Stereo Width", .percent, .linear(factor: 100)),
        ParameterSpec("Mono", .plain, .choices(["Off", "On"])),
        ParameterSpec("Bass Mono", .plain, .choices(["Off", "On"])),
        ParameterSpec("Bass Freq", .hertz, .logarithmic(low: 50, high: 500)),
    ])

    public static let compressor = DeviceSpec(displayName: "Compressor", classNames: ["Compressor2", "Compressor"], parameters: [
        ParameterSpec("Device On", .plain, .choices(["Off", "On"])),
        ParameterSpec("Threshold", .decibels, .amplitudeDB(maxDB: 0)),
        ParameterSpec("Ratio", .ratio, .compressorRatio),
        ParameterSpec("Attack", .milliseconds, .logarithmic(low: 0.01, high: 1000)),
        ParameterSpec("Release", .milliseconds, .logarithmic(low: 1, high: 3000)),
        ParameterSpec("Output Gain", .decibels, .linear(factor: 1)),
        ParameterSpec("Dry/Wet", .percent, .linear(factor: 100)),
    ])

    public static let glueCompressor = DeviceSpec(displayName: "Glue Compressor", classNames: ["GlueCompressor"], parameters: [
        ParameterSpec("Device On", .plain, .choices(["Off", "On"])),
        ParameterSpec("Threshold", .decibels, .linear(factor: 1)),
        ParameterSpec("Ratio", .ratio, .choices(["2 : 1", "4 : 1", "10 : 1"])),
        ParameterSpec("Attack", .milliseconds, .choices(["0.01 ms", "0.1 ms", "0.3 ms", "1.00 ms", "3.00 ms", "10.0 ms", "30.0 ms"])),
        ParameterSpec("Release", .milliseconds, .choices(["0.10 s", "0.20 s", "0.40 s", "0.60 s", "0.80 s", "1.20 s", "Auto"])),
        ParameterSpec("Makeup", .decibels, .linear(factor: 1)),
        ParameterSpec("Dry/Wet", .percent, .linear(factor: 100)),
    ])

    /// Live's Limiter: the mix-bus loudness fixes move its Gain and keep its Ceiling at or below −1 dB.
    public static let limiter = DeviceSpec(displayName: "Limiter", classNames: ["Limiter"], parameters: [
        ParameterSpec("Device On", .plain, .choices(["Off", "On"])),
        ParameterSpec("Gain", .decibels, .linear(factor: 1)),
        ParameterSpec("Ceiling", .decibels, .linear(factor: 1)),
    ])

    public static let autoFilter = DeviceSpec(displayName: "Auto Filter", classNames: ["AutoFilter", "AutoFilter2"], parameters: [
        ParameterSpec("Device On", .plain, .choices(["Off", "On"])),
        ParameterSpec("Filter Type", .plain, .choices(["Lowpass", "Highpass", "Bandpass", "Notch", "Morph"])),
        ParameterSpec("Frequency", .hertz, .pitchHz),
        ParameterSpec("LFO Amount", .percent, .linear(factor: 100)),
        ParameterSpec("Dry/Wet", .percent, .linear(factor: 100)),
    ])

    public static let devices: [DeviceSpec] = [eqEight, utility, compressor, glueCompressor, limiter, autoFilter]

    public static func device(className: String) -> DeviceSpec? {
        devices.first { $0.classNames.contains(className) }
    }

    public static func device(displayName: String) -> DeviceSpec? {
        devices.first { $0.displayName.caseInsensitiveCompare(displayName) == .orderedSame }
    }

    public static func spec(className: String, parameter: String) -> ParameterSpec? {
        device(className: className)?.parameter(named: parameter)
    }
}
