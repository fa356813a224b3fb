import Foundation

/// Small fixtures for the live-source tests: WAV files written from known sample functions,
/// temporary folders, and a poll-until helper.
enum LiveTestSignals {
    /// A fresh empty folder under the system temp dir.
    static func temporaryFolder(_ label: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("uplift-\(label)-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a 32-bit float stereo WAV whose frame `i` is `sample(i)` (left, right); atomically.
    static func writeFloatWAV(to url: URL, sampleRate: Int, frames: Int, sample: (Int) -> (Float, Float)) throws {
        var data = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        let dataBytes = frames * 8
        data.append(contentsOf: Array("RIFF".utf8)); u32(UInt32(36 + dataBytes)); data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(3); u16(2); u32(UInt32(sampleRate))
        u32(UInt32(sampleRate * 8)); u16(8); u16(32)
        data.append(contentsOf: Array("data".utf8)); u32(UInt32(dataBytes))
        data.reserveCapacity(data.count + dataBytes)
        for i in 0..<frames {
            let (l, r) = sample(i)
            u32(l.bitPattern); u32(r.bitPattern)
        }
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try data.write(to: temp)
        guard rename(temp.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Frame index encoded in a sample by `rampSample` (exact for the lengths these tests use).
    static let rampScale: Float = 1_000_000
    static func rampSample(_ frame: Int) -> (Float, Float) {
        (Float(frame) / rampScale, -Float(frame) / rampScale)
    }
    static func frameIndex(_ value: Float) -> Int { Int((value * rampScale).rounded()) }

    /// Polls `condition` every 5 ms until it holds or `timeoutS` passes.
    static func wait(timeoutS: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutS)
        while Date() < deadline {
            if condition() { return true }
            usleep(5000)
        }
        return condition()
    }
}
