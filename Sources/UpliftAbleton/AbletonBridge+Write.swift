import Foundation
import UpliftModel

/// A parameter by names: what identifies it across index moves.
struct ParameterIdentity: Hashable, Sendable {
    var track: String
    var device: String
    var deviceClass: String
    var parameter: String

    var path: String { "\(track) › \(device) › \(parameter)" }
    var isMixer: Bool { deviceClass == MixerModel.deviceClass }

    init(track: String, device: String, deviceClass: String, parameter: String) {
        self.track = track
        self.device = device
        self.deviceClass = deviceClass
        self.parameter = parameter
    }

    init(_ change: JournalEntry.ParameterChange) {
        self.init(track: change.track, device: change.device, deviceClass: change.deviceClass, parameter: change.parameter)
    }
}

/// A parameter found at the indices where its names still are, with its value read just now.
struct LocatedParameter: Sendable {
    var identity: ParameterIdentity
    var trackIndex: Int
    var deviceIndex: Int
    var parameter: LiveParameter
}

/// One write of a group, ready to send.
struct PlannedWrite: Sendable {
    enum Goal: Sendable {
        case physical(PhysicalValue)
        case exactRaw
        case choice(index: Int, name: String)
    }
    var located: LocatedParameter
    var spec: ParameterSpec?
    var goal: Goal
    var raw: Double
    var targetText: String
}

func rawEqual(_ a: Double, _ b: Double) -> Bool {
    a == b || abs(a - b) <= 1e-6 * max(1, abs(b))
}

extension AbletonBridge {
    // MARK: - Public writes

    /// Applies a group of parameter changes as one journalled step: each is checked against
    /// Live's names, converted through the parameter map, written, read back and verified.
    public func apply(_ requests: [ParameterChangeRequest], reason: String) async throws(AbletonError) -> AppliedChange {
        try await exclusive { () async throws(AbletonError) -> AppliedChange in
            try await requireConnected()
            try await reconcile()
            return try await applyLocked(requests, reason: reason)
        }
    }

    func applyLocked(_ requests: [ParameterChangeRequest], reason: String) async throws(AbletonError) -> AppliedChange {
        var identities: [ParameterIdentity] = []
        for request in requests { identities.append(try await identity(for: request)) }
        let located = try await locate(identities)
        var plans: [PlannedWrite] = []
        for (request, parameter) in zip(requests, located) { plans.append(try plan(request.target, for: parameter)) }
        return try await perform(.apply, targetGroupID: nil, reason: reason, plans: plans)
    }

    public func apply(_ request: ParameterChangeRequest, reason: String) async throws(AbletonError) -> AppliedChange {
        try await apply([request], reason: reason)
    }

    /// Writes the old values of the last `count` applied groups back, newest first, verified.
    /// A parameter moved by hand since is not overwritten unless `force`.
    /// A change whose parameter is no longer in the open set (renamed, deleted, another set open)
    /// is skipped with a note, and the next older one is undone.
    public func undo(count: Int = 1, force: Bool = false) async throws(AbletonError) -> [AppliedChange] {
        try await exclusive { () async throws(AbletonError) -> [AppliedChange] in
            try await requireConnected()
            try await reconcile()
            return try await rewriteLast(count: count, action: .undo, force: force)
        }
    }

    /// Writes the values of the last `count` undone groups again.
    public func redo(count: Int = 1, force: Bool = false) async throws(AbletonError) -> [AppliedChange] {
        try await exclusive { () async throws(AbletonError) -> [AppliedChange] in
            try await requireConnected()
            try await reconcile()
            return try await rewriteLast(count: count, action: .redo, force: force)
        }
    }

