import Foundation
import UpliftAnalysis
import UpliftAudio
import UpliftModel

/// Opens the sources of `uplift watch` and `uplift live` and the analyzer over them. The TUI's run
/// loop and the `--print` mode both start from here.
public struct LiveSession {
    public let analyzer: LiveAnalyzer
    /// Set in file mode (transport, reload).
    public let player: FilePlayer?
    /// Kept alive for as long as streams are open.
    public let system: PortAudioSystem?
    /// Why there is no sound, if there is none (shown once at start).
    public let audioNote: String?

    /// The rate the studio runs at while the watched file cannot be read yet (Live's default export rate).
    public static let pendingSampleRate = 44_100.0

    /// `uplift watch FILE`: a file at real-time pace, audio out unless `noAudio`, its offline
    /// analysis computed in the background and recomputed when the file is re-written.
    /// `onAnalysis` gets each finished offline analysis (the first, then one per re-export), on the analysis queue.
    /// A file that exists but does not decode yet (a first export still being written) opens the
    /// studio all the same: it waits, says so, and plays the file once it has settled and decodes.
    public static func openFile(path: String, noAudio: Bool, outputDevice: String?,
                                music: LiveMusicAnalyzer.Options? = LiveMusicAnalyzer.Options(),
                         onAnalysis: (@Sendable (TrackAnalysis) -> Void)? = nil) throws -> LiveSession {
        // A first export Live is still writing does not decode yet: the studio opens and waits for it
        // (at the usual export rate until it can be read; the player says so).
        let sampleRate: Double
        do {
            sampleRate = try AudioFileReader(path: path).sampleRate
        } catch {
            guard FilePlayer.mayStillBeWritten(error) else { throw error }
            sampleRate = pendingSampleRate
        }
        var system: PortAudioSystem?
        var output: AudioOutput?
        var note: String?
        if noAudio {
            note = "--no-audio — playing silently"
        } else {
            do {
                let opened = try PortAudioSystem()
                system = opened
                output = try AudioOutput(system: opened, deviceName: outputDevice, sampleRate: sampleRate)
            } catch {
                if outputDevice != nil { throw error }  // asked for a device by name: that is an error
                // Short: it sits in the status line for the whole session.
                note = error.message == "this system has no output device"
                    ? "no audio output device — playing silently"
                    : "no audio output (\(error.message)) — playing silently"
            }
        }
        let player = try FilePlayer(path: path, output: output, audioOutNote: note, pendingSampleRate: sampleRate)
        let analyzer = try LiveAnalyzer(source: player, loudness: StudioLoudness.meter(sampleRate: player.sampleRate), music: music)
        let analyze: @Sendable () -> Void = { [weak analyzer] in
            let result = try? TrackAnalyzer().analyze(path: path)
            if let result {
                analyzer?.setOfflineAnalysis(result)
                onAnalysis?(result)
            }
        }
        // One at a time, in order: an older analysis must not land after the one of the newest export.
        let queue = DispatchQueue(label: "uplift.offline-analysis", qos: .utility)
        player.onReload = { _ in queue.async(execute: analyze) }
        queue.async(execute: analyze)
        return LiveSession(analyzer: analyzer, player: player, system: system, audioNote: note)
    }

    /// `uplift live --input NAME|-|FIFO`: `-`, a FIFO or a file path is raw PCM; anything else is
    /// an audio device name.
    public static func openInput(_ input: String, format: PCMSampleFormat?, sampleRate: Double?, channels: Int?,
                                 lossless: Bool, music: LiveMusicAnalyzer.Options? = LiveMusicAnalyzer.Options()) throws -> LiveSession {
        if input == "-" || Self.isPipeOrFile(input) {
            let source = try PCMPipeSource(path: input, format: format ?? .f32le, sampleRate: sampleRate ?? 44_100,
                                           channels: channels ?? 2, whenBehind: lossless ? .wait : .drop)
            let analyzer = try LiveAnalyzer(source: source, loudness: StudioLoudness.meter(sampleRate: source.sampleRate), music: music)
            return LiveSession(analyzer: analyzer, player: nil, system: nil, audioNote: nil)
        }
        if format != nil || channels != nil {
            throw AudioError(.invalidArgument, "--format and --channels apply to PCM pipes; \"\(input)\" is not a FIFO or file (for a device, give --rate only)")
        }
        let system = try PortAudioSystem()
        let source = try AudioInput(system: system, deviceName: input, sampleRate: sampleRate)
        let analyzer = try LiveAnalyzer(source: source, loudness: StudioLoudness.meter(sampleRate: source.sampleRate), music: music)
        return LiveSession(analyzer: analyzer, player: nil, system: system, audioNote: nil)
    }

    static func isPipeOrFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFREG
    }
}
