// swift-tools-version: 6.1
import PackageDescription

// MARK: - C libraries (found by pkg-config; installed by `make` through apt or brew)

let cLibraries: [Target] = [
    .systemLibrary(name: "CSndfile", pkgConfig: "sndfile",
                   providers: [.apt(["libsndfile1-dev"]), .brew(["libsndfile"])]),
    .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f",
                   providers: [.apt(["libfftw3-dev"]), .brew(["fftw"])]),
    .systemLibrary(name: "CLiblo", pkgConfig: "liblo",
                   providers: [.apt(["liblo-dev"]), .brew(["liblo"])]),
    .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw",
                   providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]),
    .systemLibrary(name: "CPortAudio", pkgConfig: "portaudio-2.0",
                   providers: [.apt(["portaudio19-dev"]), .brew(["portaudio"])]),
    .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash",
                   providers: [.apt(["libxxhash-dev"]), .brew(["xxhash"])]),
    .systemLibrary(name: "CRubberband", pkgConfig: "rubberband",
                   providers: [.apt(["librubberband-dev"]), .brew(["rubberband"])]),
    // hnswlib is header-only C++ without a pkg-config file: a small C++ target gives it a C interface.
    .target(name: "CHnsw", cxxSettings: [
        .unsafeFlags(["-std=c++17", "-O2"]),
        .unsafeFlags(["-I/opt/homebrew/include", "-I/usr/local/include"], .when(platforms: [.macOS])),
    ]),
    .systemLibrary(name: "CSoxr", pkgConfig: "soxr",
                   providers: [.apt(["libsoxr-dev"]), .brew(["libsoxr"])]),
]

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let toml = Target.Dependency.product(name: "TOMLKit", package: "TOMLKit")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")

// MARK: - Swift modules (dependency direction: ../shared/DESIGN.md)

let modules: [Target] = [
    .target(name: "UpliftModel"),
    .target(name: "UpliftDSP", dependencies: ["CFFTW"]),
    .target(name: "UpliftAudio", dependencies: ["UpliftDSP", "CSndfile", "CPortAudio", "CSoxr"]),
    .target(name: "UpliftAnalysis", dependencies: ["UpliftDSP", "UpliftAudio", "UpliftModel"]),
    .target(name: "UpliftSynth", dependencies: ["UpliftDSP"]),
    // Optimised even in debug builds: training and the exact index are tight loops that tests and the CLI tests run.
    .target(name: "UpliftSimilarity", dependencies: ["UpliftAnalysis", "UpliftDSP", "UpliftAudio", "UpliftModel", "CRubberband", "CHnsw"],
            swiftSettings: [.unsafeFlags(["-O"])]),
    .target(name: "UpliftProfile", dependencies: ["UpliftAnalysis", "UpliftDSP", "UpliftModel", "UpliftSimilarity", grdb, "CXXHash"]),
    .target(name: "UpliftGaps", dependencies: ["UpliftProfile", "UpliftAnalysis", "UpliftAudio", "UpliftDSP", "UpliftModel"]),
    .target(name: "UpliftAbleton", dependencies: ["UpliftModel", "CLiblo"]),
    .target(name: "UpliftTerminal"),
    .target(name: "UpliftCurses", dependencies: ["UpliftTerminal", "CNcursesw"]),
    .target(name: "UpliftTUI", dependencies: ["UpliftTerminal", "UpliftModel", toml]),
    .target(name: "UpliftStudio", dependencies: [
        "UpliftModel", "UpliftDSP", "UpliftAudio", "UpliftAnalysis", "UpliftSynth", "UpliftProfile", "UpliftGaps", "UpliftAbleton",
        "UpliftTerminal", "UpliftCurses", "UpliftTUI", toml,
    ]),
    .target(name: "UpliftTestSupport", dependencies: ["UpliftDSP", "CLiblo"]),
    // One bytes-in entry per parser, and the deterministic mutator: for `make fuzz` (Tools/fuzz) and the hostile-input tests.
    .target(name: "UpliftFuzzing", dependencies: [
        "UpliftDSP", "UpliftAudio", "UpliftAnalysis", "UpliftProfile", "UpliftGaps", "UpliftAbleton", "UpliftTUI", "UpliftStudio",
    ]),
    .target(name: "UpliftBench", dependencies: [
        "UpliftModel", "UpliftDSP", "UpliftAudio", "UpliftAnalysis", "UpliftSynth", "UpliftProfile", "UpliftSimilarity", "UpliftGaps", "UpliftAbleton",
        "UpliftTerminal", "UpliftTUI", "UpliftStudio", "UpliftTestSupport",
    ]),
    .executableTarget(name: "uplift", dependencies: [
        "UpliftModel", "UpliftAudio", "UpliftAnalysis", "UpliftSynth", "UpliftProfile", "UpliftSimilarity", "UpliftGaps", "UpliftAbleton",
        "UpliftStudio", argumentParser,
    ]),
    // Benchmarks and the fake AbletonOSC live here, so the shipped `uplift` links neither.
    .executableTarget(name: "uplift-bench", dependencies: ["UpliftBench", "UpliftStudio", "UpliftModel", "UpliftTestSupport", argumentParser]),
]

