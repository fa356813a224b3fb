import Foundation
import Synchronization
import UpliftAnalysis
import UpliftModel
import UpliftTUI

/// The `--print` / `--headless` mode of `watch` and `live`: one line per second from the
/// snapshots, until the time is up, the input ends, or Ctrl-C.
public enum LivePrinter {
    public static func run(_ session: LiveSession, seconds: Double?, intervalS: Double = 1) throws {
        let interrupted = Atomic<Bool>(false)
        signal(SIGINT, SIG_IGN)
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { interrupted.store(true, ordering: .relaxed) }
        sigint.resume()
        defer { sigint.cancel(); signal(SIGINT, SIG_DFL) }

        if let note = session.audioNote { emit("note: \(note)") }
        try session.analyzer.start()
        defer { session.analyzer.stop() }
        let startTime = Date()
        var nextLine = startTime.addingTimeInterval(intervalS)
        while !interrupted.load(ordering: .relaxed) {
            let now = Date()
            if let seconds, now.timeIntervalSince(startTime) >= seconds { break }
            let snapshot = session.analyzer.latestSnapshot()
            if snapshot.source.state == .ended || snapshot.source.state == .stopped {
                usleep(200_000)  // let the last hops (and queued output) through
                break
            }
            if now >= nextLine {
                emit(line(snapshot))
                nextLine = nextLine.addingTimeInterval(intervalS)
            }
            usleep(10_000)
        }
        emit(line(session.analyzer.latestSnapshot()))
    }

    /// `  12.0 s / 180.0 s  running  level -9.0 dBFS  peak -6.0 dBFS  band 1000 Hz -6.0 dB  drops 0  underruns 0  load 0.4%`
    public static func line(_ snapshot: AnalysisSnapshot) -> String {
        let source = snapshot.source
        var parts: [String] = []
        let position = String(format: "%6.1f s", source.positionS)
        parts.append(source.durationS.map { position + String(format: " / %.1f s", $0) } ?? position)
        parts.append(source.state.rawValue)
        if let level = snapshot.level {
            parts.append("level \(db(level.rmsDBFS)) dBFS")
            parts.append("peak \(db(level.peakDBFS)) dBFS")
        }
        if let spectrum = snapshot.spectrum, let loudest = spectrum.levelsDB.indices.max(by: { spectrum.levelsDB[$0] < spectrum.levelsDB[$1] }),
           spectrum.levelsDB[loudest] > -100 {
            parts.append("band \(Int(spectrum.bandsHz[loudest].rounded())) Hz \(db(spectrum.levelsDB[loudest])) dB")
        } else {
            parts.append("band - (silence)")
        }
        if let loudness = snapshot.loudness { parts.append("momentary \(db(loudness.momentaryLUFS)) LUFS") }
        if let tempo = snapshot.tempo {
            parts.append(String(format: "%.1f BPM", tempo.bpm) + (tempo.confidence >= TempoTrust.minimumConfidence ? "" : "?"))
        }
        if let trance = snapshot.trance { parts.append(String(format: "score %.0f", trance.score)) }
        if let music = snapshot.music, let current = music.currentSection {
            parts.append("section \(current.section.kind.rawValue)\(current.provisional ? "?" : "") (bar \(current.bar))")
        }
        if let key = snapshot.key { parts.append("key \(key.camelot)") }
        if let music = snapshot.music { parts.append("(\(music.windowLabel))") }
        parts.append("drops \(source.droppedFrames)")
        parts.append("underruns \(source.underruns)")
        if let load = snapshot.analysisLoad { parts.append(String(format: "load %.1f%%", load * 100)) }
        if let note = source.note { parts.append("(\(note))") }
        return parts.joined(separator: "  ")
    }

    /// Unbuffered, so a pipe reader (tests, `tee`) sees each line as it is printed.
    public static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func db(_ value: Double) -> String { NumberFormat.fixed(value, 1) }
}
