import Foundation

/// The committed inputs: `Hostile/` (every file that ever crashed or stalled Uplift) and the seed
/// corpora of `make fuzz` (Tools/fuzz/Corpus/<target>/).
enum HostileFiles {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let root = testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    static func hostile(_ name: String) -> String { testsFolder.appendingPathComponent("Hostile/\(name)").path }

    static func corpus(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = root.appendingPathComponent("Tools/fuzz/Corpus/\(target)")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { name in
            (name, [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }
}
