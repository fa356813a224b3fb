import Foundation

/// `uplift` started as a child process whose output (stdout and stderr together) goes to a file
/// the test polls: for `watch … --headless`, which keeps running while the test changes files.
final class HeadlessRun {
    let process = Process()
    private let outURL: URL

    /// `stateHome` becomes XDG_STATE_HOME, so rejections and journals stay in the test's folder.
    /// `workingDirectory`: where it starts (default: the test's own).
    init(_ executable: URL, _ arguments: [String], in folder: URL, workingDirectory: URL? = nil) throws {
        outURL = folder.appendingPathComponent("out-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = folder.appendingPathComponent("state").path
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = process.standardOutput
        try process.run()
    }

    deinit { stop() }

    var output: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }

    /// The output once `condition` holds, or nil after `seconds`.
    func waitFor(_ seconds: Double, _ condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = output
            if condition(text) { return text }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return nil
    }

    /// SIGINT, as Ctrl-C would, and wait for the exit.
    func stop() {
        if process.isRunning { process.interrupt() }
        process.waitUntilExit()
    }
}
