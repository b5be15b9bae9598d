// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "swift-telegram",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TDLib", targets: ["TDLib"]),
        .library(name: "TelegramText", targets: ["TelegramText"]),
        .executable(name: "tdlib-demo", targets: ["TDLibDemo"]),
        .executable(name: "tdlib-benchmarks", targets: ["TDLibBenchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2")
    ],
    targets: [
        .target(
            name: "TDLib",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TDLibDemo",
            dependencies: ["TDLib", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TDLibBenchmarks",
            dependencies: ["TDLib", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TDLibTests",
            dependencies: ["TDLib", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Formatted text (issue 6): TelegramText depends on Foundation only.
        .target(name: "TelegramText", swiftSettings: strict),
        .testTarget(
            name: "TelegramTextTests",
            dependencies: ["TelegramText", "TDLib"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TelegramTextBenchmarks",
            dependencies: ["TelegramText", "TDLib"],
            swiftSettings: strict
        ),
    ]
)
