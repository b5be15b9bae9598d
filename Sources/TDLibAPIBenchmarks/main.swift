// Decoding and encoding speed of the generated TDLib types, next to Foundation's JSONSerialization
// and Python's json.loads / json.dumps on the same bytes, in the same run.
//
//     swift run -c release TDLibAPIBenchmarks [fixtures folder]
//
// Workloads: a `messages` answer with 100 messages of mixed content; the objects TDLib 1.8.66 sends
// in an offline session (start-up updates up to authorizationStateWaitPhoneNumber, answers, errors);
// 10,000 small answers (testString, testInt, ok) as TDLib writes them, with `@extra` and `@client_id`.
import Foundation
import TDLibAPI

/// One workload: objects as TDLib sends them, each decoded by `decode`.
struct Workload {
    var name: String
    var objects: [[UInt8]]
    var decode: ([UInt8]) throws -> any TDEncodable
    var bytes: Int { objects.reduce(0) { $0 + $1.count } }
}

/// One measured speed.
struct Speed {
    var megabytesPerSecond: Double
    var objectsPerSecond: Double
}

nonisolated(unsafe) var sink = 0

/// The best of five rounds of `body` over all objects, each round at least `minimum` long.
func measure(bytes: Int, objects: Int, minimum: Duration = .milliseconds(300), _ body: () throws -> Int) rethrows
    -> Speed
{
    let clock = ContinuousClock()
    var repetitions = 1
    var best = Duration.seconds(1_000_000)
    var round = 0
    while round < 5 {
        let start = clock.now
        for _ in 0..<repetitions { sink &+= try body() }
        let elapsed = clock.now - start
        if elapsed < minimum {
            repetitions *= 2
            continue
        }
        best = min(best, elapsed / repetitions)
        round += 1
    }
    let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
    return Speed(megabytesPerSecond: Double(bytes) / seconds / 1e6, objectsPerSecond: Double(objects) / seconds)
}

func fixturesFolder() -> URL {
    if CommandLine.arguments.count > 1 { return URL(fileURLWithPath: CommandLine.arguments[1]) }
    let fromHere = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        .appendingPathComponent("Tests/TDLibAPITests/Fixtures")
    if FileManager.default.fileExists(atPath: fromHere.path) { return fromHere }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/TDLibAPITests/Fixtures")
}

func lines(_ url: URL) throws -> [[UInt8]] {
    Array(try Data(contentsOf: url)).split(separator: UInt8(ascii: "\n")).map(Array.init)
}

func smallAnswers(count: Int) -> [[UInt8]] {
    (0..<count).map { index in
        let json: String
        switch index % 4 {
        case 0: json = #"{"@type":"ok","@extra":"\#(index)","@client_id":1}"#
        case 1: json = #"{"@type":"testInt","value":\#(index * 7),"@extra":"\#(index)","@client_id":1}"#
        default: json = #"{"@type":"testString","value":"answer number \#(index)","@extra":"\#(index)","@client_id":1}"#
        }
        return Array(json.utf8)
    }
}

/// Decodes an object by its `@type`, as the typed client does for answers of a known request.
func decodeAnswer(_ bytes: [UInt8]) throws -> any TDEncodable {
    guard let object = try TDRegistry.object(json: bytes) else {
        throw TDDecodingError.wrongType(expected: "known", found: "?")
    }
    return object
}

