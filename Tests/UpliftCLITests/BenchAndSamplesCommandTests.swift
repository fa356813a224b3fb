import Foundation
import Testing

@Suite("uplift render-samples and uplift-bench (end to end)")
struct BenchAndSamplesCommandTests {
    @Test("render-samples writes FLACs under 1 MiB that analyze reads back")
    func renderSamples() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-samples-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let r = try UpliftBinary.run(["render-samples", directory.path])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".flac") }.sorted()
        #expect(files.count >= 3)
        for file in files {
            let size = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(file).path)[.size] as? Int ?? 0
            #expect(size > 10_000 && size < 1_048_576, "\(file): \(size) bytes")
        }
        let sine = directory.appendingPathComponent("sine-1khz-minus23dbfs.flac").path
        let analysed = try UpliftBinary.run(["analyze", sine])
        #expect(analysed.status == 0)
        #expect(analysed.stdout.contains("integrated -23.0 LUFS"))
    }

    @Test("uplift-bench prints the floor and the full analysis as × real-time with the ratio")
    func bench() throws {
        let bench = try #require(UpliftBinary.benchURL, "uplift-bench was not built")
        let r = try UpliftBinary.run(["run", "--suites", "analysis", "--seconds", "3", "--repeats", "1"], executable: bench)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let floor = try #require(lines.first { $0.hasPrefix("floor") })
        let analyze = try #require(lines.first { $0.hasPrefix("analyze") })
        #expect(floor.contains("1.00×"))
        #expect(analyze.contains("×"))
    }

    @Test("uplift bench points to uplift-bench instead of running anything")
    func benchMoved() throws {
        let r = try UpliftBinary.run(["bench"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty && r.stderr.contains("uplift-bench") && r.stderr.contains("make bench"))
    }
}
