import Foundation
import UpliftModel

/// How a gap fix is named in the Ableton journal (`uplift gaps fix ID: what it does`), so a later
/// undo, redo or `uplift gaps --previous` can tell which fix a journal group was. Groups without
/// such a reason are other changes (`uplift ableton set`).
public enum FixJournalReason {
    private static let prefix = "uplift gaps fix "

    public static func reason(for fix: Fix) -> String { "\(prefix)\(fix.id): \(fix.action.summary)" }

    /// The fix id in a group's reason ("undo of: uplift gaps fix 3fa1…: EQ …" gives "3fa1…"), or nil.
    public static func fixID<S: StringProtocol>(in reason: S) -> String? {
        guard let start = reason.range(of: prefix)?.upperBound else { return nil }
        let id = reason[start...].prefix { $0.isHexDigit }
        return id.isEmpty ? nil : String(id)
    }

    /// What the change was, without the "undo of: " or "redo of: " the bridge put in front.
    public static func original(_ reason: String) -> String {
        var text = Substring(reason)
        for prefix in ["undo of: ", "redo of: "] where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        return String(text)
    }

    /// Fixes in effect now in every set's journal under `directory`: applied, and not undone since.
    public static func fixesInEffect(directory: URL = Journal.defaultDirectory()) -> Set<String> {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        var ids: Set<String> = []
        for file in files where file.hasSuffix(".jsonl") {
            guard let contents = try? Journal(url: directory.appendingPathComponent(file)).load() else { continue }
            let history = JournalHistory(entries: contents.entries)
            for groupID in history.undoable {
                if let reason = history.group(groupID)?.intent.reason, let id = fixID(in: reason) { ids.insert(id) }
            }
        }
        return ids
    }
}
