import Foundation

/// Finds the bundled demo audio: a `Samples/` folder at the package root (found by walking up from the
/// executable, so `.build/release/uplift` finds the checkout's `Samples/`) or in the current directory.
public enum DemoSamples {
    static let audioExtensions: Set<String> = ["flac", "wav", "aiff", "aif", "ogg", "mp3"]

    struct Missing: Error, CustomStringConvertible {
        var executableDirectory: String
        var currentDirectory: String
        var description: String {
            "no demo audio: no Samples/ folder with audio files above \(executableDirectory) or in \(currentDirectory);"
                + " run `make demo` in the Uplift checkout, or open your own file with `uplift watch FILE`"
        }
    }

    /// The sample the demo opens: the first audio file (by name) of the first `Samples/` folder that has one;
    /// a file whose name contains "demo" is preferred.
    public static func locate(executablePath: String = Self.executablePath(),
                       currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> String {
        let folders = candidateFolders(executablePath: executablePath, currentDirectory: currentDirectory)
        for folder in folders {
            let files = audioFiles(in: folder)
            if let chosen = files.first(where: { $0.lowercased().contains("demo") }) ?? files.first {
                return folder + "/" + chosen
            }
        }
        throw Missing(executableDirectory: URL(fileURLWithPath: executablePath).deletingLastPathComponent().path,
                      currentDirectory: currentDirectory)
    }

    /// The bundled demo profile (`Samples/demo.uplift-profile`), or nil when no `Samples/` folder has it.
    public static func profilePath(executablePath: String = Self.executablePath(),
                            currentDirectory: String = FileManager.default.currentDirectoryPath) -> String? {
        candidateFolders(executablePath: executablePath, currentDirectory: currentDirectory)
            .map { $0 + "/demo.uplift-profile" }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// `Samples/` in every ancestor of the executable's folder, then in the current directory.
    static func candidateFolders(executablePath: String, currentDirectory: String) -> [String] {
        var folders: [String] = []
        var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while true {
            folders.append(directory.appendingPathComponent("Samples").path)
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        let local = URL(fileURLWithPath: currentDirectory).appendingPathComponent("Samples").path
        if !folders.contains(local) { folders.append(local) }
        return folders
    }

    static func audioFiles(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { name in
            !name.hasPrefix(".") && audioExtensions.contains((name as NSString).pathExtension.lowercased())
        }.sorted()
    }

    /// This process's executable (Linux `/proc/self/exe`; otherwise the first argument).
    public static func executablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        return Bundle.main.executablePath ?? CommandLine.arguments.first ?? "."
    }
}
