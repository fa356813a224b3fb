import Foundation

/// A track's mixer as a pseudo-device `Mixer`: Volume (dB), Pan (50L … C … 50R) and the sends
/// (Send A, Send B, … in dB), through AbletonOSC's `/live/track/get|set/volume`, `panning` and
/// `send`. AbletonOSC gives no display text for these, so the dB curves here are a model, not a
/// measurement: writes are verified by the raw value read back, and the dB shown is modelled.
///
/// Volume: raw 0.85 is 0 dB and 1.0 is +6 dB (AbletonOSC's notes); between −18 dB (raw 0.4) and
/// +6 dB the fader is taken as linear in dB (40 dB per unit), below it as logarithmic down to −inf
/// at 0. Sends: the same law with 1.0 at 0 dB. Pan: raw −1 … 1 is 50L … 50R.
enum MixerModel {
    static let deviceName = "Mixer"
    static let deviceClass = "Mixer"
    static let deviceIndex = -1
    static let maxSends = 12

    enum Control: Equatable {
        case volume, pan, send(Int)
    }

    static func control(index: Int) -> Control { index == 0 ? .volume : index == 1 ? .pan : .send(index - 2) }

    static func index(_ c: Control) -> Int {
        switch c {
        case .volume: 0
        case .pan: 1
        case .send(let s): 2 + s
        }
    }

    static func name(_ c: Control) -> String {
        switch c {
        case .volume: "Volume"
        case .pan: "Pan"
        case .send(let s): "Send \(Character(UnicodeScalar(UInt8(65 + s))))"
        }
    }

    /// The mixer's controls by name, the sends A … L (which exist is known only by asking).
    static let allNames = ["Volume", "Pan"] + (0..<maxSends).map { name(.send($0)) }

    static func control(named name: String) -> Control? {
        let n = name.lowercased().trimmingCharacters(in: .whitespaces)
        if n == "volume" { return .volume }
        if n == "pan" || n == "panning" { return .pan }
        if n.hasPrefix("send "), let letter = n.dropFirst(5).uppercased().unicodeScalars.first, n.count == 6,
           letter.value >= 65, letter.value < 65 + UInt32(maxSends) {
            return .send(Int(letter.value) - 65)
        }
        return nil
    }

    static func range(_ c: Control) -> (Double, Double) { c == .pan ? (-1, 1) : (0, 1) }

    static func parameter(_ c: Control, raw: Double) -> LiveParameter {
        let (lo, hi) = range(c)
        return LiveParameter(index: index(c), name: name(c), min: lo, max: hi, value: raw, valueString: text(c, raw: raw), isQuantized: false)
    }

    // MARK: - The model

    static func decibels(_ c: Control, raw: Double) -> Double {
        let unity = c == .volume ? 0.85 : 1.0
        let knee = unity - 0.45
        if raw <= 0 { return -.infinity }
        if raw >= knee { return 40 * (raw - unity) }
        return -18 + 40 * log10(raw / knee)
    }

    static func raw(_ c: Control, decibels dB: Double) -> Double {
        let unity = c == .volume ? 0.85 : 1.0
        let knee = unity - 0.45
        if dB == -.infinity { return 0 }
        if dB >= -18 { return unity + dB / 40 }
        return knee * pow(10, (dB + 18) / 40)
    }

    static func text(_ c: Control, raw: Double) -> String {
        switch c {
        case .pan:
            let n = Int((raw * 50).rounded())
            return n == 0 ? "C" : n < 0 ? "\(-n)L" : "\(n)R"
        case .volume, .send:
            let dB = decibels(c, raw: raw)
            return dB.isFinite ? String(format: "%.1f dB", dB) : "-inf dB"
        }
    }

    // MARK: - OSC

    static func valueRead(track t: Int, control c: Control) -> OSCRequest {
        switch c {
        case .volume: .read("/live/track/get/volume", [.int32(Int32(t))])
        case .pan: .read("/live/track/get/panning", [.int32(Int32(t))])
        case .send(let s): .read("/live/track/get/send", [.int32(Int32(t)), .int32(Int32(s))])
        }
    }

    static func setRequest(track t: Int, control c: Control, raw: Double) -> OSCRequest {
        switch c {
        case .volume: .write("/live/track/set/volume", [.int32(Int32(t)), .float32(Float(raw))])
        case .pan: .write("/live/track/set/panning", [.int32(Int32(t)), .float32(Float(raw))])
        case .send(let s): .write("/live/track/set/send", [.int32(Int32(t)), .int32(Int32(s)), .float32(Float(raw))])
        }
    }

