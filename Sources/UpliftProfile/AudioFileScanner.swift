import Foundation
import UpliftModel

/// Finds the audio files under the folders a producer names: recursive, following symlinked files
/// and folders, each folder and each file visited once however many links lead to it (identity is
/// device + inode, so link cycles end). Hidden entries (`.name`, including macOS `._name` resource
/// forks that look like audio but are not) are skipped.
public struct AudioFileScanner: Sendable {
    public static let audioExtensions: Set<String> = ["wav", "wave", "aif", "aiff", "flac", "ogg", "mp3"]

    public struct Result: Sendable, Equatable {
        /// Absolute paths, sorted.
        public var files: [String]
        /// Paths that could not be followed (broken link, no permission, not found), with why.
        public var problems: [Profile.SkippedFile]
        /// Folders reached a second time through a link (cycles and duplicates), skipped.
        public var revisitedFolders: Int
    }

    public init() {}

    private struct FileID: Hashable { let device: UInt64; let inode: UInt64 }

    public func scan(_ roots: [String]) -> Result {
        var files: [String] = []
        var problems: [Profile.SkippedFile] = []
        var seenFolders = Set<FileID>(), seenFiles = Set<FileID>()
        var revisited = 0

        func identity(_ path: String) -> (FileID, isDirectory: Bool)? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            return (id, (info.st_mode & S_IFMT) == S_IFDIR)
        }

        func visit(_ path: String, isRoot: Bool) {
            guard let (id, isDirectory) = identity(path) else {
                let reason = errno == ENOENT ? (isRoot ? "not found" : "broken symbolic link") : String(cString: strerror(errno))
                problems.append(.init(path: path, reason: reason))
                return
            }
            if isDirectory {
                guard seenFolders.insert(id).inserted else { revisited += 1; return }
                let entries: [String]
                do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
                    problems.append(.init(path: path, reason: "folder cannot be read (permission?)"))
                    return
                }
                for name in entries.sorted() where !name.hasPrefix(".") {
                    visit(path == "/" ? "/\(name)" : "\(path)/\(name)", isRoot: false)
                }
            } else {
                let ext = (path as NSString).pathExtension.lowercased()
                guard isRoot || Self.audioExtensions.contains(ext) else { return }
                guard seenFiles.insert(id).inserted else { return }
                files.append(path)
            }
        }

        for root in roots { visit(Self.absolute(root), isRoot: true) }
        return Result(files: files.sorted(), problems: problems, revisitedFolders: revisited)
    }

    /// The path made absolute against the current directory, `.`/`..` and trailing `/` removed
    /// (symlinks kept: the producer's own names are what a profile records).
    public static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let full = expanded.hasPrefix("/") ? expanded : FileManager.default.currentDirectoryPath + "/" + expanded
        return (full as NSString).standardizingPath
    }
}
