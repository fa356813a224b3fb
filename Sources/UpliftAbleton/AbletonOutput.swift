import Foundation
import UpliftModel

/// The text and JSON that `uplift ableton` prints, beside the bridge whose results they show.
public enum AbletonOutput {
    public static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = UpliftJSON.encoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func raw(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%.6g", x)
    }

    public static func status(_ status: BridgeStatus, endpoint: AbletonEndpoint) -> String {
        guard status.connected else {
            return (["Not connected to Live (\(endpoint.liveHost):\(endpoint.sendPort))."] + status.warnings).joined(separator: "\n")
        }
        var lines = ["Connected: Live \(status.liveVersion ?? "?") via AbletonOSC at \(endpoint.liveHost):\(endpoint.sendPort)"
                     + (status.tempoBPM.map { String(format: ", %.2f BPM", $0) } ?? "")]
        lines.append("Mix bus: " + (status.mixBusTrack ?? "none (master-bus fixes need a track called \"Mix Bus\"; see `uplift ableton status` warnings)"))
        if let set = status.set {
            lines.append("Tracks (\(set.tracks.count), \(set.deviceCount) devices):")
            let width = set.tracks.map(\.name.count).max() ?? 0
            for track in set.tracks {
                let devices = track.devices.map { "\($0.name) (\($0.className))" }.joined(separator: " · ")
                lines.append("  \(String(format: "%2d", track.index + 1)) \(track.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(devices.isEmpty ? "no devices" : devices)")
            }
        }
        if let path = status.journalPath { lines.append("Journal: \(path)") }
        return lines.joined(separator: "\n")
    }

    public struct ParameterRow: Encodable {
        var index: Int
        var name: String
        var valueString: String
        var raw: Double
        var min: Double
        var max: Double
        var quantized: Bool
        var unit: String?
        var range: String
        /// "measured" (on this Live version), "modelled" (the built-in map only), or nil.
        var curve: String?
        var curvePoints: Int?
        /// Measured: the largest gap between the built-in map and Live's display, in the unit.
        var mapError: Double?
    }

    public static func row(_ p: LiveParameter, className: String, curve: CurveStatus? = nil) -> ParameterRow {
        let spec = ParameterMap.spec(className: className, parameter: p.name)
        let unit = className == "Mixer" ? (p.name == "Pan" ? "L/R" : "dB") : spec.map { $0.unit.rawValue }
        return ParameterRow(index: p.index, name: p.name, valueString: p.valueString, raw: p.value, min: p.min, max: p.max,
                            quantized: p.isQuantized, unit: unit, range: range(p, className: className),
                            curve: className == "Mixer" ? "modelled" : curve?.source, curvePoints: curve?.source == nil ? nil : curve?.points,
                            mapError: curve?.mapError)
    }

    public static func curveText(_ r: ParameterRow) -> String {
        switch r.curve {
        case "measured"?:
            let error = r.mapError.map { PhysicalValue($0, PhysicalUnit(rawValue: r.unit ?? "") ?? .plain).description } ?? "?"
            return "measured (\(r.curvePoints ?? 0) pts, map off by ≤ \(error))"
        case "modelled"?: return "modelled"
        default: return ""
        }
    }

    public static func range(_ p: LiveParameter, className: String) -> String {
        let rawRange = "raw \(raw(p.min)) … \(raw(p.max))"
        if className == "Mixer" { return p.name == "Pan" ? "50L … C … 50R" : p.name == "Volume" ? "-inf dB … +6.0 dB" : "-inf dB … 0.0 dB" }
        guard let spec = ParameterMap.spec(className: className, parameter: p.name) else { return rawRange }
        if case .choices(let names) = spec.scale { return names.joined(separator: " | ") }
        let low = PhysicalValue(spec.scale.physical(raw: p.min, min: p.min, max: p.max), spec.unit)
        let high = PhysicalValue(spec.scale.physical(raw: p.max, min: p.min, max: p.max), spec.unit)
        return "\(low) … \(high)"
    }

