import Foundation
import UpliftModel

/// A parameter by names: what identifies it across index moves.
struct ParameterIdentity: Hashable, Sendable {
    var track: String
    var device: String
    var deviceClass: String
    var parameter: String

    var path: String { "\(track) › \(device) › \(parameter)" }
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
        try await requireConnected()
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
    public func undo(count: Int = 1, force: Bool = false) async throws(AbletonError) -> [AppliedChange] {
        try await requireConnected()
        guard !history.undoable.isEmpty else {
            throw AbletonError(.nothingToUndo, "nothing to undo: this set's journal has no applied change left (\(journal!.url.path))")
        }
        var done: [AppliedChange] = []
        for _ in 0..<max(1, count) {
            guard let id = history.undoable.last, let group = history.group(id) else { break }
            done.append(try await rewrite(group, action: .undo, force: force))
        }
        return done
    }

    /// Writes the values of the last `count` undone groups again.
    public func redo(count: Int = 1, force: Bool = false) async throws(AbletonError) -> [AppliedChange] {
        try await requireConnected()
        guard !history.redoable.isEmpty else {
            throw AbletonError(.nothingToRedo, "nothing to redo: no undone change in this set's journal (\(journal!.url.path))")
        }
        var done: [AppliedChange] = []
        for _ in 0..<max(1, count) {
            guard let id = history.redoable.last, let group = history.group(id) else { break }
            done.append(try await rewrite(group, action: .redo, force: force))
        }
        return done
    }

    private func rewrite(_ group: JournalGroup, action: JournalEntry.Action, force: Bool) async throws(AbletonError) -> AppliedChange {
        let changes = group.changes
        let identities = changes.map {
            ParameterIdentity(track: $0.track, device: $0.device, deviceClass: $0.deviceClass, parameter: $0.parameter)
        }
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
        try await ensureParameters(t, d)
        let track = set!.tracks[t], device = track.devices[d]
        let p = try NameMatcher.match(request.parameter, in: device.parameters ?? [], name: \.name, kind: "parameter",
                                      context: "on '\(device.name)' of '\(track.name)'", notFound: .parameterNotFound)
        return ParameterIdentity(track: track.name, device: device.name, deviceClass: device.className, parameter: p.name)
    }

    func ensureParameters(_ t: Int, _ d: Int) async throws(AbletonError) {
        guard set!.tracks[t].devices[d].parameters == nil else { return }
        var fresh = set!
        try await SetDiscovery(client: client).parameters(of: &fresh, devices: [(t, d)])
        set = fresh
    }

