import Foundation
import UpliftModel

/// What `uplift ableton calibrate` measured for one parameter.
public struct CurveMeasurement: Sendable, Equatable, Codable {
    public var parameter: String
    public var points: [CurvePoint]
    /// The largest gap between the parameter map's curve and Live's display over the points, in the unit.
    public var mapError: Double
    public var unit: String
}

/// How `uplift ableton params` describes a parameter's curve.
public struct CurveStatus: Sendable, Equatable, Codable {
    /// "measured", "modelled", or nil (quantized, or no unit map).
    public var source: String?
    public var points: Int
    public var mapError: Double?
}

extension AbletonBridge {
    /// Measures the raw ↔ display curves of a device's mapped continuous parameters (or one):
    /// a few writes across the range, each journalled and read back, then the old values are
    /// written back. A level (dB) is only ever measured below its current value: calibrating
    /// never makes the set louder.
    public func calibrate(track: String, device: String, parameter: String? = nil) async throws(AbletonError) -> [CurveMeasurement] {
        try await exclusive { () async throws(AbletonError) -> [CurveMeasurement] in
            try await requireConnected()
            try await reconcile()
            let (t, d) = try await findDevice(track: track, device: device)
            guard d != MixerModel.deviceIndex else {
                throw AbletonError(.noUnitMap, "the mixer has no display text in AbletonOSC, so its curves cannot be measured")
            }
            try await ensureParameters(t, d)
            let liveDevice = try currentSetOrThrow().tracks[t].devices[d]
            let trackName = try currentSetOrThrow().tracks[t].name
            var candidates = (liveDevice.parameters ?? []).filter { p in
                guard !p.isQuantized, let spec = ParameterMap.spec(className: liveDevice.className, parameter: p.name) else { return false }
                if case .choices = spec.scale { return false }
                return true
            }
            if let parameter {
                let p = try NameMatcher.match(parameter, in: liveDevice.parameters ?? [], name: \.name, kind: "parameter",
                                              context: "on '\(liveDevice.name)' of '\(trackName)'", notFound: .parameterNotFound)
                guard candidates.contains(where: { $0.name == p.name }) else {
                    throw AbletonError(.noUnitMap, "\(trackName) › \(liveDevice.name) › \(p.name) has no continuous unit curve to measure")
                }
                candidates = [p]
            }
            guard !candidates.isEmpty else {
                throw AbletonError(.noUnitMap, "'\(liveDevice.name)' (\(liveDevice.className)) has no parameter Uplift has a unit map for")
            }
            let located = try await locate(candidates.map {
                ParameterIdentity(track: trackName, device: liveDevice.name, deviceClass: liveDevice.className, parameter: $0.name)
            })
            let plans = located.map { l -> PlannedWrite in
                let spec = ParameterMap.spec(className: l.identity.deviceClass, parameter: l.identity.parameter)
                return PlannedWrite(located: l, spec: spec, goal: .exactRaw, raw: l.parameter.value, targetText: "calibration")
            }
            let samples = plans.map { calibrationSamples($0) }
            let rounds = samples.map(\.count).max() ?? 0
            guard rounds > 0 else { throw AbletonError(.noUnitMap, "nothing to measure: every level is already at its minimum") }

            let changes = plans.enumerated().map { i, plan in
                JournalEntry.ParameterChange(
                    track: plan.located.identity.track, trackIndex: plan.located.trackIndex, device: plan.located.identity.device,
                    deviceClass: plan.located.identity.deviceClass, deviceIndex: plan.located.deviceIndex,
                    parameter: plan.located.identity.parameter, parameterIndex: plan.located.parameter.index,
                    oldRaw: plan.located.parameter.value, oldText: plan.located.parameter.valueString,
                    newRaw: samples[i].first ?? plan.located.parameter.value, target: "calibration")
            }
            let intent = JournalEntry(kind: .intent, groupID: UUID().uuidString.lowercased(), time: Date(), action: .apply,
                                      reason: "calibrate \(trackName) › \(liveDevice.name)", setFingerprint: try currentSetOrThrow().fingerprint,
                                      changes: changes, state: .pending)
            try appendJournal(intent)
            var points: [[CurvePoint]] = plans.map { plan in
                CurvePoint.observed(raw: plan.located.parameter.value, text: plan.located.parameter.valueString, unit: plan.spec?.unit).map { [$0] }.orEmpty
            }
            for round in 0..<rounds {
                let items = plans.indices.compactMap { i in round < samples[i].count ? (i, samples[i][round]) : nil }
                if round > 0 {
                    try appendJournal(writeLine(intent, changes: items.map { i, raw in
                        var c = changes[i]
                        c.newRaw = raw
                        return c
                    }, note: "calibration sample \(round + 1)"))
                }
                let observed = try await writeAndRead(items, plans: plans)
                for (k, (i, _)) in items.enumerated() {
                    if let raw = observed[k].raw, let text = observed[k].text,
                       let point = CurvePoint.observed(raw: raw, text: text, unit: plans[i].spec?.unit) { points[i].append(point) }
                }
            }
            let restoreNote = try await restore(plans, intent: intent, changes: changes)
            let restored = !restoreNote.contains("could not")
            try writeOutcome(intent, state: restored ? .restored : .failed, changes: changes,
                             message: "calibration: measured \(points.map(\.count).reduce(0, +)) points\(restoreNote)")
            var result: [CurveMeasurement] = []
            for (i, plan) in plans.enumerated() {
                calibration.add(points[i], key: calibrationKey(plan.located))
                result.append(CurveMeasurement(parameter: plan.located.identity.parameter, points: points[i],
                                               mapError: mapError(points[i], plan.spec, plan.located.parameter), unit: plan.spec?.unit.rawValue ?? ""))
            }
            calibration.saveIfChanged(warnings: &warnings)
            if !restored { throw AbletonError(.liveError, "calibration measured the curves, but\(restoreNote)") }
            return result
        }
    }

