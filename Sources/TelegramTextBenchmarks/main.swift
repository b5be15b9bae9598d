import Foundation
import TDLib
import TelegramText

// How many messages per second get their formattedText: computed locally by TelegramText, versus
// rendered to HTML and parsed by TDLib's parseTextEntities through td_execute, and through a client
// round trip (td_send and the receive loop). Prints figures and ratios; never fails on a slow machine.
//
//   TelegramTextBenchmarks [seconds per measurement, default 2]

let secondsPerMeasurement = Double(CommandLine.arguments.dropFirst().first ?? "") ?? 2

/// A typical bot message, different for each `index`.
func message(_ index: Int) -> StyledText {
    StyledText {
        Bold("Order #\(index) confirmed ✅")
        "\nHello "
        Mention("Customer \(index)", userID: Int64(1000 + index))
        ", your parcel 📦 ships today. "
        Link("Track it", url: "https://example.com/track/\(index)")
        "\n"
        UnorderedList {
            "Item \(index % 7) × \(index % 3 + 1)"
            Italic("gift wrap")
            Strikethrough("express") + " standard"
        }
        "\n"
        Quote("Thanks for shopping with us 🙏 <3 & see you soon\n")
        CodeBlock("ref-\(index)-\(index * 31 % 997)", language: "text")
        " "
        Hashtag("order\(index)")
        " "
        Spoiler("promo code XY\(index)")
    }
}

struct Measurement {
    var name: String
    var perSecond: Double
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Runs `body` over and over for about `secondsPerMeasurement`; returns messages per second.
func measure(_ name: String, batch: Int, _ body: (Int) throws -> Void) rethrows -> Measurement {
    var done = 0
    let clock = ContinuousClock()
    let start = clock.now
    while seconds(clock.now - start) < secondsPerMeasurement {
        for _ in 0..<batch {
            try body(done)
            done += 1
        }
    }
    return Measurement(name: name, perSecond: Double(done) / seconds(clock.now - start))
}

func measureAsync(_ name: String, batch: Int, _ body: (Int) async throws -> Void) async rethrows -> Measurement {
    var done = 0
    let clock = ContinuousClock()
    let start = clock.now
    while seconds(clock.now - start) < secondsPerMeasurement {
        for _ in 0..<batch {
            try await body(done)
            done += 1
        }
    }
    return Measurement(name: name, perSecond: Double(done) / seconds(clock.now - start))
}

func parseRequest(_ html: String) -> [UInt8] {
    let text = TextWithEntities(text: html).tdJSON
    // {"@type":"formattedText","text":"…","entities":[]} → the JSON string of the text
    let quoted = text.dropFirst(#"{"@type":"formattedText","text":"#.count).dropLast(#","entities":[]}"#.count)
    return Array(
        (#"{"@type":"parseTextEntities","parse_mode":{"@type":"textParseModeHTML"},"text":"# + quoted + "}").utf8)
}

var sink = 0
let messages = (0..<1000).map(message)

// Check once that the local result is TDLib's, so the figures compare equal work.
let library = try TDLibrary.load()
let manager = try TDClientManager(library: library, tdlibLogVerbosity: 0)
for index in 0..<messages.count {
    let answer = try manager.execute(json: parseRequest(messages[index].html()))
    let theirs = try TextWithEntities(tdJSON: answer.bytes)
    let ours = messages[index].textWithEntities()
    let comparable = ours.removingDetectedEntities()
    guard theirs == comparable else {
        print("message \(index): TDLib disagrees\n ours: \(comparable)\n tdlib: \(theirs)")
        exit(1)
    }
}

/// Prints a group of measurements, each with how many times faster the first one is.
func report(_ title: String, _ results: [Measurement], ratios: Bool = true) {
    print("\n\(title)")
    guard let baseline = results.first?.perSecond else { return }
    for (index, result) in results.enumerated() {
        let name = result.name.padding(toLength: 58, withPad: " ", startingAt: 0)
        let figure = String(format: "%10.0f msg/s", result.perSecond)
        let ratio =
            index == 0 || !ratios ? "" : String(format: "   local is %5.1f× faster", baseline / result.perSecond)
        print("  \(name)\(figure)\(ratio)")
    }
}

print("TelegramText benchmark: \(messages.count) distinct messages, \(secondsPerMeasurement) s per figure")

var built: [Measurement] = []
built.append(
    measure("local: textWithEntities()", batch: 200) { index in
        sink &+= messages[index % messages.count].textWithEntities().entities.count
    })
built.append(
    try measure("TDLib: html() + parseTextEntities via td_execute", batch: 50) { index in
        sink &+= try manager.execute(json: parseRequest(messages[index % messages.count].html())).bytes.count
    })
report("Formatting a message already built (the formattedText only):", built)

var full: [Measurement] = []
full.append(
    measure("local: build + textWithEntities()", batch: 200) { index in
        sink &+= message(index).textWithEntities().entities.count
    })
full.append(
    try measure("TDLib: build + html() + parseTextEntities (td_execute)", batch: 50) { index in
        sink &+= try manager.execute(json: parseRequest(message(index).html())).bytes.count
    })
full.append(
    try measure("TDLib: same + decode the answer (Foundation)", batch: 50) { index in
        let answer = try manager.execute(json: parseRequest(message(index).html()))
        sink &+= try TextWithEntities(tdJSON: answer.bytes).entities.count
    })

let client = try manager.createClient(updateBuffering: .discard)
full.append(
    try await measureAsync("TDLib: build + html() + parseTextEntities (client)", batch: 20) { index in
        sink &+= try await client.send(json: parseRequest(message(index).html()), timeout: .seconds(30)).bytes.count
    })
let inFlight = 32
var pipelined = try await measureAsync("TDLib: same, \(inFlight) requests in flight", batch: 1) { round in
    try await withThrowingTaskGroup(of: Int.self) { group in
        for offset in 0..<inFlight {
            let request = parseRequest(message(round * inFlight + offset).html())
            group.addTask { try await client.send(json: request, timeout: .seconds(30)).bytes.count }
        }
        for try await count in group { sink &+= count }
    }
}
// That measurement counted rounds; turn them into messages.
pipelined.perSecond *= Double(inFlight)
full.append(pipelined)
try await manager.shutdown()
report("Building a message and getting its formattedText:", full)

var markup: [Measurement] = []
markup.append(
    measure("local: textWithEntities() + JSON", batch: 200) { index in
        sink &+= messages[index % messages.count].textWithEntities().tdJSON.utf8.count
    })
markup.append(
    measure("local: html()", batch: 200) { index in
        sink &+= messages[index % messages.count].html().utf8.count
    })
markup.append(
    try measure("local: markdownV2()", batch: 200) { index in
        sink &+= try messages[index % messages.count].markdownV2().utf8.count
    })
report("Other local renderings of a built message:", markup, ratios: false)
if sink == 42 { print("") }
