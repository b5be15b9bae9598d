// swift-tools-version: 6.1
import PackageDescription

// A package of a swift-telegram user. `make dependent-package` copies it next to a link named
// swift-telegram to this checkout, installs TDLib with `swift package install-tdlib`, builds and runs it,
// and runs its test of an echo bot written with TelegramTesting.
let package = Package(
    name: "HelloTelegram",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../swift-telegram")
    ],
    targets: [
        .executableTarget(
            name: "HelloTelegram",
            dependencies: [
                .product(name: "Telegram", package: "swift-telegram"),
                .product(name: "TDLibSimulator", package: "swift-telegram"),
            ]
        ),
        .target(name: "EchoBot", dependencies: [.product(name: "Telegram", package: "swift-telegram")]),
        .testTarget(
            name: "EchoBotTests",
            dependencies: ["EchoBot", .product(name: "TelegramTesting", package: "swift-telegram")]
        ),
    ]
)
