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
        lines += status.warnings.map { "warning: \($0)" }
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
    }

    public static func row(_ p: LiveParameter, className: String) -> ParameterRow {
        let spec = ParameterMap.spec(className: className, parameter: p.name)
        return ParameterRow(index: p.index, name: p.name, valueString: p.valueString, raw: p.value, min: p.min, max: p.max,
                            quantized: p.isQuantized, unit: spec.map { $0.unit.rawValue }, range: range(p, className: className))
    }

    public static func range(_ p: LiveParameter, className: String) -> String {
        let rawRange = "raw \(raw(p.min)) … \(raw(p.max))"
        guard let spec = ParameterMap.spec(className: className, parameter: p.name) else { return rawRange }
        if case .choices(let names) = spec.scale { return names.joined(separator: " | ") }
        let low = PhysicalValue(spec.scale.physical(raw: p.min, min: p.min, max: p.max), spec.unit)
        let high = PhysicalValue(spec.scale.physical(raw: p.max, min: p.min, max: p.max), spec.unit)
        return "\(low) … \(high)"
    }

    public static func parameterRows(_ device: LiveDevice) -> [ParameterRow] {
        (device.parameters ?? []).map { row($0, className: device.className) }
    }

    public static func parameters(_ track: LiveTrack, _ device: LiveDevice) -> String {
        let rows = parameterRows(device)
        let nameWidth = max(9, rows.map(\.name.count).max() ?? 0)
        let valueWidth = max(5, rows.map(\.valueString.count).max() ?? 0)
        var lines = ["\(track.name) › \(device.name) (\(device.className)\(device.spec == nil ? ", no unit map: use --raw" : "")), \(rows.count) parameters"]
        lines.append("  " + "parameter".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                     + "value".padding(toLength: valueWidth, withPad: " ", startingAt: 0) + "  " + "raw".padding(toLength: 10, withPad: " ", startingAt: 0) + "  range")
        for r in rows {
            lines.append("  " + r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                         + r.valueString.padding(toLength: valueWidth, withPad: " ", startingAt: 0) + "  "
                         + raw(r.raw).padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + r.range + (r.quantized ? "  (quantized)" : ""))
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
        public init(_ g: JournalGroup) {
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

    public static func history(_ groups: [JournalGroup], path: String) -> String {
        guard !groups.isEmpty else { return "No changes yet in this set's journal (\(path))." }
        let formatter = ISO8601DateFormatter()
        var lines = ["Journal: \(path)"]
        for (n, g) in groups.enumerated() {
            lines.append("\(n + 1). \(formatter.string(from: g.intent.time))  \(g.intent.action.rawValue)  [\(g.state.rawValue)]  \(g.intent.reason)")
            for c in g.changes {
                lines.append("     \(c.track) › \(c.device) › \(c.parameter): \(c.oldText) → \(c.newText ?? c.target ?? "raw \(raw(c.newRaw))")")
            }
            if let message = g.outcome?.message { lines.append("     \(message)") }
        }
        return lines.joined(separator: "\n")
    }
}
