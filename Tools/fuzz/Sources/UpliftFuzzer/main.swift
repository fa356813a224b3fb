import Foundation
import UpliftFuzzing

// libFuzzer's driver, called from our own `main`: SwiftPM gives every executable a `main` of its
// own, so libFuzzer's is never linked in; LLVMFuzzerRunDriver is its documented alternative.
// Built only with -sanitize=fuzzer (see run.sh), which links libFuzzer.

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The parser under test, from `UPLIFT_FUZZ_TARGET` (one process fuzzes one parser).
nonisolated(unsafe) var fuzzTarget: FuzzTarget = .audio

guard let chosen = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["UPLIFT_FUZZ_TARGET"] ?? "") else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("uplift-fuzz: set UPLIFT_FUZZ_TARGET to one of: \(names)\n".utf8))
    exit(2)
}
fuzzTarget = chosen

/// One input. Also exported under libFuzzer's name: its `main` (linked in but shadowed by
/// SwiftPM's) refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = fuzzTarget.run(bytes)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, testOneInput))
