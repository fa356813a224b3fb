import Foundation

/// How the fake Live turns a parameter's raw value into its display string. Live's raw scales are
/// per parameter and undocumented; these are the fake's "truth", chosen non-linear for frequency
/// and gain so a bridge that assumed linear scales would be caught.
public enum FakeDisplay: Sendable, Equatable {
    /// Displayed value = raw × factor, in `unit` ("dB", "%", "Hz", "ms" …).
    case linear(factor: Double, unit: String)
    /// Raw 0…1 mapped logarithmically onto `low…high` of `unit` (EQ Eight frequency, Q, times).
    case logarithmic(low: Double, high: Double, unit: String)
    /// Raw 0…1 mapped linearly onto `low…high` of `unit`.
    case linearRange(low: Double, high: Double, unit: String)
    /// Raw is an amplitude 0…1; shown as 20·log10(raw) + maxDB (Utility gain, threshold).
    case amplitudeDB(maxDB: Double)
    /// Raw 0…1; ratio 1 / (1 − raw) shown as "4.00 : 1".
    case compressorRatio
    /// Raw is a MIDI-like pitch; Hz = 440·2^((raw − 69)/12) (Auto Filter frequency).
    case pitchHz
    /// Quantized: the raw value indexes the list.
    case choices([String])
    /// Raw shown as a plain number.
    case plain(decimals: Int)

    public func text(for raw: Double) -> String {
        switch self {
        case .linear(let factor, let unit): return FakeDisplay.format(raw * factor, unit: unit)
        case .logarithmic(let low, let high, let unit):
            return FakeDisplay.format(low * pow(high / low, raw), unit: unit)
        case .linearRange(let low, let high, let unit): return FakeDisplay.format(low + (high - low) * raw, unit: unit)
        case .amplitudeDB(let maxDB):
            return raw <= 0 ? "-inf dB" : FakeDisplay.format(20 * log10(raw) + maxDB, unit: "dB")
        case .compressorRatio:
            return raw >= 1 ? "inf : 1" : String(format: "%.2f : 1", 1 / (1 - raw))
        case .pitchHz: return FakeDisplay.format(440 * pow(2, (raw - 69) / 12), unit: "Hz")
        case .choices(let names):
            let index = Int(raw.rounded())
            return names.indices.contains(index) ? names[index] : "\(index)"
        case .plain(let decimals): return String(format: "%.\(decimals)f", raw)
        }
    }

    /// Live-like precision: "75.0 Hz", "812 Hz", "2.50 kHz", "12.0 kHz", "-3.0 dB", "30.0 ms", "1.20 s", "80 %".
    static func format(_ value: Double, unit: String) -> String {
        switch unit {
        case "Hz":
            if value < 100 { return String(format: "%.1f Hz", value) }
            if value < 1000 { return String(format: "%.0f Hz", value) }
            if value < 10000 { return String(format: "%.2f kHz", value / 1000) }
            return String(format: "%.1f kHz", value / 1000)
        case "ms":
            if value < 1 { return String(format: "%.2f ms", value) }
            if value < 1000 { return String(format: "%.1f ms", value) }
            return String(format: "%.2f s", value / 1000)
        case "%": return String(format: "%.0f %%", value)
        case "dB": return String(format: "%.1f dB", value)
        default: return String(format: "%.2f", value) + (unit.isEmpty ? "" : " \(unit)")
        }
    }
}

public struct FakeParameter: Sendable, Equatable {
    public var name: String
    public var min: Float
    public var max: Float
    public var value: Float
    public var isQuantized: Bool
    public var display: FakeDisplay

    public init(_ name: String, min: Float, max: Float, value: Float, quantized: Bool = false, display: FakeDisplay) {
        self.name = name
        self.min = min
        self.max = max
        self.value = value
        self.isQuantized = quantized
        self.display = display
    }

    public var valueString: String { display.text(for: Double(value)) }

    static func toggle(_ name: String, on: Bool = true) -> FakeParameter {
        FakeParameter(name, min: 0, max: 1, value: on ? 1 : 0, quantized: true, display: .choices(["Off", "On"]))
    }

    static func choice(_ name: String, _ names: [String], index: Int) -> FakeParameter {
        FakeParameter(name, min: 0, max: Float(names.count - 1), value: Float(index), quantized: true, display: .choices(names))
    }
}