    private func rewriteLast(count: Int, action: JournalEntry.Action, force: Bool) async throws(AbletonError) -> [AppliedChange] {
        let path = journal?.url.path ?? "the journal"
        let candidates = Array((action == .undo ? history.undoable : history.redoable).reversed())
        guard !candidates.isEmpty else {
            throw action == .undo
                ? AbletonError(.nothingToUndo, "nothing to undo: the journal has no applied change left (\(path))")
                : AbletonError(.nothingToRedo, "nothing to redo: no undone change in the journal (\(path))")
        }
        var done: [AppliedChange] = []
        var skipped: [String] = []
        for id in candidates where done.count < max(1, count) {
            guard let group = history.group(id) else { continue }
            do throws(AbletonError) {
                done.append(try await rewrite(group, action: action, force: force))
            } catch where [.trackNotFound, .deviceNotFound, .parameterNotFound].contains(error.code) {
                skipped.append("skipped '\(group.intent.reason)': \(error.message)")
            }
        }
        guard !done.isEmpty else {
            throw AbletonError(action == .undo ? .nothingToUndo : .nothingToRedo,
                "nothing to \(action.rawValue) in this set: \(skipped.joined(separator: "; "))")
        }
        done[0].notes += skipped
        return done
    }

    private func rewrite(_ group: JournalGroup, action: JournalEntry.Action, force: Bool) async throws(AbletonError) -> AppliedChange {
        let changes = group.changes
        let identities = changes.map { ParameterIdentity($0) }
        let located = try await locate(identities)
        // What Uplift left there: the applied value for undo, the old one for redo.
        var moved: [String] = []
        for (change, parameter) in zip(changes, located) {
            let expected = action == .undo ? change.newRaw : change.oldRaw
            let expectedText = action == .undo ? (change.newText ?? "raw \(change.newRaw)") : change.oldText
            if !rawEqual(parameter.parameter.value, expected) {
                moved.append("\(parameter.identity.path) shows \(parameter.parameter.valueString), Uplift left \(expectedText)")
            }
        }
        if !moved.isEmpty && !force {
            throw AbletonError(.movedByHand,
                "moved by hand since Uplift changed it: \(moved.joined(separator: "; ")). \(action == .undo ? "Undo" : "Redo") would overwrite that; run it again with --force to overwrite")
        }
        let plans = zip(changes, located).map { change, parameter in
            let raw = action == .undo ? change.oldRaw : change.newRaw
            return PlannedWrite(located: parameter, spec: nil, goal: .exactRaw, raw: raw,
                                targetText: action == .undo ? change.oldText : (change.newText ?? "raw \(raw)"))
        }
        return try await perform(action, targetGroupID: group.groupID,
                                 reason: "\(action.rawValue) of: \(group.intent.reason)", plans: plans)
    }

    // MARK: - Identity

    func identity(for request: ParameterChangeRequest) async throws(AbletonError) -> ParameterIdentity {
        let (t, d) = try await findDevice(track: request.track, device: request.device)
        if d == MixerModel.deviceIndex {
            let track = try currentSetOrThrow().tracks[t]
            let name = try NameMatcher.match(request.parameter, in: MixerModel.allNames, name: { $0 }, kind: "parameter",
                                             context: "on the mixer of '\(track.name)'", notFound: .parameterNotFound)
            if let c = MixerModel.control(named: name), case .send = c { _ = try await readMixerValue(track: t, control: c) }
            return ParameterIdentity(track: track.name, device: MixerModel.deviceName, deviceClass: MixerModel.deviceClass, parameter: name)
        }
        try await ensureParameters(t, d)
        let track = try currentSetOrThrow().tracks[t], device = track.devices[d]
        let p = try NameMatcher.match(request.parameter, in: device.parameters ?? [], name: \.name, kind: "parameter",
                                      context: "on '\(device.name)' of '\(track.name)'", notFound: .parameterNotFound)
        return ParameterIdentity(track: track.name, device: device.name, deviceClass: device.className, parameter: p.name)
    }

    func ensureParameters(_ t: Int, _ d: Int) async throws(AbletonError) {
        guard try currentSetOrThrow().tracks[t].devices[d].parameters == nil else { return }
        var fresh = try currentSetOrThrow()
        try await SetDiscovery(client: client).parameters(of: &fresh, devices: [(t, d)])
        set = fresh
    }

