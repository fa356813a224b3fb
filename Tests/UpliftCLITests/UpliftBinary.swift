import Foundation
import Testing

/// Runs the built `uplift` executable, found as swift-argument-parser's `AssertExecuteCommand`
/// finds it: next to the test bundle, else in the package's `.build/debug`.
enum UpliftBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    static var url: URL? {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("uplift"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("uplift"))
        for b in Bundle.allBundles { candidates.append(b.bundleURL.deletingLastPathComponent().appendingPathComponent("uplift")) }
        // Tests/UpliftCLITests/UpliftBinary.swift → package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/uplift"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// `uplift-bench`, built beside `uplift`.
    static var benchURL: URL? {
        url.map { $0.deletingLastPathComponent().appendingPathComponent("uplift-bench") }
            .flatMap { FileManager.default.isExecutableFile(atPath: $0.path) ? $0 : nil }
    }

    static func run(_ arguments: [String], executable chosen: URL? = nil) throws -> Result {
        let executable = try #require(chosen ?? url, "the uplift executable was not built; run `swift build` first")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // Output goes to temporary files: no pipe can fill up and block the child.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-run-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close(); try err.close()
        let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
