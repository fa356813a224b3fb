import Foundation
import Testing

/// The shipped `uplift` links no test fake: no symbol of `UpliftTestSupport` (the fake AbletonOSC, test
/// music) in the binary's symbol table. The benchmarks that need the fake live in `uplift-bench`.
@Suite struct ProductLinksNoTestFakesTests {
    @Test func theUpliftBinaryHasNoUpliftTestSupportSymbol() throws {
        let binary = try #require(UpliftBinary.url, "the uplift executable was not built")
        let nm = Process()
        nm.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        nm.arguments = ["nm", "--defined-only", binary.path]
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-nm-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        nm.standardOutput = try FileHandle(forWritingTo: out)
        try nm.run()
        nm.waitUntilExit()
        #expect(nm.terminationStatus == 0)
        let symbols = try String(contentsOf: out, encoding: .utf8)
        #expect(symbols.contains("UpliftStudio"), "nm read the binary's Swift symbols")
        // Swift mangles a module name with its length: 17UpliftTestSupport.
        let leaked = symbols.split(separator: "\n").filter { $0.contains("17UpliftTestSupport") || $0.contains("FakeAbletonOSC") }
        #expect(leaked.isEmpty, "test-support symbols in uplift: \(leaked.prefix(5))")
    }
}
