import Foundation

/// Two channels of raw sample storage for rendering (pointer-based so debug builds stay fast).
final class StereoBuffer {
    let count: Int
    let left: UnsafeMutablePointer<Float>
    let right: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        left = .allocate(capacity: max(count, 1)); left.initialize(repeating: 0, count: max(count, 1))
        right = .allocate(capacity: max(count, 1)); right.initialize(repeating: 0, count: max(count, 1))
    }
    deinit { left.deallocate(); right.deallocate() }

    /// Adds a mono one-shot starting at `startS`, with a constant-power pan (-1 left … +1 right).
    func add(_ shot: [Float], atSeconds startS: Double, sampleRate: Double, gain: Float, pan: Float = 0) {
        let start = Int((startS * sampleRate).rounded())
        let (gl, gr) = panGains(pan)
        shot.withUnsafeBufferPointer { s in
            let first = max(0, -start), last = min(s.count, count - start)
            guard first < last else { return }
            for i in first..<last {
                let v = s[i] * gain
                left[start + i] += v * gl
                right[start + i] += v * gr
            }
        }
    }

    /// Mixes `other` into this buffer, multiplied sample by sample by `gain` when given.
    func mix(_ other: StereoBuffer, gain: UnsafePointer<Float>? = nil) {
        let n = min(count, other.count)
        if let g = gain {
            for i in 0..<n { left[i] += other.left[i] * g[i]; right[i] += other.right[i] * g[i] }
        } else {
            for i in 0..<n { left[i] += other.left[i]; right[i] += other.right[i] }
        }
    }

    func interleaved(scale: Float) -> [Float] {
        var out = [Float](repeating: 0, count: count * 2)
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<count { o[2 * i] = left[i] * scale; o[2 * i + 1] = right[i] * scale }
        }
        return out
    }

    var peak: Float {
        var p: Float = 0
        for i in 0..<count { p = max(p, abs(left[i]), abs(right[i])) }
        return p
    }
}

/// Constant-power pan law: equal power at every position, -3 dB each side at the centre.
@inline(__always)
func panGains(_ pan: Float) -> (Float, Float) {
    let angle = (Double(min(max(pan, -1), 1)) + 1) * Double.pi / 4
    return (Float(cos(angle)), Float(sin(angle)))
}