    public static func parameterRows(_ device: LiveDevice, curves: [String: CurveStatus] = [:]) -> [ParameterRow] {
        (device.parameters ?? []).map { row($0, className: device.className, curve: curves[$0.name]) }
    }

    public static func parameters(_ track: LiveTrack, _ device: LiveDevice, curves: [String: CurveStatus] = [:]) -> String {
        let rows = parameterRows(device, curves: curves)
        let nameWidth = max(9, rows.map(\.name.count).max() ?? 0)
        let valueWidth = max(5, rows.map(\.valueString.count).max() ?? 0)
        var lines = ["\(track.name) › \(device.name) (\(device.className)\(device.spec == nil ? ", no unit map: use --raw" : "")), \(rows.count) parameters"]
        lines.append("  " + "parameter".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                     + "value".padding(toLength: valueWidth, withPad: " ", startingAt: 0) + "  " + "raw".padding(toLength: 10, withPad: " ", startingAt: 0) + "  range")
        for r in rows {
            lines.append("  " + r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                         + r.valueString.padding(toLength: valueWidth, withPad: " ", startingAt: 0) + "  "
                         + raw(r.raw).padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + r.range + (r.quantized ? "  (quantized)" : "")
                         + (curveText(r).isEmpty ? "" : "  [curve \(curveText(r))]"))
        }
        return lines.joined(separator: "\n")
    }

    public static func applied(_ change: AppliedChange) -> [String] {
        let verb = change.action == .apply ? "set" : change.action.rawValue
        var lines = change.changes.map { c in
            "\(verb): \(c.track) › \(c.device) › \(c.parameter): \(c.oldText) → \(c.newText ?? "raw \(raw(c.newRaw))") (verified)"
        }
        lines += change.notes.map { "note: \($0)" }
        return lines
    }

    public struct HistoryRow: Encodable {
        var groupId: String
        var time: Date
        var action: String
        var targetGroupId: String?
        var state: String
        var reason: String
        var message: String?
        var changes: [JournalEntry.ParameterChange]
        /// Parameters no longer in the open set (undo skips this change).
        var missing: [String]
        public init(_ g: JournalGroup, missing: [String] = []) {
            self.missing = missing
            groupId = g.groupID
            time = g.intent.time
            action = g.intent.action.rawValue
            targetGroupId = g.intent.targetGroupID
            state = g.state.rawValue
            reason = g.intent.reason
            message = g.outcome?.message
            changes = g.changes
        }
    }

    public struct AppliedRow: Encodable {
        var groupId: String
        var action: String
        var state: String
        var reason: String
        var changes: [JournalEntry.ParameterChange]
        var notes: [String]
        public init(_ c: AppliedChange) {
            groupId = c.groupID
            action = c.action.rawValue
            state = c.state.rawValue
            reason = c.reason
            changes = c.changes
            notes = c.notes
        }
    }

    public static func printApplied(_ done: [AppliedChange], json: Bool) throws {
        if json {
            print(try AbletonOutput.json(done.map(AppliedRow.init)))
        } else {
            for change in done { for line in AbletonOutput.applied(change) { print(line) } }
        }
    }

    public static func history(_ groups: [JournalGroup], path: String, missing: [String: [String]] = [:]) -> String {
        guard !groups.isEmpty else { return "No changes yet in the journal (\(path))." }
        let formatter = ISO8601DateFormatter()
        var lines = ["Journal: \(path)"]
        for (n, g) in groups.enumerated() {
            lines.append("\(n + 1). \(formatter.string(from: g.intent.time))  \(g.intent.action.rawValue)  [\(g.state.rawValue)]  \(g.intent.reason)")
            for c in g.changes {
                lines.append("     \(c.track) › \(c.device) › \(c.parameter): \(c.oldText) → \(c.newText ?? c.target ?? "raw \(raw(c.newRaw))")")
            }
            if let message = g.outcome?.message { lines.append("     \(message)") }
            if let gone = missing[g.groupID], !gone.isEmpty {
                lines.append("     no longer in the open set: \(gone.joined(separator: ", ")) (undo skips this change)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
