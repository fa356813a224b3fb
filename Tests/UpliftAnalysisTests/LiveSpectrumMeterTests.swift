import Foundation
import Testing
import UpliftAudio
import UpliftDSP
@testable import UpliftAnalysis

/// The live spectrum meter fed by the engine directly (no threads): band power on white noise,
/// including bands narrower than an FFT bin, and the ballistics.
@Suite struct LiveSpectrumMeterTests {
    /// Runs `seconds` of `sample(i)` (both channels) through an engine with `meter`, calling `perHop` after each hop.
    func run(_ meter: LiveSpectrumMeter, format: STFTFormat, seconds: Double, sample: (Int) -> Float, perHop: () -> Void) throws {
        let ring = try SPSCRingBuffer(capacityFrames: 1 << 14)
        let engine = try AnalysisEngine(format: format, ring: ring, extractors: [meter])
        let frames = Int(seconds * format.sampleRate)
        var block = [Float](repeating: 0, count: 2 * format.hopSize)
        var i = 0
        while i + format.hopSize <= frames {
            for j in 0..<format.hopSize {
                let v = sample(i + j)
                block[2 * j] = v; block[2 * j + 1] = v
            }
            block.withUnsafeBufferPointer { _ = ring.write($0.baseAddress!, frameCount: format.hopSize) }
            engine.processAvailableHops()
            perHop()
            i += format.hopSize
        }
    }

    @Test func whiteNoiseBandPowerGrowsWithBandwidthDownToTheLowestBands() throws {
        let format = try STFTFormat(sampleRate: 48_000)
        let meter = try LiveSpectrumMeter(format: format)
        let low = meter.bandIndex(nearestTo: 39.7), high = meter.bandIndex(nearestTo: 4000)
        #expect(meter.bandsHz[high] / meter.bandsHz[low] > 100)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var lowPower = 0.0, highPower = 0.0, hops = 0
        try run(meter, format: format, seconds: 5, sample: { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(Double(state >> 11) / Double(1 << 53) * 0.5 - 0.25)
        }, perHop: {
            guard hops >= 4 else { hops += 1; return }  // the window is still filling
            lowPower += pow(10, meter.frameLevelDB(band: low) / 10)
            highPower += pow(10, meter.frameLevelDB(band: high) / 10)
            hops += 1
        })
        // White noise: power ∝ bandwidth, and 1/6-octave bands 40 steps apart differ by 2^(40/6) = 20.07 dB.
        // The 40 Hz band is 4.6 Hz wide, a fifth of a 23.4 Hz bin: a meter reading whole bins there
        // would show it 7 dB too loud.
        let differenceDB = 10 * log10(highPower / lowPower)
        #expect(abs(differenceDB - 20.07) < 1.5, "4 kHz band − 40 Hz band = \(differenceDB) dB")
    }

    @Test func levelsFallAtTheirRateAndPeaksHold() throws {
        let format = try STFTFormat(sampleRate: 48_000)
        let meter = try LiveSpectrumMeter(format: format, fallDBPerS: 30, peakHoldS: 1.0, peakFallDBPerS: 20)
        let band = meter.bandIndex(nearestTo: 1000)
        try run(meter, format: format, seconds: 0.5, sample: { i in 0.5 * Float(sin(2 * Double.pi * 1000 * Double(i) / 48_000)) }, perHop: {})
        #expect(abs(meter.levelDB(band: band) - (-6.02)) < 0.5)
        // Then 0.5 s of silence: the level falls 15 dB, the peak is still held.
        try run(meter, format: format, seconds: 0.5, sample: { _ in 0 }, perHop: {})
        #expect(abs(meter.levelDB(band: band) - (-6.02 - 15)) < 1.0, "level \(meter.levelDB(band: band))")
        #expect(abs(meter.peakDB(band: band) - (-6.02)) < 0.5)
        meter.reset()
        #expect(meter.levelDB(band: band) == LiveSpectrumMeter.floorDB)
        #expect(meter.peakDB(band: band) == LiveSpectrumMeter.floorDB)
    }
}