public struct FakeDevice: Sendable, Equatable {
    public var name: String
    public var className: String
    /// LOM device type: 1 instrument, 2 audio effect, 4 MIDI effect.
    public var type: Int
    public var parameters: [FakeParameter]

    public init(name: String, className: String, type: Int = 2, parameters: [FakeParameter]) {
        self.name = name
        self.className = className
        self.type = type
        self.parameters = parameters
    }

    public static func eqEight(name: String = "EQ Eight") -> FakeDevice {
        let types = ["Low Cut 48", "Low Cut 12", "Low Shelf", "Bell", "Notch", "High Shelf", "High Cut 12", "High Cut 48"]
        let defaultHz: [Double] = [40, 120, 300, 800, 2000, 5000, 10000, 18000]
        var parameters: [FakeParameter] = [.toggle("Device On")]
        for band in 1...8 {
            let raw = Float(log(defaultHz[band - 1] / 10) / log(2200.0))
            parameters.append(.toggle("\(band) Filter On A", on: band == 1 || band == 8 ? false : true))
            parameters.append(.choice("\(band) Filter Type A", types, index: band == 1 ? 0 : band == 8 ? 7 : 3))
            parameters.append(FakeParameter("\(band) Frequency A", min: 0, max: 1, value: raw,
                                            display: .logarithmic(low: 10, high: 22000, unit: "Hz")))
            parameters.append(FakeParameter("\(band) Gain A", min: -15, max: 15, value: 0, display: .linear(factor: 1, unit: "dB")))
            parameters.append(FakeParameter("\(band) Resonance A", min: 0, max: 1, value: Float(log(0.71 / 0.1) / log(180.0)),
                                            display: .logarithmic(low: 0.1, high: 18, unit: "")))
        }
        parameters.append(FakeParameter("Output Gain", min: -12, max: 12, value: 0, display: .linear(factor: 1, unit: "dB")))
        parameters.append(.choice("Adaptive Q", ["Off", "On"], index: 1))
        return FakeDevice(name: name, className: "Eq8", parameters: parameters)
    }

    public static func utility(name: String = "Utility") -> FakeDevice {
        FakeDevice(name: name, className: "StereoGain", parameters: [
            .toggle("Device On"), .toggle("Left Inv", on: false), .toggle("Right Inv", on: false),
            .choice("Channel Mode", ["Left", "Stereo", "Right", "Swap"], index: 1),
            FakeParameter("Stereo Width", min: 0, max: 4, value: 1, display: .linear(factor: 100, unit: "%")),
            .toggle("Mono", on: false), .toggle("Bass Mono", on: false),
            FakeParameter("Bass Freq", min: 0, max: 1, value: Float(log(120.0 / 50) / log(10.0)),
                          display: .logarithmic(low: 50, high: 500, unit: "Hz")),
            FakeParameter("Balance", min: -1, max: 1, value: 0, display: .plain(decimals: 2)),
            // 0 dB at raw 10^(-35/20): amplitude-linear, so gain in dB is far from linear in raw.
            FakeParameter("Gain", min: 0, max: 1, value: Float(pow(10, -35.0 / 20)), display: .amplitudeDB(maxDB: 35)),
            .toggle("Mute", on: false), .toggle("DC Filter", on: false),
        ])
    }

    public static func compressor(name: String = "Compressor") -> FakeDevice {
        FakeDevice(name: name, className: "Compressor2", parameters: [
            .toggle("Device On"),
            FakeParameter("Threshold", min: 0, max: 1, value: Float(pow(10, -6.0 / 20)), display: .amplitudeDB(maxDB: 0)),
            FakeParameter("Ratio", min: 0, max: 1, value: 0.75, display: .compressorRatio),
            FakeParameter("Attack", min: 0, max: 1, value: Float(log(10 / 0.01) / log(1000 / 0.01)),
                          display: .logarithmic(low: 0.01, high: 1000, unit: "ms")),
            FakeParameter("Release", min: 0, max: 1, value: Float(log(100.0 / 1) / log(3000.0)),
                          display: .logarithmic(low: 1, high: 3000, unit: "ms")),
            FakeParameter("Output Gain", min: -36, max: 36, value: 0, display: .linear(factor: 1, unit: "dB")),
            FakeParameter("Dry/Wet", min: 0, max: 1, value: 1, display: .linear(factor: 100, unit: "%")),
            FakeParameter("Knee", min: 0, max: 18, value: 6, display: .linear(factor: 1, unit: "dB")),
            .choice("Model", ["Peak", "RMS", "Expand"], index: 0),
        ])
    }

