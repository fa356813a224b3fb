import UpliftAudio
import UpliftTUI

/// The TUI's transport requests carried out on the real `FilePlayer`. Every call only queues a
/// command under the player's short lock, so a key press never waits for the audio or reader thread.
public final class FilePlayerTransport: TransportControl {
    public let player: FilePlayer

    public init(player: FilePlayer) { self.player = player }

    public func togglePlayback() { player.togglePlayPause() }

    /// Seconds and bars alike: the reducer turns ±1 bar into seconds with the analysed tempo (4 beats at its BPM).
    public func seek(bySeconds seconds: Double) { player.seek(bySeconds: seconds) }

    public func setLoop(_ region: LoopRegion?) {
        if let region { player.setLoop(startS: region.startS, endS: region.endS) } else { player.clearLoop() }
    }
}
