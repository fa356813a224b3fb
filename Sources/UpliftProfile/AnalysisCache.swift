import Foundation
import GRDB
import UpliftModel

/// Analyses already made, keyed by a hash of the file's bytes (`ContentHash`) and the analyzer version, in
/// an SQLite database (GRDB) under the user's cache folder. Renaming or moving a file keeps its
/// entry; changing a byte or upgrading the analyzer makes a new one.
///
/// A second table remembers each path's last hash with the file's size, modification time and
/// inode, so an unchanged library is not re-read to be re-hashed (a warm rebuild of 215 tracks
/// would otherwise read 10 GB). Any change of those four re-hashes the file.
public final class AnalysisCache: Sendable {
    public let path: String
    private let database: DatabaseQueue

    /// `~/Library/Caches/uplift` on macOS; `$XDG_CACHE_HOME/uplift` or `~/.cache/uplift` elsewhere.
    /// `UPLIFT_CACHE_DIR` overrides both.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["UPLIFT_CACHE_DIR"], !dir.isEmpty { return dir }
        return UpliftDirectories.cache(environment: environment)
    }

    public static var defaultPath: String { defaultDirectory() + "/analysis-cache.sqlite" }

    /// Set when the file at `path` was not a usable cache: it was moved aside to this message's
    /// path and an empty cache started. Callers show it once (the analyses are recomputed).
    public let notice: String?

    public init(path: String = AnalysisCache.defaultPath) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        } catch {
            throw ProfileError(.cache, "the analysis cache's folder cannot be created; use --no-cache", path: path, cause: "\(error)")
        }
        do {
            database = try Self.open(path)
            notice = nil
        } catch let error as DatabaseError where Self.isDamage(error) {
            // Corrupt, not a database, or a database of something else: keep it for a post-mortem,
            // start afresh. A cache only costs time to rebuild.
            let aside = path + ".corrupt-\(Int(Date().timeIntervalSince1970))"
            do {
                try FileManager.default.moveItem(atPath: path, toPath: aside)
                for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                    try? FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
                }
                database = try Self.open(path)
            } catch {
                throw ProfileError(.cache, "the analysis cache is damaged and cannot be replaced; delete it to start afresh, or use --no-cache",
                                   path: path, cause: "\(error)")
            }
            notice = "the analysis cache was damaged (\(error.resultCode)); it was moved to \(aside) and a new one started: analyses will be recomputed"
        } catch {
            throw ProfileError(.cache, "the analysis cache cannot be opened; delete it to start afresh, or use --no-cache",
                               path: path, cause: "\(error)")
        }
    }

    /// The file is there but is not a cache we can use; busy, read-only or missing-permission errors are not damage.
    private static func isDamage(_ error: DatabaseError) -> Bool {
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_ERROR, .SQLITE_FORMAT, .SQLITE_MISMATCH, .SQLITE_CONSTRAINT, .SQLITE_SCHEMA:
            return true
        default:
            return false
        }
    }

    private static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10) // another `uplift` may be writing
        // WAL with synchronous=NORMAL: one fsync per checkpoint instead of per entry. A power cut
        // can lose the last entries, never corrupt the rest: right for a cache.
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let database = try DatabaseQueue(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE analysis (
                    content_hash TEXT NOT NULL, analyzer_version INTEGER NOT NULL,
                    analysis BLOB NOT NULL, created_at REAL NOT NULL,
                    PRIMARY KEY (content_hash, analyzer_version));
                CREATE TABLE file_hash (
                    path TEXT PRIMARY KEY NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    inode INTEGER NOT NULL, device INTEGER NOT NULL, content_hash TEXT NOT NULL);
                """)
        }
        try migrator.migrate(database)
        // A file whose pages are damaged past the header opens fine; this finds it now, not mid-build.
        let check = try database.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
        guard check == "ok" else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "quick_check: \(check ?? "no answer")")
        }
        return database
    }

    /// What `stat` says of a file: if all four match the remembered ones, the content is taken as unchanged.
    public struct FileStamp: Sendable, Equatable {
        public var size: Int64, mtimeNS: Int64, inode: Int64, device: Int64
        public init(size: Int64, mtimeNS: Int64, inode: Int64, device: Int64) {
            self.size = size; self.mtimeNS = mtimeNS; self.inode = inode; self.device = device
        }

        public static func of(path: String) -> FileStamp? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            #if os(macOS)
            let mtime = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
            #else
            let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            #endif
            return FileStamp(size: Int64(info.st_size), mtimeNS: mtime, inode: Int64(bitPattern: UInt64(info.st_ino)),
                             device: Int64(bitPattern: UInt64(info.st_dev)))
        }
    }

    public func rememberedHash(path: String, stamp: FileStamp) -> String? {
        try? database.read { db in
            try String.fetchOne(db, sql: """
                SELECT content_hash FROM file_hash WHERE path = ? AND size = ? AND mtime_ns = ? AND inode = ? AND device = ?
                """, arguments: [path, stamp.size, stamp.mtimeNS, stamp.inode, stamp.device])
        }
    }

    public func rememberHash(_ hash: String, path: String, stamp: FileStamp) {
        try? database.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO file_hash (path, size, mtime_ns, inode, device, content_hash) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [path, stamp.size, stamp.mtimeNS, stamp.inode, stamp.device, hash])
        }
    }

    /// Moves the analyses stored under an older hash of a file (SHA-256, before XXH3) to its new hash,
    /// so changing the hash algorithm costs one read of each file, not a new analysis.
    public func rekey(from old: String, to new: String) {
        try? database.write { db in
            try db.execute(sql: "UPDATE OR IGNORE analysis SET content_hash = ? WHERE content_hash = ?", arguments: [new, old])
            try db.execute(sql: "UPDATE file_hash SET content_hash = ? WHERE content_hash = ?", arguments: [new, old])
        }
    }

    /// The cached analysis, or `nil` (also when the stored entry no longer decodes: it is then re-made).
    public func analysis(contentHash: String, analyzerVersion: Int) -> TrackAnalysis? {
        guard let blob = try? database.read({ db in
            try Data.fetchOne(db, sql: "SELECT analysis FROM analysis WHERE content_hash = ? AND analyzer_version = ?",
                              arguments: [contentHash, analyzerVersion])
        }) else { return nil }
        return try? UpliftJSON.decoder().decode(TrackAnalysis.self, from: blob)
    }

    public func store(_ analysis: TrackAnalysis, contentHash: String, analyzerVersion: Int) throws {
        let blob = try UpliftJSON.encoder(pretty: false).encode(analysis)
        do {
            try database.write { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO analysis (content_hash, analyzer_version, analysis, created_at) VALUES (?, ?, ?, ?)
                    """, arguments: [contentHash, analyzerVersion, blob, Date().timeIntervalSince1970])
            }
        } catch {
            throw ProfileError(.cache, "cannot write to the analysis cache (disk full?)", path: path, cause: "\(error)")
        }
    }

    /// Number of cached analyses (all versions).
    public func count() -> Int { (try? database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM analysis") }) ?? 0 }
}
