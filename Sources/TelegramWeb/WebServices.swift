import Foundation
import ServiceLifecycle
import TDLibSimulator
import Telegram

/// The sessions' Telegram clients as one service: it runs until graceful shutdown (or cancellation), then
/// closes every session's client and the simulator's client manager.
///
/// In `tg-web`'s service group it comes first, so that it shuts down last: after the HTTP server has
/// answered its requests in flight, no request can start a client any more.
struct SessionClients: Service {
    let app: WebApp

    func run() async {
        // Cancellation ends the wait as graceful shutdown does; either way the clients are closed below.
        try? await gracefulShutdown()
        // In a task of its own, awaited here: a cancelled `run` must still close every client in full.
        await Task { [app] in await app.shutdown() }.value
    }
}

/// The expiry of idle sessions as a service: checks on ``WebConfiguration/clock`` until graceful shutdown
/// or cancellation.
struct SessionExpiry: Service {
    let app: WebApp

    func run() async {
        await cancelWhenGracefulShutdown { [app] in await app.expireIdleSessions() }
    }
}
