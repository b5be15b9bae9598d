import Foundation
import Synchronization
import TDLib

// What every benchmark shares: output, figures, process status and the bare loop's receiving.

/// Writes a line at once, so that progress shows through a pipe.
func print(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func processStatus(_ key: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") ?? 0
    }
    return 0
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func format(_ value: Double) -> String { String(format: "%.0f", value) }

func withCString<R>(_ json: String, _ body: (UnsafePointer<CChar>) -> R) -> R {
    json.withCString(body)
}

/// Receives until `predicate` has matched `count` objects; everything else is skipped.
func bareReceive(_ library: TDLibrary, count: Int, matching predicate: (UnsafePointer<CChar>) -> Bool) {
    var matched = 0
    var lastProgress = ContinuousClock.now
    while matched < count {
        // td_receive can also return nothing early, for example when a closed client is released.
        guard let object = library.receive(timeout: 1) else {
            if ContinuousClock.now - lastProgress > .seconds(30) {
                print("bare loop: nothing received for 30 s")
                exit(1)
            }
            continue
        }
        lastProgress = ContinuousClock.now
        if predicate(object) { matched += 1 }
    }
}

let testStringPrefix = Array(#"{"@type":"testString""#.utf8)
func isTestString(_ object: UnsafePointer<CChar>) -> Bool {
    object.withMemoryRebound(to: UInt8.self, capacity: testStringPrefix.count) { bytes in
        for index in 0..<testStringPrefix.count where bytes[index] != testStringPrefix[index] { return false }
        return true
    }
}

/// The bare loop runs before any manager, so it sets TDLib's log level itself, as the manager would.
func quietTDLibLog(_ library: TDLibrary) {
    _ = withCString(#"{"@type":"setLogVerbosityLevel","new_verbosity_level":1}"#) { library.execute(request: $0) }
}

let request = #"{"@type":"testCallString","x":"hello, world"}"#

func median(_ values: [Duration]) -> Duration {
    values.sorted()[values.count / 2]
}

/// Appends one result to the JSON-lines file named by BENCH_JSON, when set.
func record(_ fields: [String: Any]) {
    guard let path = ProcessInfo.processInfo.environment["BENCH_JSON"],
        let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    else { return }
    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    guard let handle = FileHandle(forWritingAtPath: path) else { return }
    handle.seekToEndOfFile()
    handle.write(data + Data("\n".utf8))
    try? handle.close()
}

/// A count shared by readers.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