    /// Where the discovered set says a parameter is (exact names; refuses when ambiguous).
    private func cachedIndices(_ id: ParameterIdentity) async throws(AbletonError) -> (Int, Int, LiveParameter) {
        let tracks = set!.tracks.filter { $0.name == id.track }
        guard !tracks.isEmpty else {
            throw AbletonError(.trackNotFound, "track '\(id.track)' is no longer in this set (renamed or deleted in Live?)")
        }
        guard tracks.count == 1 else {
            throw AbletonError(.ambiguousName, "\(tracks.count) tracks are now called '\(id.track)'; Uplift cannot tell which one it changed. Rename one in Live and try again")
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
        let parameters = set!.tracks[t].devices[d].parameters!.filter { $0.name == id.parameter }
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
            let trackIndices = Array(Set(guesses.map(\.0))).sorted()
            var requests: [OSCRequest] = [.read("/live/song/get/track_names", [], echo: 0)]
            for t in trackIndices {
                requests += [.read("/live/track/get/devices/name", [.int32(Int32(t))]),
                             .read("/live/track/get/devices/class_name", [.int32(Int32(t))])]
            }
            for (t, d, p) in guesses {
                let tdp: [OSCValue] = [.int32(Int32(t)), .int32(Int32(d)), .int32(Int32(p.index))]
                requests += [.read("/live/device/get/parameter/name", tdp), .read("/live/device/get/parameter/value", tdp),
                             .read("/live/device/get/parameter/value_string", tdp)]
            }
            let results = await client.exchange(requests)
            if results.contains(where: { $0.failureCode == .timeout }) {
                throw AbletonError(.liveNotReachable, "Live stopped answering while Uplift checked \(identities[0].path); is Live still running?")
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
                let name = (try? results[base + 3 * k].get())?.first?.stringValue
                let value = (try? results[base + 3 * k + 1].get())?.first?.doubleValue
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
            let raw = spec.scale.raw(physical: value.value, min: p.min, max: p.max)
            guard raw.isFinite else {
                throw AbletonError(.valueOutOfRange, "\(value) is out of range for \(path): \(rangeText(spec, p))")
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

    // MARK: - Writing, verifying, journalling

    func perform(_ action: JournalEntry.Action, targetGroupID: String?, reason: String,
                 plans: [PlannedWrite]) async throws(AbletonError) -> AppliedChange {
        guard let journal, let set else { throw AbletonError(.liveNotReachable, "not connected to Live") }
        let groupID = UUID().uuidString.lowercased()
        var changes = plans.map { plan in
            JournalEntry.ParameterChange(
                track: plan.located.identity.track, trackIndex: plan.located.trackIndex,
                device: plan.located.identity.device, deviceClass: plan.located.identity.deviceClass,
                deviceIndex: plan.located.deviceIndex, parameter: plan.located.identity.parameter,
                parameterIndex: plan.located.parameter.index, oldRaw: plan.located.parameter.value,
                oldText: plan.located.parameter.valueString, newRaw: plan.raw, newText: nil, target: plan.targetText)
        }
        let intent = JournalEntry(kind: .intent, groupID: groupID, time: Date(), action: action, targetGroupID: targetGroupID,
                                  reason: reason, setFingerprint: set.fingerprint, changes: changes, state: .pending)
        // Write-ahead: on disk before Live hears anything.
        try journal.append(intent)
        entries.append(intent)
        if let pause = options.pauseAfterJournal { try? await Task.sleep(for: pause) }

        var notes: [String] = []
        let writeStart = ContinuousClock.now
        var observed = try await writeAndRead(plans.map { ($0, $0.raw) })
        if let pause = options.pauseAfterWrite { try? await Task.sleep(for: pause) }

        // Live refused a write: the bundle's rest was dropped; put back what did get written.
        if let failed = observed.firstIndex(where: { $0.writeError != nil }) {
            let error = observed[failed].writeError!
            let written = observed.indices.filter { observed[$0].writeError == nil && observed[$0].raw != nil }
            let restoreNote = try await restore(written.map { plans[$0] })
            let plan = plans[failed]
            let isRange = error.message.contains("Invalid value") || error.message.lowercased().contains("range")
            let message = isRange
                ? "Live refused \(plan.targetText) for \(plan.located.identity.path): \(error.message). The range is \(rangeText(plan.spec, plan.located.parameter))\(restoreNote)"
                : "Live refused the write to \(plan.located.identity.path): \(error.message)\(restoreNote)"
            try writeOutcome(intent, state: .failed, changes: changes, message: message)
            throw AbletonError(isRange ? .valueOutOfRange : .liveError, message, cause: error.cause)
        }
        if observed.contains(where: { $0.raw == nil }) {
            // Written, not read back: leave the group without outcome; the next start reconciles it.
            throw AbletonError(.liveNotReachable,
                "Live stopped answering right after the write; Uplift could not verify it and will check it the next time it connects")
        }

        // Verify; a miss gets one correction.
        var misses = plans.indices.filter { !verify(plans[$0], raw: observed[$0].raw!, text: observed[$0].text!) }
        if !misses.isEmpty {
            var corrections: [(Int, Double)] = []
            for i in misses {
                if let corrected = correction(plans[i], observedRaw: observed[i].raw!, observedText: observed[i].text!) {
                    corrections.append((i, corrected))
                }
            }
            if !corrections.isEmpty {
                let second = try await writeAndRead(corrections.map { (plans[$0.0], $0.1) })
                for (k, (i, raw)) in corrections.enumerated() {
                    notes.append("\(plans[i].located.identity.path): Live showed \(observed[i].text!) for \(plans[i].targetText); corrected raw \(formatRaw(plans[i].raw)) → \(formatRaw(raw))")
                    observed[i] = second[k]
                }
            }
            misses = plans.indices.filter { i in
                guard let raw = observed[i].raw, let text = observed[i].text else { return true }
                return !verify(plans[i], raw: raw, text: text)
            }
        }
        for i in plans.indices {
            changes[i].newRaw = observed[i].raw ?? changes[i].newRaw
            changes[i].newText = observed[i].text
        }
        if !misses.isEmpty {
            let details = misses.map { i in
                "\(plans[i].located.identity.path): asked \(plans[i].targetText), Live shows \(observed[i].text ?? "nothing")"
            }.joined(separator: "; ")
            let restoreNote = try await restore(plans)
            let restored = !restoreNote.contains("could not")
            let message = "verification failed (\(details)); Uplift's unit map does not match this parameter in your Live version\(restoreNote)"
            try writeOutcome(intent, state: restored ? .restored : .failed, changes: changes, message: message)
            throw AbletonError(.verificationFailed, message)
        }
        let writeToVerified = ContinuousClock.now - writeStart
        try writeOutcome(intent, state: .applied, changes: changes, message: notes.isEmpty ? nil : notes.joined(separator: "; "))
        return AppliedChange(groupID: groupID, action: action, reason: reason, state: .applied, changes: changes, notes: notes,
                             writeToVerified: writeToVerified)
    }

    struct Observation: Sendable {
        var writeError: AbletonError?
        var raw: Double?
        var text: String?
    }

    /// One bundle: for each parameter, set then read value and value string (same tick, in order).
    func writeAndRead(_ writes: [(PlannedWrite, Double)]) async throws(AbletonError) -> [Observation] {
        var requests: [OSCRequest] = []
        for (plan, raw) in writes {
            let tdp: [OSCValue] = [.int32(Int32(plan.located.trackIndex)), .int32(Int32(plan.located.deviceIndex)),
                                   .int32(Int32(plan.located.parameter.index))]
            requests += [
                .write("/live/device/set/parameter/value", tdp + [.float32(Float(raw))]),
                .read("/live/device/get/parameter/value", tdp), .read("/live/device/get/parameter/value_string", tdp),
            ]
        }
        let results = await client.exchange(requests)
        return writes.indices.map { k in
            var observation = Observation()
            if case .failure(let error) = results[3 * k] { observation.writeError = error }
            if case .failure(let error) = results[3 * k + 1], error.code == .droppedAfterBundleError, observation.writeError == nil {
                // An earlier write in the bundle failed; this one was never handled.
                observation.writeError = nil
                return Observation(writeError: nil, raw: nil, text: nil)
            }
            observation.raw = (try? results[3 * k + 1].get())?.first?.doubleValue
            observation.text = (try? results[3 * k + 2].get())?.first?.stringValue
            return observation
        }
    }

    /// Writes the old values back and checks them; returns a note for the message.
    func restore(_ plans: [PlannedWrite]) async throws(AbletonError) -> String {
        guard !plans.isEmpty else { return "" }
        let back = try await writeAndRead(plans.map { ($0, $0.located.parameter.value) })
        let bad = plans.indices.filter { i in back[i].raw.map { !rawEqual($0, plans[i].located.parameter.value) } ?? true }
        if bad.isEmpty {
            return ". The old value\(plans.count == 1 ? " was" : "s were") restored (\(plans.map { "\($0.located.identity.parameter) \($0.located.parameter.valueString)" }.joined(separator: ", ")))"
        }
        return ". Uplift could not restore \(bad.map { plans[$0].located.identity.path }.joined(separator: ", ")): check \(bad.count == 1 ? "it" : "them") in Live"
    }

    func verify(_ plan: PlannedWrite, raw: Double, text: String) -> Bool {
        switch plan.goal {
        case .exactRaw:
            return rawEqual(raw, plan.located.parameter.isQuantized ? plan.raw.rounded(.towardZero) : plan.raw)
        case .choice(let index, let name):
            let squash = { (s: String) in s.lowercased().filter { !$0.isWhitespace } }
            return Int(raw.rounded()) == index && squash(text) == squash(name)
        case .physical(let target):
            guard let shown = PhysicalValue.parse(text) else { return false }
            let unit = shown.unit == .plain && target.unit != .plain ? target.unit : shown.unit
            return unit == target.unit && target.unit.withinTolerance(shown.value, of: target.value)
        }
    }

    /// One secant step in the map's own coordinates, through the old and the observed points:
    /// exact when Live's scale is an affine warp of the map's, close when it is near one.
    func correction(_ plan: PlannedWrite, observedRaw: Double, observedText: String) -> Double? {
        guard case .physical(let target) = plan.goal, let spec = plan.spec, !plan.located.parameter.isQuantized,
              let shown = PhysicalValue.parse(observedText), let old = PhysicalValue.parse(plan.located.parameter.valueString) else { return nil }
        let p = plan.located.parameter
        let u = { (x: Double) in spec.scale.raw(physical: x, min: p.min, max: p.max) }
        let (u0, u1, uT) = (u(old.value), u(shown.value), u(target.value))
        let (r0, r1) = (p.value, observedRaw)
        var next: Double
        if [u0, u1, uT].allSatisfy(\.isFinite), abs(u1 - u0) > 1e-12, abs(r1 - r0) > 1e-12 {
            next = r0 + (uT - u0) * (r1 - r0) / (u1 - u0)
        } else if u1.isFinite, uT.isFinite {
            next = r1 + (uT - u1)
        } else {
            return nil
        }
        next = Swift.min(Swift.max(next, p.min), p.max)
        guard next.isFinite, !rawEqual(next, r1) else { return nil }
        return next
    }

    func writeOutcome(_ intent: JournalEntry, state: JournalEntry.State, changes: [JournalEntry.ParameterChange],
                      message: String?) throws(AbletonError) {
        var outcome = intent
        outcome.kind = .outcome
        outcome.time = Date()
        outcome.state = state
        outcome.changes = changes
        outcome.message = message
        try journal!.append(outcome)
        entries.append(outcome)
        history = JournalHistory(entries: entries)
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