    public static func glueCompressor(name: String = "Glue Compressor") -> FakeDevice {
        FakeDevice(name: name, className: "GlueCompressor", parameters: [
            .toggle("Device On"),
            FakeParameter("Threshold", min: -40, max: 0, value: -10, display: .linear(factor: 1, unit: "dB")),
            .choice("Ratio", ["2 : 1", "4 : 1", "10 : 1"], index: 0),
            .choice("Attack", ["0.01 ms", "0.1 ms", "0.3 ms", "1.00 ms", "3.00 ms", "10.0 ms", "30.0 ms"], index: 3),
            .choice("Release", ["0.10 s", "0.20 s", "0.40 s", "0.60 s", "0.80 s", "1.20 s", "Auto"], index: 6),
            FakeParameter("Makeup", min: 0, max: 20, value: 0, display: .linear(factor: 1, unit: "dB")),
            FakeParameter("Dry/Wet", min: 0, max: 1, value: 1, display: .linear(factor: 100, unit: "%")),
            .toggle("Soft Clip", on: false),
        ])
    }

    public static func autoFilter(name: String = "Auto Filter") -> FakeDevice {
        FakeDevice(name: name, className: "AutoFilter", parameters: [
            .toggle("Device On"),
            .choice("Filter Type", ["Lowpass", "Highpass", "Bandpass", "Notch", "Morph"], index: 0),
            FakeParameter("Frequency", min: 20, max: 135, value: 120, display: .pitchHz),
            FakeParameter("Resonance", min: 0, max: 1.25, value: 0.3, display: .plain(decimals: 2)),
            FakeParameter("LFO Amount", min: 0, max: 1, value: 0, display: .linear(factor: 100, unit: "%")),
            FakeParameter("Dry/Wet", min: 0, max: 1, value: 1, display: .linear(factor: 100, unit: "%")),
        ])
    }
}

public struct FakeTrack: Sendable, Equatable {
    public var name: String
    public var volume: Float = 0.85
    /// −1 (50L) … 1 (50R).
    public var panning: Float = 0
    /// One per return track (AbletonOSC cannot list returns; sends are found by index).
    public var sends: [Float]
    public var devices: [FakeDevice]
    public init(name: String, devices: [FakeDevice], sends: [Float] = [0, 0]) {
        self.name = name
        self.devices = devices
        self.sends = sends
    }
}

/// A Live set as AbletonOSC sees it: only regular tracks (no master, no returns, no rack insides).
public struct FakeLiveSet: Sendable, Equatable {
    public var tempo: Float
    public var tracks: [FakeTrack]

    public init(tempo: Float, tracks: [FakeTrack]) {
        self.tempo = tempo
        self.tracks = tracks
    }

    /// The small trance set of the tests.
    public static func trance(mixBusName: String = "Mix Bus") -> FakeLiveSet {
        FakeLiveSet(tempo: 138, tracks: [
            FakeTrack(name: "Kick", devices: [.eqEight(), .utility()]),
            FakeTrack(name: "Bass", devices: [.eqEight(), .compressor(), .utility()]),
            FakeTrack(name: "Lead", devices: [.eqEight(), .autoFilter(), .compressor()]),
            FakeTrack(name: "Pad", devices: [.autoFilter(), .utility(), .eqEight()]),
            FakeTrack(name: mixBusName, devices: [.eqEight(), .glueCompressor(), .utility()]),
        ])
    }

    /// A big set for the benchmark: `trackCount` tracks, `devicesPerTrack` devices each.
    public static func generated(trackCount: Int, devicesPerTrack: Int) -> FakeLiveSet {
        let makers: [(String) -> FakeDevice] = [
            { .eqEight(name: $0) }, { .compressor(name: $0) }, { .utility(name: $0) },
            { .autoFilter(name: $0) }, { .glueCompressor(name: $0) },
        ]
        let names = ["EQ Eight", "Compressor", "Utility", "Auto Filter", "Glue Compressor"]
        let tracks = (0..<trackCount).map { t in
            FakeTrack(name: "Track \(t + 1)", devices: (0..<devicesPerTrack).map { d in
                makers[d % makers.count](d < makers.count ? names[d] : "\(names[d % makers.count]) \(d / makers.count + 1)")
            })
        }
        return FakeLiveSet(tempo: 138, tracks: tracks)
    }
}
