/// Raw PCM sample encodings a pipe may carry (little-endian, interleaved).
public enum PCMSampleFormat: String, Sendable, CaseIterable {
    /// 32-bit IEEE float, −1…1.
    case f32le
    /// 16-bit signed integer.
    case s16le

    public var bytesPerSample: Int {
        switch self {
        case .f32le: 4
        case .s16le: 2
        }
    }
}
