import Foundation
import UpliftModel

extension AbletonBridge {
    // MARK: - Writing, converging, verifying, journalling

    /// Writes a group: intent line on disk first; then up to three writes per parameter, each
    /// journalled before it is sent, each read back (value and display text). A physical target
    /// converges on Live's display by secant / bisection over the observed pairs (`CurveSolver`);
    /// if the third write still misses, the old values are written back (journalled too).
    func perform(_ action: JournalEntry.Action, targetGroupID: String?, reason: String,
                 plans: [PlannedWrite]) async throws(AbletonError) -> AppliedChange {
        guard journal != nil, let set else { throw AbletonError(.liveNotReachable, "not connected to Live") }
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
        try appendJournal(intent)
        if let pause = options.pauseAfterJournal { try? await Task.sleep(for: pause) }

        let writeStart = ContinuousClock.now
        var notes: [String] = []
        var observed = try await writeAndRead(plans.indices.map { ($0, plans[$0].raw) }, plans: plans)
        if let pause = options.pauseAfterWrite { try? await Task.sleep(for: pause) }
        try await settleRefusal(observed, intent: intent, plans: plans, changes: changes)
        var points: [[CurvePoint]] = plans.map { plan in
            CurvePoint.observed(raw: plan.located.parameter.value, text: plan.located.parameter.valueString, unit: plan.spec?.unit).map { [$0] }.orEmpty
        }
        func record(_ i: Int) {
            if let raw = observed[i].raw, let text = observed[i].text,
               let point = CurvePoint.observed(raw: raw, text: text, unit: plans[i].spec?.unit) { points[i].append(point) }
        }
        for i in plans.indices { record(i) }

        // Up to two more writes per parameter that missed, each journalled before it is sent.
        for round in 2...3 {
            let misses = plans.indices.filter { !verify(plans[$0], observed[$0]) }
            guard !misses.isEmpty else { break }
            var next: [(Int, Double)] = []
            for i in misses {
                guard case .physical(let target) = plans[i].goal, let spec = plans[i].spec, !plans[i].located.parameter.isQuantized else { continue }
                let p = plans[i].located.parameter
                let known = calibration.points(calibrationKey(plans[i].located)) + points[i]
                if let raw = CurveSolver.nextRaw(target: target.value, spec: spec, min: p.min, max: p.max, points: known,
                                                 avoid: points[i].map(\.raw) + [observed[i].raw].compactMap { $0 }) {
                    next.append((i, raw))
                }
            }
            guard !next.isEmpty else { break }
            try appendJournal(writeLine(intent, changes: next.map { i, raw in
                var c = changes[i]
                c.newRaw = raw
                return c
            }, note: "correction \(round - 1)"))
            let second = try await writeAndRead(next, plans: plans)
            if round == 2, let pause = options.pauseAfterCorrection { try? await Task.sleep(for: pause) }
            var merged = observed
            for (k, (i, _)) in next.enumerated() { merged[i] = second[k] }
            try await settleRefusal(merged, intent: intent, plans: plans, changes: changes)
            for (k, (i, raw)) in next.enumerated() {
                notes.append("\(plans[i].located.identity.path): Live showed \(observed[i].text ?? "?") for \(plans[i].targetText); wrote raw \(formatRaw(raw)), Live shows \(second[k].text ?? "?")")
                observed[i] = second[k]
                record(i)
            }
        }
        // What was measured is kept: the next write of these parameters lands in one.
        for i in plans.indices where plans[i].spec != nil && !plans[i].located.parameter.isQuantized && !plans[i].located.identity.isMixer {
            calibration.add(points[i], key: calibrationKey(plans[i].located))
        }
        calibration.saveIfChanged(warnings: &warnings)

        for i in plans.indices {
            changes[i].newRaw = observed[i].raw ?? changes[i].newRaw
            changes[i].newText = observed[i].text
        }
        let misses = plans.indices.filter { !verify(plans[$0], observed[$0]) }
        if !misses.isEmpty {
            let details = misses.map { i -> String in
                let closest = closestShown(plans[i], points[i]).map { ", the closest Live showed was \($0)" } ?? ""
                return "\(plans[i].located.identity.path): asked \(plans[i].targetText), Live shows \(observed[i].text ?? "nothing")\(closest)"
            }.joined(separator: "; ")
            let restoreNote = try await restore(plans, intent: intent, changes: changes)
            let restored = !restoreNote.contains("could not")
            let message = "verification failed (\(details)) after \(plans.count == 1 ? "3 writes" : "up to 3 writes each"); Live's curve for this parameter does not reach it\(restoreNote)"
            try writeOutcome(intent, state: restored ? .restored : .failed, changes: changes, message: message)
            throw AbletonError(.verificationFailed, message)
        }
        let writeToVerified = ContinuousClock.now - writeStart
        try writeOutcome(intent, state: .applied, changes: changes, message: notes.isEmpty ? nil : notes.joined(separator: "; "))
        if let pause = options.pauseAfterOutcome { try? await Task.sleep(for: pause) }
        return AppliedChange(groupID: groupID, action: action, reason: reason, state: .applied, changes: changes, notes: notes,
                             writeToVerified: writeToVerified)
    }

