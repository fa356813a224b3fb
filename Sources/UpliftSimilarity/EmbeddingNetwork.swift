import Foundation
import UpliftDSP

/// The learned projection: Linear → LayerNorm → GELU → Linear → L2-normalise (the research
/// synthesis's head without dropout), on standardised descriptors. Plain `Float` arrays, row-major
/// weights, one thread, a fixed order of every sum: the same weights and input give the same bits.
public struct EmbeddingNetwork: Sendable, Equatable {
    public let inputSize: Int
    public let hiddenSize: Int
    public let outputSize: Int
    /// hidden × input, then hidden, then LayerNorm's gain and bias (hidden each), output × hidden, output.
    public var w1: [Float], b1: [Float], gamma: [Float], beta: [Float], w2: [Float], b2: [Float]

    /// He-style initialisation from a seed.
    public init(inputSize: Int, hiddenSize: Int = 128, outputSize: Int = 64, seed: UInt64) {
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.outputSize = outputSize
        var random = SeededRandom(seed: seed)
        let s1 = Float((2.0 / Double(inputSize)).squareRoot()), s2 = Float((1.0 / Double(hiddenSize)).squareRoot())
        w1 = (0..<(hiddenSize * inputSize)).map { _ in Float(random.gaussian()) * s1 }
        b1 = [Float](repeating: 0, count: hiddenSize)
        gamma = [Float](repeating: 1, count: hiddenSize)
        beta = [Float](repeating: 0, count: hiddenSize)
        w2 = (0..<(outputSize * hiddenSize)).map { _ in Float(random.gaussian()) * s2 }
        b2 = [Float](repeating: 0, count: outputSize)
    }

    public init(inputSize: Int, hiddenSize: Int, outputSize: Int, parameters: [Float]) throws {
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.outputSize = outputSize
        let sizes = Self.sizes(inputSize, hiddenSize, outputSize)
        guard parameters.count == sizes.reduce(0, +) else {
            throw SimilarityError("the stored embedding has \(parameters.count) weights, its shape needs \(sizes.reduce(0, +)); rebuild the profile")
        }
        var offset = 0
        func take(_ n: Int) -> [Float] { defer { offset += n }; return Array(parameters[offset..<(offset + n)]) }
        w1 = take(sizes[0]); b1 = take(sizes[1]); gamma = take(sizes[2]); beta = take(sizes[3]); w2 = take(sizes[4]); b2 = take(sizes[5])
    }

    static func sizes(_ i: Int, _ h: Int, _ o: Int) -> [Int] { [h * i, h, h, h, o * h, o] }

    /// Every weight, in the order `init(parameters:)` reads them.
    public var parameters: [Float] { w1 + b1 + gamma + beta + w2 + b2 }

    /// What backpropagation needs of one forward pass.
    struct Trace {
        var input: [Float], normalised: [Float], inverseSigma: Float, preActivation: [Float], activation: [Float]
        var unnormalised: [Float], norm: Float, output: [Float]
    }

    public func embed(_ x: [Float]) -> [Float] { trace(x).output }

    func trace(_ x: [Float]) -> Trace {
        let h = hiddenSize, n = inputSize, o = outputSize
        var z = [Float](repeating: 0, count: h)
        w1.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { x in
                for r in 0..<h { z[r] = b1[r] + dot(w.baseAddress! + r * n, x.baseAddress!, n) }
            }
        }
        var mean: Float = 0
        for v in z { mean += v }
        mean /= Float(h)
        var variance: Float = 0
        for v in z { variance += (v - mean) * (v - mean) }
        variance /= Float(h)
        let inverseSigma = 1 / (variance + 1e-5).squareRoot()
        let normalised = z.map { ($0 - mean) * inverseSigma }
        var pre = [Float](repeating: 0, count: h), act = [Float](repeating: 0, count: h)
        for r in 0..<h {
            pre[r] = gamma[r] * normalised[r] + beta[r]
            act[r] = Self.gelu(pre[r])
        }
        var u = [Float](repeating: 0, count: o)
        w2.withUnsafeBufferPointer { w in
            act.withUnsafeBufferPointer { a in
                for r in 0..<o { u[r] = b2[r] + dot(w.baseAddress! + r * h, a.baseAddress!, h) }
            }
        }
        var squares: Float = 0
        for v in u { squares += v * v }
        let norm = max(squares.squareRoot(), 1e-12)
        return Trace(input: x, normalised: normalised, inverseSigma: inverseSigma, preActivation: pre, activation: act,
                     unnormalised: u, norm: norm, output: u.map { $0 / norm })
    }

    static func gelu(_ x: Float) -> Float { 0.5 * x * (1 + Float(erf(Double(x) / 2.0.squareRoot()))) }
    static func geluDerivative(_ x: Float) -> Float {
        let cdf = 0.5 * (1 + erf(Double(x) / 2.0.squareRoot()))
        let pdf = exp(-0.5 * Double(x) * Double(x)) / (2 * Double.pi).squareRoot()
        return Float(cdf + Double(x) * pdf)
    }

    /// Accumulates the gradient of one sample (`g` = dLoss/dOutput) into `grad` (laid out as `parameters`).
    func backward(_ t: Trace, outputGradient g: [Float], into grad: UnsafeMutablePointer<Float>) {
        let n = inputSize, h = hiddenSize, o = outputSize
        let sizes = Self.sizes(n, h, o)
        let gw1 = grad, gb1 = gw1 + sizes[0], gGamma = gb1 + sizes[1], gBeta = gGamma + sizes[2]
        let gw2 = gBeta + sizes[3], gb2 = gw2 + sizes[4]
        // L2 normalisation: dL/du = (g − y (y·g)) / |u|.
        var yg: Float = 0
        for r in 0..<o { yg += t.output[r] * g[r] }
        var gu = [Float](repeating: 0, count: o)
        for r in 0..<o { gu[r] = (g[r] - t.output[r] * yg) / t.norm }
        var ga = [Float](repeating: 0, count: h)
        for r in 0..<o {
            gb2[r] += gu[r]
            let row = gw2 + r * h
            for c in 0..<h {
                row[c] += gu[r] * t.activation[c]
                ga[c] += w2[r * h + c] * gu[r]
            }
        }
        var gn = [Float](repeating: 0, count: h)
        var meanGn: Float = 0, meanGnN: Float = 0
        for c in 0..<h {
            let gp = ga[c] * Self.geluDerivative(t.preActivation[c])
            gGamma[c] += gp * t.normalised[c]
            gBeta[c] += gp
            gn[c] = gp * gamma[c]
            meanGn += gn[c]; meanGnN += gn[c] * t.normalised[c]
        }
        meanGn /= Float(h); meanGnN /= Float(h)
        for c in 0..<h {
            let gz = t.inverseSigma * (gn[c] - meanGn - t.normalised[c] * meanGnN)
            gb1[c] += gz
            let row = gw1 + c * n
            for k in 0..<n { row[k] += gz * t.input[k] }
        }
    }
}

/// Σ a[i]·b[i] with eight lanes (SIMD), the same order of additions every time.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= n {
        acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
        i += 8
    }
    var s = acc.sum()
    while i < n { s += a[i] * b[i]; i += 1 }
    return s
}

/// The project's SplitMix64 with what training needs: an index below n, a Gaussian (Box–Muller), a shuffle.
extension SeededRandom {
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    public mutating func gaussian() -> Double {
        let u = max(unit(), 1e-300), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, below(i + 1)) }
    }
}

public struct SimilarityError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
