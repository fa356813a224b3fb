import Foundation

public struct BridgeOptions: Sendable {
    public var endpoint: AbletonEndpoint
    /// Per request; Live answers within a tick (~100 ms) when it is there.
    public var requestTimeout: Duration
    /// Where the journals live (`Journal.defaultDirectory()` unless a test says otherwise).
    public var journalDirectory: URL
    /// `ableton.mix_bus_track`; nil means a track called "Mix Bus" or "Master Bus".
    public var mixBusTrackName: String?
    /// Test hooks: sleep right after the journal's intent is on disk / right after the OSC
    /// write, so a test can `kill -9` the process inside the crash windows.
    public var pauseAfterJournal: Duration?
    public var pauseAfterWrite: Duration?
    /// … right after a correction write (before its read-back is judged) and after the outcome line.
    public var pauseAfterCorrection: Duration?
    public var pauseAfterOutcome: Duration?
    /// Measured raw ↔ display pairs (per Live version, device class and parameter); by default
    /// `calibration.json` beside the journal folder, in the state folder.
    public var calibrationFile: URL

    public init(endpoint: AbletonEndpoint = .standard, requestTimeout: Duration = .seconds(1),
                journalDirectory: URL = Journal.defaultDirectory(), mixBusTrackName: String? = nil,
                pauseAfterJournal: Duration? = nil, pauseAfterWrite: Duration? = nil,
                pauseAfterCorrection: Duration? = nil, pauseAfterOutcome: Duration? = nil, calibrationFile: URL? = nil) {
        self.endpoint = endpoint
        self.requestTimeout = requestTimeout
        self.journalDirectory = journalDirectory
        self.mixBusTrackName = mixBusTrackName
        self.pauseAfterJournal = pauseAfterJournal
        self.pauseAfterWrite = pauseAfterWrite
        self.pauseAfterCorrection = pauseAfterCorrection
        self.pauseAfterOutcome = pauseAfterOutcome
        // Beside `journal/` in the state folder; a journal folder of another name (a test's) keeps its own.
        self.calibrationFile = calibrationFile ?? (journalDirectory.lastPathComponent == "journal"
            ? journalDirectory.deletingLastPathComponent() : journalDirectory).appendingPathComponent("calibration.json")
    }

    public static let defaultMixBusNames = ["Mix Bus", "Master Bus"]
}