    /// After a write round: a write Live refused ends the group (restoring what did change); a
    /// value that could not be read back leaves the group pending, for reconcile.
    private func settleRefusal(_ observed: [Observation], intent: JournalEntry, plans: [PlannedWrite],
                               changes: [JournalEntry.ParameterChange]) async throws(AbletonError) {
        if let failed = observed.firstIndex(where: { $0.writeError != nil }), let error = observed[failed].writeError {
            // Only what Live now holds differently from before is written back.
            let changed = plans.indices.filter { i in
                guard i < observed.count, let raw = observed[i].raw else { return true }
                return !rawEqual(raw, plans[i].located.parameter.value)
            }
            let restoreNote = try await restore(changed.map { plans[$0] }, intent: intent, changes: changed.map { changes[$0] })
            let plan = plans[failed]
            let isRange = error.message.contains("Invalid value") || error.message.lowercased().contains("range")
            let message = isRange
                ? "Live refused \(plan.targetText) for \(plan.located.identity.path): \(error.message). The range is \(rangeText(plan.spec, plan.located.parameter))\(restoreNote)"
                : "Live refused the write to \(plan.located.identity.path): \(error.message)\(restoreNote)"
            try writeOutcome(intent, state: .failed, changes: changes, message: message)
            throw AbletonError(isRange ? .valueOutOfRange : .liveError, message, cause: error.cause)
        }
        if observed.contains(where: { $0.raw == nil || $0.text == nil }) {
            // Written, not read back: no outcome; the next operation or start reconciles it.
            throw AbletonError(.liveNotReachable,
                "Live stopped answering right after the write; Uplift could not verify it and will check it the next time it connects")
        }
    }

    func closestShown(_ plan: PlannedWrite, _ points: [CurvePoint]) -> String? {
        guard case .physical(let target) = plan.goal, let spec = plan.spec else { return nil }
        let written = points.dropFirst()  // the first is the old value
        guard let best = written.min(by: { abs($0.value - target.value) < abs($1.value - target.value) }) else { return nil }
        return PhysicalValue(best.value, spec.unit).description
    }

    struct Observation: Sendable {
        var writeError: AbletonError?
        var raw: Double?
        var text: String?
    }

    /// One bundle: for each parameter, set then read value and display text (same tick, in order).
    /// Reads that fail (a lost reply, a stray `/live/error` blamed on them) are asked once more.
    /// A write error is believed only if Live does not hold the value afterwards: AbletonOSC's
    /// errors name no request, and one from elsewhere can be blamed on our write.
    func writeAndRead(_ writes: [(Int, Double)], plans: [PlannedWrite]) async throws(AbletonError) -> [Observation] {
        var requests: [OSCRequest] = []
        for (i, raw) in writes {
            requests += [setRequest(plans[i].located, raw: raw)] + readRequests(plans[i].located)
        }
        let results = await client.exchange(requests)
        var observations = writes.indices.map { k -> Observation in
            var observation = Observation()
            if case .failure(let error) = results[3 * k] { observation.writeError = error }
            observation.raw = (try? results[3 * k + 1].get())?.first?.doubleValue
            observation.text = (try? results[3 * k + 2].get())?.first?.stringValue
            return observation
        }
        let unsure = writes.indices.filter { observations[$0].raw == nil || observations[$0].text == nil || observations[$0].writeError != nil }
        if !unsure.isEmpty {
            let again = await client.exchange(unsure.flatMap { readRequests(plans[writes[$0].0].located) })
            for (n, k) in unsure.enumerated() {
                if let raw = (try? again[2 * n].get())?.first?.doubleValue { observations[k].raw = raw }
                if let text = (try? again[2 * n + 1].get())?.first?.stringValue { observations[k].text = text }
            }
        }
        // A read-back that does not hold what was written (or still shows the old text under a
        // new value) may be a stale reply: AbletonOSC has no request ids. Read again until two agree.
        for k in writes.indices {
            let (i, raw) = writes[k]
            let located = plans[i].located
            guard let value = observations[k].raw else { continue }
            let wrote = rawEqual(value, raw) || rawEqual(value, Double(Float(raw)))
            let oldText = !located.identity.isMixer && !rawEqual(value, located.parameter.value) && observations[k].text == located.parameter.valueString
            guard !wrote || oldText else { continue }
            var previous = (value, observations[k].text)
            for _ in 0..<3 {
                let again = await client.exchange(readRequests(located))
                let current = ((try? again[0].get())?.first?.doubleValue, (try? again[1].get())?.first?.stringValue)
                guard let v = current.0 else { continue }
                observations[k].raw = v
                if let text = current.1 { observations[k].text = text }
                if rawEqual(v, previous.0) && (located.identity.isMixer || current.1 == previous.1) { break }
                previous = (v, current.1)
            }
        }
        for k in writes.indices {
            let (i, raw) = writes[k]
            if plans[i].located.identity.isMixer, let value = observations[k].raw {
                observations[k].text = MixerModel.text(MixerModel.control(index: plans[i].located.parameter.index), raw: value)
            }
            if observations[k].writeError != nil, let value = observations[k].raw, rawEqual(value, Double(Float(raw))) || rawEqual(value, raw) {
                observations[k].writeError = nil  // Live holds what we wrote: the error was someone else's.
            }
        }
        return observations
    }

