import Foundation

/// A RIFF/WAVE file built byte by byte, for tests that need files the real writer would never
/// make (a truncated data chunk) or that cannot link the decoder module (the CLI tests).
public enum WAVBytes {
    /// 32-bit float WAVE (format 3) of interleaved `samples` with `channels` channels.
    /// `keepDataBytes` cuts the data chunk short while the header still announces all of it.
    public static func float32(_ samples: [Float], channels: Int, sampleRate: Int, keepDataBytes: Int? = nil) -> Data {
        var data = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        let dataBytes = samples.count * 4
        data.append(contentsOf: Array("RIFF".utf8)); u32(UInt32(4 + 8 + 16 + 8 + dataBytes))
        data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); u32(16)
        u16(3); u16(UInt16(channels)); u32(UInt32(sampleRate)); u32(UInt32(sampleRate * channels * 4))
        u16(UInt16(channels * 4)); u16(32)
        data.append(contentsOf: Array("data".utf8)); u32(UInt32(dataBytes))
        var payload = Data(capacity: dataBytes)
        for s in samples { withUnsafeBytes(of: s.bitPattern.littleEndian) { payload.append(contentsOf: $0) } }
        data.append(payload.prefix(keepDataBytes ?? dataBytes))
        return data
    }
}
