// swift-tools-version: 6.1
import PackageDescription
import Foundation

// The numeric kernels are written with SIMD8<Float> and fused multiply-adds. Without a target CPU that has
// FMA, `addProduct` becomes a library call per lane (36x slower; "Speed notes" in docs/engine.md), so build
// for Haswell-class CPUs when the build machine has AVX2 and FMA. ARNN_PORTABLE=1 builds for baseline x86-64 instead.
func hostHasAVX2AndFMA() -> Bool {
    if ProcessInfo.processInfo.environment["ARNN_PORTABLE"] == "1" { return false }
    #if arch(x86_64) && os(Linux)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let set = Set(flags.split(separator: " ").map(String.init))
    return set.contains("avx2") && set.contains("fma")
    #else
    return false
    #endif
}

let fastMath: [SwiftSetting] = hostHasAVX2AndFMA() ? [.unsafeFlags(["-target-cpu", "haswell"]), .define("ARNN_FMA")] : []

let package = Package(
    name: "arnn",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "arnn", targets: ["arnn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "Engine", swiftSettings: fastMath),
        .target(name: "Tasks", dependencies: ["Engine"], swiftSettings: fastMath),
        .target(name: "Models", dependencies: ["Engine"], swiftSettings: fastMath),
        .target(name: "Training", dependencies: ["Engine", "Models", "Tasks", "Episodes"], swiftSettings: fastMath),
        .target(name: "Episodes", dependencies: ["Engine", "Models", "Tasks"], swiftSettings: fastMath),
        .target(
            name: "CNcurses",
            cSettings: [.define("NCURSES_WIDECHAR", to: "1"), .define("_XOPEN_SOURCE_EXTENDED", to: "1")],
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        .target(name: "Visualiser", dependencies: ["Engine", "Models", "Tasks", "Episodes"], swiftSettings: fastMath),
        // Runs the models for the viewer (new, edited and typed examples; snapshots over training time).
        .target(name: "Viewing", dependencies: ["Engine", "Tasks", "Episodes", "Visualiser"], swiftSettings: fastMath),
        .target(name: "TerminalUI", dependencies: ["CNcurses", "Engine", "Tasks", "Episodes", "Visualiser", "Viewing"]),
        .target(name: "Registry", dependencies: ["Engine", "Models", "Tasks", "Episodes", "Visualiser", "Viewing"], swiftSettings: fastMath),
        .target(name: "Bench", dependencies: ["Engine", "Models", "Tasks", "Training", "Episodes", "Visualiser", "Viewing", "Registry"], swiftSettings: fastMath),
        .executableTarget(
            name: "arnn",
            dependencies: [
                "Engine", "Tasks", "Models", "Training", "Episodes", "Visualiser", "Viewing", "TerminalUI", "Bench", "Registry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fastMath
        ),
        .target(name: "TestSupport", dependencies: ["Engine"], path: "Tests/TestSupport", swiftSettings: fastMath),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"], swiftSettings: fastMath),
        .testTarget(name: "TasksTests", dependencies: ["Tasks"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Engine", "TestSupport"], swiftSettings: fastMath),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Models", "Tasks", "Engine", "Episodes"], swiftSettings: fastMath),
        .testTarget(name: "DemoTests", dependencies: ["Episodes", "Engine", "Models", "Registry", "Tasks"], swiftSettings: fastMath),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Episodes", "Training", "Engine", "Tasks", "Models", "Visualiser", "Viewing",
                                                          "TestSupport"],
                    swiftSettings: fastMath),
        .testTarget(name: "BenchTests", dependencies: ["Bench"]),
        .testTarget(
            name: "VisualiserTests", dependencies: ["Visualiser", "Episodes", "Models", "Tasks", "Engine", "Viewing", "TerminalUI", "Registry", "Training"],
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