    func setRequest(_ located: LocatedParameter, raw: Double) -> OSCRequest {
        if located.identity.isMixer {
            return MixerModel.setRequest(track: located.trackIndex, control: MixerModel.control(index: located.parameter.index), raw: raw)
        }
        let tdp: [OSCValue] = [.int32(Int32(located.trackIndex)), .int32(Int32(located.deviceIndex)), .int32(Int32(located.parameter.index))]
        return .write("/live/device/set/parameter/value", tdp + [.float32(Float(raw))])
    }

    /// Value, then display text (the mixer has none: a second value read stands in, its text is modelled).
    func readRequests(_ located: LocatedParameter) -> [OSCRequest] {
        if located.identity.isMixer {
            let read = MixerModel.valueRead(track: located.trackIndex, control: MixerModel.control(index: located.parameter.index))
            return [read, read]
        }
        let tdp: [OSCValue] = [.int32(Int32(located.trackIndex)), .int32(Int32(located.deviceIndex)), .int32(Int32(located.parameter.index))]
        return [.read("/live/device/get/parameter/value", tdp), .read("/live/device/get/parameter/value_string", tdp)]
    }

    /// Writes the old values back (journalled first) and checks them; returns a note for the message.
    func restore(_ plans: [PlannedWrite], intent: JournalEntry, changes: [JournalEntry.ParameterChange]) async throws(AbletonError) -> String {
        guard !plans.isEmpty else { return "" }
        try appendJournal(writeLine(intent, changes: changes.map { c in
            var back = c
            back.newRaw = c.oldRaw
            return back
        }, note: "restore"))
        let back = try await writeAndRead(plans.indices.map { ($0, plans[$0].located.parameter.value) }, plans: plans)
        let bad = plans.indices.filter { i in back[i].raw.map { !rawEqual($0, plans[i].located.parameter.value) } ?? true }
        if bad.isEmpty {
            return ". The old value\(plans.count == 1 ? " was" : "s were") restored (\(plans.map { "\($0.located.identity.parameter) \($0.located.parameter.valueString)" }.joined(separator: ", ")))"
        }
        return ". Uplift could not restore \(bad.map { plans[$0].located.identity.path }.joined(separator: ", ")): check \(bad.count == 1 ? "it" : "them") in Live"
    }

    /// Success: Live's display text equals the target at the display's own resolution.
    func verify(_ plan: PlannedWrite, _ observation: Observation) -> Bool {
        guard let raw = observation.raw, let text = observation.text else { return false }
        switch plan.goal {
        case .exactRaw:
            return rawEqual(raw, plan.located.parameter.isQuantized ? plan.raw.rounded(.towardZero) : plan.raw)
                || rawEqual(raw, Double(Float(plan.raw)))
        case .choice(let index, let name):
            let squash = { (s: String) in s.lowercased().filter { !$0.isWhitespace } }
            return Int(raw.rounded()) == index && squash(text) == squash(name)
        case .physical(let target):
            return DisplayText.shows(text, target)
        }
    }

    func writeLine(_ intent: JournalEntry, changes: [JournalEntry.ParameterChange], note: String) -> JournalEntry {
        var line = intent
        line.kind = .write
        line.time = Date()
        line.changes = changes
        line.message = note
        return line
    }

    func appendJournal(_ entry: JournalEntry) throws(AbletonError) {
        guard let journal else { throw AbletonError(.liveNotReachable, "not connected to Live") }
        try journal.append(entry)
        entries.append(entry)
        history = JournalHistory(entries: entries)
    }

    func writeOutcome(_ intent: JournalEntry, state: JournalEntry.State, changes: [JournalEntry.ParameterChange],
                      message: String?) throws(AbletonError) {
        var outcome = intent
        outcome.kind = .outcome
        outcome.time = Date()
        outcome.state = state
        outcome.changes = changes
        outcome.message = message
        try appendJournal(outcome)
    }

    func calibrationKey(_ located: LocatedParameter) -> String {
        CalibrationStore.key(liveVersion: liveVersion, deviceClass: located.identity.deviceClass, parameter: located.identity.parameter)
    }
}

extension Optional where Wrapped: Collection & ExpressibleByArrayLiteral {
    var orEmpty: Wrapped { self ?? [] }
}