    /// Where the discovered set says a parameter is (exact names; refuses when ambiguous).
    func cachedIndices(_ id: ParameterIdentity) async throws(AbletonError) -> (Int, Int, LiveParameter) {
        let tracks = try currentSetOrThrow().tracks.filter { $0.name == id.track }
        guard !tracks.isEmpty else {
            throw AbletonError(.trackNotFound, "track '\(id.track)' is no longer in this set (renamed or deleted in Live?)")
        }
        guard tracks.count == 1 else {
            throw AbletonError(.ambiguousName, "\(tracks.count) tracks are now called '\(id.track)'; Uplift cannot tell which one it changed. Rename one in Live and try again")
        }
        if id.isMixer {
            guard let control = MixerModel.control(named: id.parameter) else {
                throw AbletonError(.parameterNotFound, "the mixer has no '\(id.parameter)'")
            }
            return (tracks[0].index, MixerModel.deviceIndex, MixerModel.parameter(control, raw: 0))
        }
        let devices = tracks[0].devices.filter { $0.name == id.device && $0.className == id.deviceClass }
        guard !devices.isEmpty else {
            throw AbletonError(.deviceNotFound, "device '\(id.device)' (\(id.deviceClass)) is no longer on '\(id.track)' (renamed or deleted in Live?)")
        }
        guard devices.count == 1 else {
            throw AbletonError(.ambiguousName, "'\(id.track)' now has \(devices.count) devices called '\(id.device)'; Uplift cannot tell which one it means. Rename one in Live and try again")
        }
        let (t, d) = (tracks[0].index, devices[0].index)
        try await ensureParameters(t, d)
        let parameters = (try currentSetOrThrow().tracks[t].devices[d].parameters ?? []).filter { $0.name == id.parameter }
        guard parameters.count == 1 else {
            throw AbletonError(parameters.isEmpty ? .parameterNotFound : .ambiguousName,
                               "'\(id.device)' on '\(id.track)' has \(parameters.count) parameters called '\(id.parameter)'")
        }
        return (t, d, parameters[0])
    }

