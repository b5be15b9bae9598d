import Foundation
import TDLib
import Telegram

func parameters(_ directory: String) -> String {
    """
    {"@type":"setTdlibParameters","use_test_dc":true,"database_directory":"\(directory)",\
    "use_message_database":false,"api_id":94575,"api_hash":"a3406de8d171bb422bb6ddf3bbd800e2",\
    "system_language_code":"en","device_model":"bench","application_version":"1"}
    """
}

func manyClients(mode: String, count: Int) async throws {
    let library = try TDLibrary.load()
    quietTDLibLog(library)
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tdlib-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let directories = (0..<count).map { root.appendingPathComponent("\($0)").path }
    let rssBefore = processStatus("VmRSS")
    let threadsBefore = processStatus("Threads")
    let clock = ContinuousClock()
    var start = clock.now
    let ready: Duration
    let closed: Duration
    var rssReady = 0
    var threadsReady = 0

    switch mode {
    case "bare":
        let ids = (0..<count).map { _ in library.createClientID() }
        for (id, directory) in zip(ids, directories) {
            withCString(parameters(directory)) { library.send(clientID: id, request: $0) }
        }
        bareReceive(library, count: count) { strstr($0, "\"authorizationStateWaitPhoneNumber\"") != nil }
        ready = clock.now - start
        rssReady = processStatus("VmRSS")
        threadsReady = processStatus("Threads")
        start = clock.now
        for id in ids { withCString(#"{"@type":"close"}"#) { library.send(clientID: id, request: $0) } }
        bareReceive(library, count: count) { strstr($0, "\"authorizationStateClosed\"") != nil }
        closed = clock.now - start
    case "telegram":
        let clients = try await withThrowingTaskGroup(of: Telegram.self) { group in
            for (index, directory) in directories.enumerated() {
                group.addTask {
                    var configuration = try TelegramConfiguration(
                        apiID: 94575, apiHash: "a3406de8d171bb422bb6ddf3bbd800e2", databaseEncryptionKey: "",
                        phone: "+1555\(1_000_000 + index)")
                    configuration.library = library
                    configuration.useTestDC = true
                    configuration.useMessageDatabase = false
                    configuration.tdlibVerbosity = 1
                    configuration.filesDirectory = directory
                    configuration.stepTimeout = .seconds(120)
                    let telegram = try await Telegram(configuration: configuration)
                    // Offline, the login stops at the phone number: TDLib waits for the network there.
                    let stepDone = Task { _ = try? await telegram.login(blocking: false) }
                    _ = try await telegram.waitForLoginState(timeout: .seconds(120)) { $0 == .waitPhoneNumber }
                    stepDone.cancel()
                    return telegram
                }
            }
            return try await group.reduce(into: [Telegram]()) { $0.append($1) }
        }
        ready = clock.now - start
        rssReady = processStatus("VmRSS")
        threadsReady = processStatus("Threads")
        start = clock.now
        await withTaskGroup(of: Void.self) { group in
            for telegram in clients { group.addTask { await telegram.stop(closeTimeout: .seconds(60)) } }
        }
        closed = clock.now - start
        try await TDClientManager.shared(for: library).shutdown(timeout: .seconds(60))
    default:
        let manager = try TDClientManager(library: library)
        let clients = try await withThrowingTaskGroup(of: TDClient.self) { group in
            for directory in directories {
                group.addTask {
                    let client = try manager.createClient()
                    _ = try await client.send(json: parameters(directory))
                    for await update in client.updates
                    where update.hasType("updateAuthorizationState")
                        && update.string.contains("\"authorizationStateWaitPhoneNumber\"")
                    {
                        break
                    }
                    return client
                }
            }
            return try await group.reduce(into: [TDClient]()) { $0.append($1) }
        }
        ready = clock.now - start
        rssReady = processStatus("VmRSS")
        threadsReady = processStatus("Threads")
        start = clock.now
        try await manager.shutdown(timeout: .seconds(60))
        closed = clock.now - start
        _ = clients
    }
    let perClient = Double(rssReady - rssBefore) / 1024 / Double(count)
    record([
        "benchmark": "clients", "mode": mode, "count": count, "ready_s": seconds(ready), "mib_per_client": perClient,
        "threads": threadsReady, "closed_s": seconds(closed),
    ])
    print(
        "\(pad(mode, 8)) clients \(count): ready in \(String(format: "%.2f", seconds(ready))) s, "
            + "\(String(format: "%.2f", perClient)) MiB per client, threads \(threadsBefore) -> \(threadsReady), "
            + "closed in \(String(format: "%.2f", seconds(closed))) s")
}
