// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
/// python-telegram's example programs rewritten in Swift (Examples/PythonTelegram), run with `swift run NAME`.
let pythonTelegramExamples = [
    "BotLogin", "ChatStats", "ClearGroupMessages", "PingPong", "InstantView", "GetMe", "NonBlockingLogin", "SendText",
]

let package = Package(
    name: "swift-telegram",
    platforms: [.macOS(.v15)],
    // Only what a dependent imports or runs; the benchmarks, the generator, the fuzzers and the demo are
    // executable targets of this package (`swift run TDLibDemo`…), not products.
    products: [
        .library(name: "TDLib", targets: ["TDLib"]),
        // TDLibAPIClient (typed send) and TelegramTextTDLibAPI (text ⇄ generated types) come with the
        // product that already builds them.
        .library(name: "TDLibAPI", targets: ["TDLibAPI", "TDLibAPIClient"]),
        .library(name: "Telegram", targets: ["Telegram", "TelegramTextTDLibAPI"]),
        .library(name: "TelegramText", targets: ["TelegramText"]),
        .library(name: "TDLibSimulator", targets: ["TDLibSimulator"]),
        .library(name: "TelegramTesting", targets: ["TelegramTesting"]),
        .library(name: "tdjson-simulator", type: .dynamic, targets: ["TDJSONSimulator"]),
        .executable(name: "tg", targets: ["TelegramCLI"]),
        .executable(name: "tg-web", targets: ["TelegramWebServer"]),
        .plugin(name: "install-tdlib", targets: ["InstallTDLib"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Only for NIOEmbedded in the web tests; Hummingbird already builds swift-nio.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Hummingbird already builds it; the core's metrics go through it (a no-op until a backend is bootstrapped).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // Hummingbird already builds it too: a span per request when a tracer is bootstrapped.
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        .target(
            name: "TDLib",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TDLibDemo",
            dependencies: ["TDLib", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TDLibBenchmarks",
            dependencies: [
                "TDLib", "TDLibAPIClient", "TDLibSimulator", "Telegram", "TelegramTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // libFuzzer targets for the typed decoder and the routing scanner (`make fuzz`); built
        // normally, it replays inputs through the same checks.
        .executableTarget(name: "TDLibFuzz", dependencies: ["TDLib", "TDLibAPI"], swiftSettings: strict),
        .testTarget(
            name: "TDLibTests",
            dependencies: ["TDLib", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Typed TDLib API (issue 3): the generated types and their JSON coding depend on nothing, so
        // edits elsewhere never recompile them; TDLibAPIClient adds typed send/execute to TDLib's client.
        .target(name: "TDLibAPI", swiftSettings: strict),
        .target(name: "TDLibAPIClient", dependencies: ["TDLib", "TDLibAPI"], swiftSettings: strict),
        .executableTarget(name: "TDLibAPIGenerator", swiftSettings: strict),
        .executableTarget(
            name: "TDLibAPIBenchmarks",
            dependencies: ["TDLibAPI"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TDLibAPITests",
            dependencies: ["TDLibAPI", "TDLibAPIClient", "TDLib", "TDLibAPIGenerator"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        // The python-telegram-style client (issue 5).
        .target(
            name: "Telegram",
            dependencies: [
                "TDLib", "TDLibAPI", "TDLibAPIClient", "TelegramText", "TelegramTextTDLibAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TelegramTests",
            dependencies: [
                "Telegram", "TelegramText", "TDLibSimulator", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // `tg`, the command-line client (issue 7).
        .executableTarget(
            name: "TelegramCLI",
            dependencies: [
                "Telegram", "TDLibSimulator", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Runs the built `tg`; depends on nothing, so building it does not rebuild the rest.
        .testTarget(name: "TelegramCLITests", swiftSettings: strict),
        // `tg-web`, the non-blocking login in a web app (issue 8).
        .target(
            name: "TelegramWeb",
            dependencies: [
                "Telegram", "TDLibSimulator", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TelegramWebServer",
            dependencies: ["TelegramWeb", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The web tests call the router in process (RouterClient) instead of through HummingbirdTesting, whose
        // AsyncHTTPClient, NIOSSL and BoringSSL took a third of each build of `make test`.
        .testTarget(
            name: "TelegramWebTests",
            dependencies: [
                "TelegramWeb", "TDLibSimulator", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The offline TDLib simulator (issue 4): in process, and as a libtdjson-compatible library.
        .target(
            name: "TDLibSimulator",
            dependencies: ["TDLib", "TDLibAPI", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Tests of a user's own bot or client against the simulator (issue 18).
        .target(
            name: "TelegramTesting",
            dependencies: [
                "Telegram", "TDLib", "TDLibAPI", "TDLibSimulator", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TelegramTestingTests",
            dependencies: ["TelegramTesting", "Telegram", "TDLibSimulator"],
            swiftSettings: strict
        ),
        .target(
            name: "TDJSONSimulator",
            dependencies: ["TDLibSimulator"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TDLibSimulatorTests",
            dependencies: [
                "TDLibSimulator", "TDLib", "TDLibAPI", "TDLibAPIClient",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        // Formatted text (issue 6): TelegramText depends on Foundation only.
        .target(name: "TelegramText", swiftSettings: strict),
        // Conversions between TelegramText's values and the generated FormattedText, TextEntity….
        .target(name: "TelegramTextTDLibAPI", dependencies: ["TelegramText", "TDLibAPI"], swiftSettings: strict),
        .testTarget(
            name: "TelegramTextTests",
            dependencies: ["TelegramText", "TDLib", "TDLibAPI", "TelegramTextTDLibAPI"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TelegramTextBenchmarks",
            dependencies: ["TelegramText", "TDLib"],
            swiftSettings: strict
        ),
        // Example programs (`swift run EchoBot`…): on the simulator unless TG_API_ID and TG_API_HASH are set.
        // Their tests import them; ExampleSupport picks Telegram or the simulator.
        .target(
            name: "ExampleSupport",
            dependencies: ["Telegram", "TDLibSimulator", .product(name: "Logging", package: "swift-log")],
            path: "Examples/ExampleSupport",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "EchoBot", dependencies: ["ExampleSupport", "Telegram"], path: "Examples/EchoBot",
            swiftSettings: strict),
        .executableTarget(
            name: "CommandBot", dependencies: ["ExampleSupport", "Telegram"], path: "Examples/CommandBot",
            swiftSettings: strict),
        .executableTarget(
            name: "KeyboardBot", dependencies: ["ExampleSupport", "Telegram"], path: "Examples/KeyboardBot",
            swiftSettings: strict),
        .executableTarget(
            name: "ConversationUserbot", dependencies: ["ExampleSupport", "Telegram"],
            path: "Examples/ConversationUserbot", swiftSettings: strict),
    ]
        // python-telegram 2.0.0's example programs in Swift, one executable each (Examples/PythonTelegram).
        + pythonTelegramExamples.map { name -> Target in
            .executableTarget(
                name: name, dependencies: ["ExampleSupport", "Telegram"], path: "Examples/PythonTelegram/\(name)",
                swiftSettings: strict)
        } + [
            .testTarget(
                name: "ExamplesTests",
                dependencies: [
                    "EchoBot", "CommandBot", "KeyboardBot", "ConversationUserbot", "ExampleSupport", "Telegram",
                    "TelegramTesting", "TDLibSimulator", "TDLib",
                ] + pythonTelegramExamples.map { Target.Dependency.target(name: $0) },
                swiftSettings: strict
            ),
            // `swift package install-tdlib`: the pinned TDLib into the .tdlib/ folder of the package it runs in.
            .plugin(
                name: "InstallTDLib",
                capability: .command(
                    intent: .custom(
                        verb: "install-tdlib",
                        description:
                            "Installs TDLib 1.8.66 (sha256 checked) into .tdlib/, where TDLibrary.load() finds it"),
                    permissions: [
                        .writeToPackageDirectory(reason: "TDLib goes into .tdlib/ of this package"),
                        .allowNetworkConnections(
                            scope: .all(), reason: "pip downloads python-telegram 2.0.0, which carries TDLib, from PyPI"
                        ),
                    ]
                )
            ),
        ]
)

// `make docs` (swift-docc-plugin) sets SWIFT_TELEGRAM_DOCS, so that packages depending on this one never
// fetch the documentation plugin.
if Context.environment["SWIFT_TELEGRAM_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", exact: "1.5.0"))
}