    // MARK: - Planning

    static func plan(_ target: ParameterTarget, for located: LocatedParameter) throws(AbletonError) -> PlannedWrite {
        let c = control(index: located.parameter.index)
        let path = located.identity.path
        let (lo, hi) = range(c)
        let rangeText = c == .pan ? "50L … C … 50R" : "-inf dB … \(String(format: "%+.1f", decibels(c, raw: hi))) dB"
        var raw: Double
        switch (c, target) {
        case (_, .raw(let x)):
            raw = x
        case (.pan, .choice(let text)):
            guard let x = parsePan(text) else {
                throw AbletonError(.invalidValue, "'\(text)' is not a pan position; give e.g. 20L, C or 35R (range \(rangeText))")
            }
            raw = x
        case (.pan, .physical(let v)) where v.unit == .plain:
            raw = v.value / 50
        case (.volume, .physical(let v)), (.send, .physical(let v)):
            guard v.unit == .decibels || v.unit == .plain else {
                throw AbletonError(.invalidValue, "\(path) is set in dB, not \(v.unit.rawValue)")
            }
            raw = MixerModel.raw(c, decibels: v.value)
        default:
            throw AbletonError(.invalidValue, "'\(target)' is not a value for \(path); give \(c == .pan ? "e.g. 20L, C or 35R" : "dB, e.g. -6dB")")
        }
        guard raw.isFinite, raw >= lo - 1e-9, raw <= hi + 1e-9 else {
            throw AbletonError(.valueOutOfRange, "\(target) is out of range for \(path): \(rangeText)")
        }
        raw = Swift.min(Swift.max(raw, lo), hi)
        return PlannedWrite(located: located, spec: nil, goal: .exactRaw, raw: raw, targetText: text(c, raw: raw))
    }

    static func parsePan(_ text: String) -> Double? {
        let s = text.uppercased().replacingOccurrences(of: " ", with: "")
        if s == "C" || s == "CENTER" || s == "CENTRE" { return 0 }
        guard let side = s.last, side == "L" || side == "R", let n = Double(s.dropLast()), n >= 0, n <= 50 else { return nil }
        return (side == "L" ? -n : n) / 50
    }
}

extension AbletonBridge {
    /// The mixer of track `t` read now: volume, pan, and the sends there are (AbletonOSC cannot
    /// count return tracks, so the sends are read in one bundle, which AbletonOSC stops at the
    /// first send that does not exist).
    func readMixer(track t: Int) async throws(AbletonError) -> LiveDevice {
        var parameters: [LiveParameter] = []
        for c in [MixerModel.Control.volume, .pan] {
            parameters.append(MixerModel.parameter(c, raw: try await readMixerValue(track: t, control: c)))
        }
        let sends = (0..<MixerModel.maxSends).map { MixerModel.Control.send($0) }
        let results = await client.exchange(sends.map { MixerModel.valueRead(track: t, control: $0) })
        for (c, result) in zip(sends, results) {
            guard let raw = (try? result.get())?.first?.doubleValue else { break }
            parameters.append(MixerModel.parameter(c, raw: raw))
        }
        return LiveDevice(index: MixerModel.deviceIndex, name: MixerModel.deviceName, className: MixerModel.deviceClass, type: 0, parameters: parameters)
    }

    /// One mixer value, asked twice before giving up (a lost reply, an error blamed on it).
    /// A send that does not exist is `.parameterNotFound`.
    func readMixerValue(track t: Int, control c: MixerModel.Control) async throws(AbletonError) -> Double {
        var last: AbletonError? = nil
        for _ in 0..<2 {
            let result = await client.exchange([MixerModel.valueRead(track: t, control: c)])[0]
            if let raw = (try? result.get())?.first?.doubleValue { return raw }
            if case .failure(let error) = result { last = error }
        }
        if case .send(let s) = c, last?.message.lowercased().contains("index") == true {
            throw AbletonError(.parameterNotFound, "track \(t + 1) has no \(MixerModel.name(.send(s))) (the set has \(s) return track\(s == 1 ? "" : "s")); AbletonOSC sees sends only")
        }
        throw AbletonError(.liveNotReachable, "could not read \(MixerModel.name(c)) of track \(t + 1): \(last?.message ?? "no reply")")
    }
}

extension Result where Failure == AbletonError {
    var errorMessage: String? {
        if case .failure(let error) = self { return error.message }
        return nil
    }
}