    /// Five points across the range; a level only below where it is now.
    func calibrationSamples(_ plan: PlannedWrite) -> [Double] {
        let p = plan.located.parameter
        let fractions = [0.1, 0.3, 0.5, 0.7, 0.9]
        if plan.spec?.unit == .decibels {
            let top = p.value
            guard top > p.min else { return [] }
            return fractions.map { p.min + (top - p.min) * $0 }
        }
        return fractions.map { p.min + (p.max - p.min) * $0 }
    }

    func mapError(_ points: [CurvePoint], _ spec: ParameterSpec?, _ p: LiveParameter) -> Double {
        guard let spec else { return 0 }
        return points.map { abs(spec.scale.physical(raw: $0.raw, min: p.min, max: p.max) - $0.value) }.filter(\.isFinite).max() ?? 0
    }

    /// For `params`: which curves of a device are measured on this Live, which only modelled.
    public func curveStatus(of device: LiveDevice) -> [String: CurveStatus] {
        var status: [String: CurveStatus] = [:]
        for p in device.parameters ?? [] {
            guard let spec = ParameterMap.spec(className: device.className, parameter: p.name), !p.isQuantized else {
                status[p.name] = CurveStatus(source: nil, points: 0, mapError: nil)
                continue
            }
            if case .choices = spec.scale {
                status[p.name] = CurveStatus(source: nil, points: 0, mapError: nil)
                continue
            }
            let points = calibration.points(CalibrationStore.key(liveVersion: liveVersion, deviceClass: device.className, parameter: p.name))
            status[p.name] = points.count >= 2
                ? CurveStatus(source: "measured", points: points.count, mapError: mapError(points, spec, p))
                : CurveStatus(source: "modelled", points: points.count, mapError: nil)
        }
        return status
    }
}