    /// Checks, right before a write, that the cached indices still hold the same names, and
    /// reads the current values in the same tick. Re-discovers when the set has changed.
    func locate(_ identities: [ParameterIdentity]) async throws(AbletonError) -> [LocatedParameter] {
        for attempt in 0..<3 {
            var guesses: [(Int, Int, LiveParameter)] = []
            do throws(AbletonError) {
                for id in identities { guesses.append(try await cachedIndices(id)) }
            } catch where attempt == 0 && [.trackNotFound, .deviceNotFound, .parameterNotFound].contains(error.code) {
                try await rediscover()
                continue
            }
            // One bundle, one tick: the set's track names, each involved track's device names and
            // classes, and each parameter's name, value and value string. Whole lists, so a name
            // that became ambiguous (a second "EQ Eight" dropped on the track) is seen too.
            let trackIndices = Array(Set(guesses.filter { $0.1 != MixerModel.deviceIndex }.map(\.0))).sorted()
            var requests: [OSCRequest] = [.read("/live/song/get/track_names", [], echo: 0)]
            for t in trackIndices {
                requests += [.read("/live/track/get/devices/name", [.int32(Int32(t))]),
                             .read("/live/track/get/devices/class_name", [.int32(Int32(t))])]
            }
            for (t, d, p) in guesses {
                if d == MixerModel.deviceIndex {
                    // The mixer has no names or display texts to read: the track name is the check.
                    let read = MixerModel.valueRead(track: t, control: MixerModel.control(index: p.index))
                    requests += [.read("/live/test", [], echo: 0), read, .read("/live/test", [], echo: 0)]
                    continue
                }
                let tdp: [OSCValue] = [.int32(Int32(t)), .int32(Int32(d)), .int32(Int32(p.index))]
                requests += [.read("/live/device/get/parameter/name", tdp), .read("/live/device/get/parameter/value", tdp),
                             .read("/live/device/get/parameter/value_string", tdp)]
            }
            var results = await client.exchange(requests)
            // A failed read (a lost reply, a stray /live/error blamed on it) is asked again, alone.
            let failed = results.indices.filter { if case .failure = results[$0] { true } else { false } }
            if !failed.isEmpty {
                let again = await client.exchange(failed.map { requests[$0] })
                for (k, i) in failed.enumerated() { results[i] = again[k] }
            }
            if results.contains(where: { $0.failureCode == .timeout }) {
                throw AbletonError(.liveNotReachable, "Live stopped answering while Uplift checked \(identities.first?.path ?? "the set"); is Live still running?")
            }
            let strings = { (r: Result<[OSCValue], AbletonError>) -> [String]? in (try? r.get())?.map { $0.stringValue ?? "" } }
            let trackNames = strings(results[0]) ?? []
            var devicesByTrack: [Int: [(String, String)]] = [:]
            for (k, t) in trackIndices.enumerated() {
                if let names = strings(results[1 + 2 * k]), let classes = strings(results[2 + 2 * k]), names.count == classes.count {
                    devicesByTrack[t] = Array(zip(names, classes))
                }
            }
            let base = 1 + 2 * trackIndices.count
            var located: [LocatedParameter] = []
            var stillThere = true
            for (k, id) in identities.enumerated() {
                let (t, d, guess) = guesses[k]
                let value = (try? results[base + 3 * k + 1].get())?.first?.doubleValue
                if d == MixerModel.deviceIndex {
                    guard t < trackNames.count, trackNames[t] == id.track, trackNames.filter({ $0 == id.track }).count == 1, let value else {
                        stillThere = false
                        break
                    }
                    let parameter = MixerModel.parameter(MixerModel.control(index: guess.index), raw: value)
                    located.append(LocatedParameter(identity: id, trackIndex: t, deviceIndex: d, parameter: parameter))
                    continue
                }
                let name = (try? results[base + 3 * k].get())?.first?.stringValue
                let text = (try? results[base + 3 * k + 2].get())?.first?.stringValue
                let devices = devicesByTrack[t] ?? []
                guard t < trackNames.count, trackNames[t] == id.track, d < devices.count,
                      devices[d] == (id.device, id.deviceClass), name == id.parameter, let value, let text else {
                    stillThere = false
                    break
                }
                if trackNames.filter({ $0 == id.track }).count > 1 || devices.filter({ $0 == (id.device, id.deviceClass) }).count > 1 {
                    // Re-discovery will find the duplicate and refuse, saying why.
                    stillThere = false
                    break
                }
                var parameter = guess
                parameter.value = value
                parameter.valueString = text
                located.append(LocatedParameter(identity: id, trackIndex: t, deviceIndex: d, parameter: parameter))
            }
            if stillThere { return located }
            // A device moved, was renamed or deleted since discovery: look again, by names.
            try await rediscover()
        }
        throw AbletonError(.setChanged, "the set kept changing while Uplift was checking it; stop editing for a moment and try again")
    }

    // MARK: - Planning