/// Python's json.loads and json.dumps on the same bytes, from files written for it.
func python(_ workloads: [Workload]) -> [String: (loads: Speed, dumps: Speed)] {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tdlib-api-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var names: [String] = []
    for workload in workloads {
        let file = folder.appendingPathComponent(workload.name)
        var data = Data()
        for object in workload.objects {
            data.append(contentsOf: object)
            data.append(UInt8(ascii: "\n"))
        }
        try? data.write(to: file)
        names.append(workload.name)
    }
    let script = """
        import json, sys, time
        for name in sys.argv[2:]:
            objs = [l for l in open(sys.argv[1] + '/' + name, 'rb').read().split(b'\\n') if l]
            size = sum(len(o) for o in objs)
            def best(f):
                n, b = 1, None
                while True:
                    t = time.perf_counter()
                    for _ in range(n): f()
                    e = time.perf_counter() - t
                    if e >= 0.3: break
                    n *= 2
                for _ in range(5):
                    t = time.perf_counter()
                    for _ in range(n): f()
                    e = (time.perf_counter() - t) / n
                    b = e if b is None or e < b else b
                return b
            loads = best(lambda: [json.loads(o) for o in objs])
            values = [json.loads(o) for o in objs]
            dumps = best(lambda: [json.dumps(v, ensure_ascii=False, separators=(',', ':')) for v in values])
            print(name, size / loads / 1e6, len(objs) / loads, size / dumps / 1e6, len(objs) / dumps)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, folder.path] + names
    let pipe = Pipe()
    process.standardOutput = pipe
    var result: [String: (loads: Speed, dumps: Speed)] = [:]
    do {
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 5, let a = Double(parts[1]), let b = Double(parts[2]), let c = Double(parts[3]),
                let d = Double(parts[4])
            else { continue }
            result[String(parts[0])] = (
                Speed(megabytesPerSecond: a, objectsPerSecond: b), Speed(megabytesPerSecond: c, objectsPerSecond: d)
            )
        }
    } catch {
        print("python3 not run: \(error)")
    }
    return result
}

func format(_ speed: Speed?) -> String {
    guard let speed else { return String(repeating: " ", count: 10) + "n/a" }
    let mb = String(format: "%8.1f MB/s", speed.megabytesPerSecond)
    let objects = String(format: "%11.0f obj/s", speed.objectsPerSecond)
    return mb + objects
}

let folder = fixturesFolder()
let messages = Array(try Data(contentsOf: folder.appendingPathComponent("messages.json")))
let session = try lines(folder.appendingPathComponent("offline-session.jsonl"))
let workloads = [
    Workload(name: "messages", objects: [messages]) { try Messages(json: $0) },
    Workload(name: "startup-session", objects: session) { bytes in
        if bytes.starts(with: Array(#"{"@type":"update"#.utf8))
            && !bytes.starts(with: Array(#"{"@type":"updates""#.utf8))
        {
            return try Update(json: bytes)
        }
        return try decodeAnswer(bytes)
    },
    Workload(name: "small-answers", objects: smallAnswers(count: 10_000)) { try decodeAnswer($0) },
]

print("TDLibAPI decoding and encoding, best of 5 rounds; fixtures in \(folder.path)")
let pythonSpeeds = python(workloads)
for workload in workloads {
    let bytes = workload.bytes
    let count = workload.objects.count
    print("\n\(workload.name): \(count) object(s), \(bytes) bytes")
    let values = try workload.objects.map(workload.decode)
    let typed = try measure(bytes: bytes, objects: count) {
        var total = 0
        for object in workload.objects {
            _ = try workload.decode(object)
            total &+= 1
        }
        return total
    }
    let datas = workload.objects.map { Data($0) }
    let foundation = try measure(bytes: bytes, objects: count) {
        var total = 0
        for data in datas { total &+= (try JSONSerialization.jsonObject(with: data) as? NSDictionary)?.count ?? 0 }
        return total
    }
    let typedEncode = measure(bytes: bytes, objects: count) {
        var total = 0
        for value in values { total &+= value.jsonBytes().count }
        return total
    }
    let foundationValues = try datas.map { try JSONSerialization.jsonObject(with: $0) }
    let foundationEncode = try measure(bytes: bytes, objects: count) {
        var total = 0
        for value in foundationValues { total &+= try JSONSerialization.data(withJSONObject: value).count }
        return total
    }
    print("  decode  typed TDLibAPI      \(format(typed))")
    print("  decode  JSONSerialization   \(format(foundation))")
    print("  decode  python json.loads   \(format(pythonSpeeds[workload.name]?.loads))")
    print("  encode  typed TDLibAPI      \(format(typedEncode))")
    print("  encode  JSONSerialization   \(format(foundationEncode))")
    print("  encode  python json.dumps   \(format(pythonSpeeds[workload.name]?.dumps))")
}
