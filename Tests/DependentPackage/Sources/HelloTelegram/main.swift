import Foundation

// `HelloTelegram simulator`: the README's non-blocking login, on the built-in simulator.
// `HelloTelegram tdlib`: a real TDLib client, offline, up to the phone number step, then closed.
do {
    switch CommandLine.arguments.dropFirst().first {
    case "simulator": try await loginOnTheSimulator()
    case "tdlib": try await reachThePhoneNumberStep()
    default:
        print("usage: HelloTelegram simulator | tdlib")
        exit(2)
    }
} catch {
    print("HelloTelegram failed: \(error)")
    exit(1)
}