// MARK: - Tests (Swift Testing), one target per module they prove

let tests: [Target] = [
    .testTarget(name: "UpliftDSPTests", dependencies: ["UpliftDSP", "UpliftSynth"]),
    .testTarget(name: "UpliftAudioTests", dependencies: ["UpliftAudio", "UpliftSynth", "UpliftTestSupport"]),
    .testTarget(name: "UpliftAnalysisTests", dependencies: ["UpliftAnalysis", "UpliftSynth", "UpliftTestSupport"]),
    .testTarget(name: "UpliftSimilarityTests", dependencies: ["UpliftSimilarity", "UpliftAnalysis", "UpliftSynth", "UpliftModel"]),
    .testTarget(name: "UpliftProfileTests", dependencies: ["UpliftProfile", "UpliftSimilarity", "UpliftSynth", "UpliftTestSupport"]),
    .testTarget(name: "UpliftGapsTests", dependencies: ["UpliftGaps", "UpliftProfile", "UpliftSynth", "UpliftStudio", "UpliftTestSupport"]),
    .testTarget(name: "UpliftAbletonTests", dependencies: ["UpliftAbleton", "UpliftTestSupport"]),
    .testTarget(name: "UpliftTUITests", dependencies: ["UpliftTUI", "UpliftTerminal", "UpliftTestSupport"],
                exclude: ["Snapshots"]),
    .testTarget(name: "UpliftStudioTests", dependencies: ["UpliftStudio", "UpliftAbleton", "UpliftGaps", "UpliftProfile", "UpliftTUI", "UpliftModel", "UpliftTestSupport"]),
    .testTarget(name: "UpliftBenchTests", dependencies: ["UpliftBench", "UpliftTerminal"]),
    .testTarget(name: "UpliftCLITests", dependencies: ["UpliftSynth", "UpliftTestSupport"]),
    .testTarget(name: "ArchitectureTests"),
    .testTarget(name: "UpliftFuzzingTests", dependencies: ["UpliftFuzzing", "UpliftAudio", "UpliftAnalysis", "UpliftModel", "UpliftDSP", "UpliftAbleton", "UpliftTUI", "UpliftStudio"],
                exclude: ["Hostile"]),
]

let package = Package(
    name: "Uplift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "uplift", targets: ["uplift"]),
        .executable(name: "uplift-bench", targets: ["uplift-bench"]),
        // For Tools/fuzz, a separate package (its libFuzzer build never touches this one's).
        .library(name: "UpliftFuzzing", targets: ["UpliftFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: cLibraries + modules + tests,
    swiftLanguageModes: [.v6]
)