    func plan(_ target: ParameterTarget, for located: LocatedParameter) throws(AbletonError) -> PlannedWrite {
        if located.identity.isMixer { return try MixerModel.plan(target, for: located) }
        let p = located.parameter
        let path = located.identity.path
        let spec = ParameterMap.spec(className: located.identity.deviceClass, parameter: p.name)
        var choiceNames: [String]? = nil
        if case .choices(let names)? = spec?.scale { choiceNames = names }
        let allowed = choiceNames.map { names in names.enumerated().map { "\($0.element) (\($0.offset))" }.joined(separator: ", ") }
            ?? "whole numbers \(Int(p.min)) … \(Int(p.max))"
        switch target {
        case .raw(let x):
            if p.isQuantized && (x != x.rounded() || x < p.min || x > p.max) {
                throw AbletonError(.invalidValue, "\(path) takes only its allowed values: \(allowed)")
            }
            return PlannedWrite(located: located, spec: spec, goal: .exactRaw, raw: x, targetText: "raw \(formatRaw(x))")
        case .choice(let name):
            var names = choiceNames
            if names == nil && p.isQuantized && p.min == 0 && p.max == 1 { names = ["Off", "On"] }
            guard p.isQuantized, let names else {
                throw AbletonError(.invalidValue, "'\(name)' is not a value for \(path); give a number\(spec.map { " in \($0.unit.rawValue.isEmpty ? "its unit" : $0.unit.rawValue)" } ?? " with --raw")")
            }
            let aliases = ["true": "on", "yes": "on", "false": "off", "no": "off"]
            let query = aliases[name.lowercased()] ?? name.lowercased()
            let exact = names.indices.filter { names[$0].lowercased() == query }
            let prefixed = names.indices.filter { names[$0].lowercased().hasPrefix(query) }
            guard let index = exact.first ?? (prefixed.count == 1 ? prefixed[0] : nil) else {
                throw AbletonError(.invalidValue, "'\(name)' is not one of the values of \(path): \(allowed)")
            }
            return PlannedWrite(located: located, spec: spec, goal: .choice(index: index, name: names[index]), raw: Double(index), targetText: names[index])
        case .physical(var value):
            guard let spec else {
                throw AbletonError(.noUnitMap,
                    "Uplift has no unit map for \(path); give Live's raw value with --raw (range \(formatRaw(p.min)) … \(formatRaw(p.max)); now raw \(formatRaw(p.value)) shows '\(p.valueString)')")
            }
            if value.unit == .plain && spec.unit != .plain { value.unit = spec.unit }
            guard value.unit == spec.unit else {
                throw AbletonError(.invalidValue, "\(path) is set in \(spec.unit == .plain ? "plain numbers" : spec.unit.rawValue), not \(value.unit.rawValue)")
            }
            if let names = choiceNames {
                guard let index = names.indices.first(where: { i in
                    PhysicalValue.parse(names[i]).map { $0.unit == value.unit && value.unit.withinTolerance($0.value, of: value.value) } ?? false
                }) else {
                    throw AbletonError(.invalidValue, "\(path) takes only its allowed values: \(allowed)")
                }
                return PlannedWrite(located: located, spec: spec, goal: .choice(index: index, name: names[index]), raw: Double(index), targetText: names[index])
            }
            let modelled = spec.scale.raw(physical: value.value, min: p.min, max: p.max)
            guard modelled.isFinite else {
                throw AbletonError(.valueOutOfRange, "\(value) is out of range for \(path): \(rangeText(spec, p))")
            }
            // The map is a first guess: measured pairs (and the value shown now) correct it.
            var raw = modelled
            if !p.isQuantized, modelled >= p.min, modelled <= p.max {
                let points = calibration.points(calibrationKey(located)) + CurvePoint.observed(raw: p.value, text: p.valueString, unit: spec.unit).map { [$0] }.orEmpty
                if let guess = CurveSolver.nextRaw(target: value.value, spec: spec, min: p.min, max: p.max, points: points) { raw = guess }
            }
            return PlannedWrite(located: located, spec: spec, goal: .physical(value), raw: raw, targetText: value.description)
        }
    }

    func rangeText(_ spec: ParameterSpec?, _ p: LiveParameter) -> String {
        let raw = "raw \(formatRaw(p.min)) … \(formatRaw(p.max))"
        guard let spec else { return raw }
        if case .choices = spec.scale { return raw }
        let low = PhysicalValue(spec.scale.physical(raw: p.min, min: p.min, max: p.max), spec.unit)
        let high = PhysicalValue(spec.scale.physical(raw: p.max, min: p.min, max: p.max), spec.unit)
        return "\(low) … \(high) (\(raw))"
    }

}

extension Result {
    var failureCode: AbletonError.Code? {
        if case .failure(let error) = self, let e = error as? AbletonError { return e.code }
        return nil
    }
}

func formatRaw(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e9 { return String(Int(x)) }
    return String(format: "%.6g", x)
}
