import Foundation

// Benchmarks against a bare loop that calls td_send/td_receive directly, on the same libtdjson in the
// same run. Prints figures and ratios, and with BENCH_JSON=path appends them there as JSON lines; never
// fails on a slow machine.
//
//   TDLibBenchmarks  roundtrips [count]                 testCallString: bare, raw JSON, typed, Telegram
//   TDLibBenchmarks  metrics [count]                    raw JSON round trips with the core's metrics off and on
//   TDLibBenchmarks  clients bare|manager|telegram [n]  n clients to authorizationStateWaitPhoneNumber, closed
//   TDLibBenchmarks  simulator                          the simulator's requests/s and updates/s
//   TDLibBenchmarks  soak [seconds] [clients]           clients ping-pong for a long time: memory, latency
//   TDLibBenchmarks  bots [messages]                    messages through routes and filters vs a raw stream
//   TDLibBenchmarks  store                              the store's updates/s and memory; chats and history paged
//   TDLibBenchmarks  testing [worlds] [parallel]        TelegramTesting: worlds/s, a 10-message test, tests in parallel

let arguments = CommandLine.arguments.dropFirst()
let command = arguments.first ?? "roundtrips"

switch command {
case "simulator":
    try await simulatorBenchmark()
case "store":
    try await storeBenchmark()
case "roundtrips":
    try await roundTrips(count: Int(arguments.dropFirst().first ?? "") ?? 100_000)
case "metrics":
    try await metricsRoundTrips(count: Int(arguments.dropFirst().first ?? "") ?? 100_000)
case "clients":
    try await manyClients(
        mode: arguments.dropFirst().first ?? "manager", count: Int(arguments.dropFirst(2).first ?? "") ?? 1000)
case "bots":
    try await botsBenchmark(messages: Int(arguments.dropFirst().first ?? "") ?? 100_000)
case "testing":
    try await testingBenchmark(
        worlds: Int(arguments.dropFirst().first ?? "") ?? 50, parallel: Int(arguments.dropFirst(2).first ?? "") ?? 100)
case "soak":
    try await soak(
        duration: Int(arguments.dropFirst().first ?? "") ?? 600, clients: Int(arguments.dropFirst(2).first ?? "") ?? 100
    )
default:
    print(
        "usage: TDLibBenchmarks roundtrips [count] | metrics [count] | clients bare|manager|telegram [count] | simulator"
            + " | soak [seconds] [clients] | bots [messages] | store | testing [worlds] [parallel]")
    exit(2)
}
