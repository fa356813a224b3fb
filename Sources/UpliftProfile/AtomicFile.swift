import Foundation

/// Replaces a file whole or not at all: write a temporary file beside it, fsync, rename over the
/// destination, fsync the directory. A crash at any moment leaves either the old file or the new one.
public enum AtomicFile {
    /// `beforeRename` runs once the temporary file is complete and synced (tests use it to look at
    /// the state mid-write, or throw to simulate a crash before the rename).
    public static func write(_ data: Data, to path: String, beforeRename: ((_ temporaryPath: String) throws -> Void)? = nil) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        removeStaleTemporaries(directory: directory, name: url.lastPathComponent)
        let temporary = "\(directory)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ProfileError(.writeFailed, "cannot create a file in \(directory); check the folder exists and is writable",
                               path: path, cause: String(cString: strerror(errno)))
        }
        var closed = false
        do {
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw ProfileError(.writeFailed, "write failed (disk full?); the previous file is untouched",
                                           path: path, cause: String(cString: strerror(errno)))
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else {
                throw ProfileError(.writeFailed, "fsync failed; the previous file is untouched", path: path,
                                   cause: String(cString: strerror(errno)))
            }
            close(fd); closed = true
            try beforeRename?(temporary)
            guard rename(temporary, path) == 0 else {
                throw ProfileError(.writeFailed, "cannot replace the file; the previous one is untouched", path: path,
                                   cause: String(cString: strerror(errno)))
            }
        } catch {
            if !closed { close(fd) }
            unlink(temporary)
            throw error
        }
        let dirFD = open(directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 { _ = fsync(dirFD); close(dirFD) }
    }

    /// A writer killed mid-write (kill -9, power cut) leaves its temporary behind: remove those
    /// whose process is gone, so they do not pile up beside the file.
    static func removeStaleTemporaries(directory: String, name: String) {
        let prefix = ".\(name).tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let pid = Int32(rest.prefix { $0 != "-" }), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink("\(directory)/\(entry)") }
        }
    }
}
