import UpliftModel

/// Where a gap fix meets Live: the device-agnostic `Fix` (mapped onto a track and device by the gap
/// report) becomes parameter changes in Live's displayed units, journalled under a reason that names
/// the fix, so undo, redo and `uplift gaps --previous` can tell which fix a journal group was.
extension AbletonBridge {
    /// Applies every parameter of a mapped fix as one journal group (verified as every bridge write is).
    public func apply(_ fix: Fix) async throws(AbletonError) -> AppliedChange {
        guard fix.isApplicable, let track = fix.track, let device = fix.device else {
            throw AbletonError(.invalidValue, "fix \(fix.id) cannot be applied: \(fix.needs ?? (fix.adviceOnly ? "advice only" : "not mapped onto a Live device"))")
        }
        let requests = fix.parameters.map { p in
            ParameterChangeRequest(track: track, device: device, parameter: p.name, target: ParameterTarget(fixParameter: p))
        }
        return try await apply(requests, reason: FixJournalReason.reason(for: fix))
    }

    /// The set as the plain description fixes are mapped onto: every track, device and parameter, and the tempo.
    public func describeSet() async throws(AbletonError) -> LiveSetDescription {
        let set = try await discoverAll()
        let tempo = await status().tempoBPM
        return LiveSetDescription(set, tempoBPM: tempo)
    }

    /// Connects and describes the set in one step (closing the bridge again when either fails).
    public static func connectAndDescribe(options: BridgeOptions) async throws(AbletonError) -> (AbletonBridge, LiveSetDescription) {
        let bridge = try AbletonBridge(options: options)
        do throws(AbletonError) {
            try await bridge.connect()
            return (bridge, try await bridge.describeSet())
        } catch {
            await bridge.close()
            throw error
        }
    }
}

extension ParameterTarget {
    /// The bridge's target for one parameter of a fix: choices by name, numbers in Live's displayed unit
    /// (`ratio` as `N:1`, unitless numbers as numbers).
    public init(fixParameter p: ParameterChange) {
        switch p.unit {
        case "": self = Double(p.newText) != nil ? (try? ParameterTarget.parse(p.newText, raw: false)) ?? .choice(p.newText) : .choice(p.newText)
        case "ratio": self = (try? ParameterTarget.parse("\(p.new):1", raw: false)) ?? .choice(p.newText)
        default: self = (try? ParameterTarget.parse("\(p.new)\(p.unit)", raw: false)) ?? .choice(p.newText)
        }
    }
}

extension LiveSetDescription {
    /// The bridge's discovered set as the plain description fixes are mapped onto.
    public init(_ set: LiveSet, tempoBPM: Double?) {
        self.init(tracks: set.tracks.map { t in
            Track(index: t.index, name: t.name, devices: t.devices.map { d in
                Device(index: d.index, name: d.name, className: d.className, parameters: (d.parameters ?? []).map { p in
                    Parameter(index: p.index, name: p.name, value: p.value, min: p.min, max: p.max, valueString: p.valueString,
                              isQuantized: p.isQuantized)
                })
            })
        }, tempoBPM: tempoBPM)
    }
}
