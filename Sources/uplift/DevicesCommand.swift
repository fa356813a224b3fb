import ArgumentParser
import Foundation
import UpliftAudio
import UpliftModel

/// `uplift devices`: the audio inputs and outputs PortAudio sees.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List audio inputs and outputs (names for `uplift live --input` and `--output-device`).")

    func run() throws {
        let system: PortAudioSystem
        do { system = try PortAudioSystem() } catch {
            StandardError.line(error.description)
            throw ExitCode.failure
        }
        let devices = system.devices()
        if devices.isEmpty {
            print("No audio devices found. On Linux check ALSA (`aplay -l`) or define one in ~/.asoundrc; a PCM pipe works without any: `uplift live --input -`.")
            return
        }
        for (title, list, channels) in [
            ("Inputs", devices.filter(\.isInput), { (d: AudioDeviceInfo) in d.maxInputChannels }),
            ("Outputs", devices.filter(\.isOutput), { (d: AudioDeviceInfo) in d.maxOutputChannels }),
        ] {
            print("\(title):")
            if list.isEmpty { print("  (none)") }
            let width = list.map(\.name.count).max() ?? 0
            for device in list {
                let isDefault = title == "Inputs" ? device.isDefaultInput : device.isDefaultOutput
                let name = device.name.padding(toLength: max(width, 4), withPad: " ", startingAt: 0)
                print("  \(name)  \(device.hostAPI)  \(channels(device)) ch  \(Int(device.defaultSampleRate)) Hz\(isDefault ? "  (default)" : "")")
            }
        }
    }
}


