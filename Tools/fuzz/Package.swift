// swift-tools-version: 6.1
import PackageDescription

// `make fuzz`: a package of its own, so its libFuzzer build (every Swift module instrumented,
// libFuzzer's `main`) never touches the main package's `.build`. Run through ./run.sh.
let package = Package(
    name: "UpliftFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Uplift", path: "../..")],
    targets: [
        // libFuzzer's entry point (no `main`: built with -sanitize=fuzzer, which brings one).
        .executableTarget(name: "UpliftFuzzer", dependencies: [.product(name: "UpliftFuzzing", package: "Uplift")]),
        // Where libFuzzer is not available: the deterministic mutation runner, for a set time.
        .executableTarget(name: "uplift-mutate", dependencies: [.product(name: "UpliftFuzzing", package: "Uplift")]),
    ],
    swiftLanguageModes: [.v6]
)
