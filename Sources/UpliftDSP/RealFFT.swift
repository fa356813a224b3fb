internal import CFFTW
import Synchronization

/// A forward real FFT of one size on FFTW single precision.
///
/// Plans are made once per size, under one lock (FFTW's planner is not thread-safe), and shared;
/// each `RealFFT` owns its own aligned buffers, so instances may run on different threads.
/// `forward` does not allocate.
public final class RealFFT: @unchecked Sendable {
    public let size: Int
    /// `size / 2 + 1` bins from DC to Nyquist.
    public let binCount: Int
    private let plan: PlanHandle
    private let input: UnsafeMutablePointer<Float>
    private let output: UnsafeMutablePointer<fftwf_complex>

    public init(size: Int) throws(DSPError) {
        guard size >= 4, size % 2 == 0 else {
            throw DSPError(message: "FFT size \(size) must be an even number of at least 4")
        }
        self.size = size
        self.binCount = size / 2 + 1
        input = fftwf_alloc_real(size)
        output = fftwf_alloc_complex(size / 2 + 1)
        plan = PlanCache.plan(size: size, input: input, output: output)
    }

    deinit {
        fftwf_free(input)
        fftwf_free(output)
    }

    /// Transforms `samples` (exactly `size` of them) into `re`/`im` (`binCount` each).
    public func forward(_ samples: UnsafeBufferPointer<Float>, re: UnsafeMutableBufferPointer<Float>,
                        im: UnsafeMutableBufferPointer<Float>) {
        precondition(samples.count >= size && re.count >= binCount && im.count >= binCount)
        input.update(from: samples.baseAddress!, count: size)
        fftwf_execute_dft_r2c(plan.raw, input, output)
        output.withMemoryRebound(to: Float.self, capacity: binCount * 2) { pairs in
            for k in 0..<binCount {
                re[k] = pairs[2 * k]
                im[k] = pairs[2 * k + 1]
            }
        }
    }

    /// Windowed transform straight into power (|X|²) per bin, for callers that need no phase.
    public func power(_ samples: UnsafeBufferPointer<Float>, window: UnsafeBufferPointer<Float>,
                      into power: UnsafeMutableBufferPointer<Float>) {
        precondition(samples.count >= size && window.count >= size && power.count >= binCount)
        for i in 0..<size { input[i] = samples[i] * window[i] }
        fftwf_execute_dft_r2c(plan.raw, input, output)
        output.withMemoryRebound(to: Float.self, capacity: binCount * 2) { pairs in
            for k in 0..<binCount {
                let r = pairs[2 * k], i = pairs[2 * k + 1]
                power[k] = r * r + i * i
            }
        }
    }
}

/// An FFTW plan shared between threads: only execution (with new arrays) is thread-safe.
private final class PlanHandle: @unchecked Sendable {
    let raw: fftwf_plan
    init(raw: fftwf_plan) { self.raw = raw }
}

private enum PlanCache {
    private static let plans = Mutex<[Int: PlanHandle]>([:])

    /// Plans with FFTW_ESTIMATE on the caller's buffers; the new-array execute needs the same
    /// alignment, which `fftwf_alloc_*` guarantees for every instance.
    static func plan(size: Int, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<fftwf_complex>) -> PlanHandle {
        plans.withLock { cache in
            if let plan = cache[size] { return plan }
            let raw = fftwf_plan_dft_r2c_1d(Int32(size), input, output, CFFTW_flags_estimate())!
            let plan = PlanHandle(raw: raw)
            cache[size] = plan
            return plan
        }
    }
}
