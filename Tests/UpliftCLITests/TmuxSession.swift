import Foundation

/// A detached tmux session on a private server socket, for end-to-end tests of the terminal UI:
/// start it, type into it, read the screen, poll for a condition with a deadline, and kill it.
final class TmuxSession {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The shell prompt inside the session; after `q` it must come back.
    static let prompt = "uplift-e2e$ "

    let socket: String
    let name: String

    /// Starts `bash` (no rc files, a known prompt) in a `width`×`height` window.
    init(width: Int, height: Int, environment: [String: String] = [:]) throws {
        socket = "uplift-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        name = "e2e"
        var variables = ["PS1": Self.prompt, "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory(), "TERM": "tmux-256color"]
        for (key, value) in environment { variables[key] = value }
        let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let shell = "env -i PATH=/usr/local/bin:/usr/bin:/bin \(assignments) bash --norc --noprofile"
        try Self.tmux(["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", shell])
        // The server would otherwise shrink the window to the smallest client; there is none, so pin the size.
        try? Self.tmux(["-L", socket, "set-option", "-t", name, "window-size", "manual"])
        guard waitFor(timeout: 5, { $0.contains("uplift-e2e$") }) != nil else {
            kill()
            throw Failure(description: "tmux session did not show its prompt: \(capture())")
        }
    }

    deinit { kill() }

    /// Types `text` literally, then Enter when asked.
    func type(_ text: String, enter: Bool = false) {
        _ = try? Self.tmux(["-L", socket, "send-keys", "-t", name, "-l", text])
        if enter { press("Enter") }
    }

    /// Sends a named key (`Enter`, `Tab`, `BTab`, `Left`, `C-c`).
    func press(_ key: String) {
        _ = try? Self.tmux(["-L", socket, "send-keys", "-t", name, key])
    }

    /// The visible screen as text; with `escapes`, including colour escape sequences.
    func capture(escapes: Bool = false) -> String {
        (try? Self.tmux(["-L", socket, "capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []))) ?? ""
    }

    func resize(width: Int, height: Int) {
        _ = try? Self.tmux(["-L", socket, "resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen until `condition` holds or `timeout` seconds pass; the matching screen, or `nil`.
    func waitFor(timeout: Double, escapes: Bool = false, _ condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let screen = capture(escapes: escapes)
            if condition(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return nil
    }

    func kill() {
        _ = try? Self.tmux(["-L", socket, "kill-server"])
    }

    /// Runs tmux through `posix_spawnp` and `waitpid` (Foundation's `Process.waitUntilExit` can miss the
    /// child's exit under the test runner). Output is read only when asked: a command that starts the server
    /// would hand the pipe to the server, which keeps it open for its lifetime.
    @discardableResult
    static func tmux(_ arguments: [String], readOutput: Bool? = nil) throws -> String {
        let wantsOutput = readOutput ?? arguments.contains { $0 == "capture-pane" || $0 == "-V" }
        var fds: [Int32] = [-1, -1]
        if wantsOutput { guard pipe(&fds) == 0 else { throw Failure(description: "pipe failed") } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        if wantsOutput {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = (["tmux"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // The test runner's threads block signals, and a child inherits the mask: without resetting it,
        // the programs in the session would never see SIGWINCH (and tmux's resizes would go unnoticed).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ)
        if wantsOutput { close(fds[1]) }
        guard spawned == 0 else {
            if wantsOutput { close(fds[0]) }
            throw Failure(description: "cannot run tmux (error \(spawned)): install tmux")
        }
        var data = [UInt8]()
        if wantsOutput {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(fds[0], &chunk, chunk.count)
                if count <= 0 { break }
                data.append(contentsOf: chunk[0..<count])
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xff
        guard status & 0x7f == 0, exitCode == 0 else {
            throw Failure(description: "tmux \(arguments.joined(separator: " ")) exited with status \(status)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static var isAvailable: Bool { (try? tmux(["-V"])) != nil }
}

/// The built `uplift` executable, found next to the test bundle as swift-argument-parser's helpers do.
enum UpliftExecutable {
    static var url: URL? {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            var directory = URL(fileURLWithPath: first).deletingLastPathComponent()
            if directory.lastPathComponent.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
            candidates.append(directory.appendingPathComponent("uplift"))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("uplift"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("uplift"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/uplift"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
