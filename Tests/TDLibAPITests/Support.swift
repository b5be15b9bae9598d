import Foundation
import Testing

@testable import TDLibAPI

/// Paths and fixtures of these tests.
enum Fixtures {
    /// The package's root folder.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/TDLibAPITests/Fixtures/\(name)")
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name)))
    }

    /// The lines of a JSON-lines fixture, each one JSON object as TDLib sent it.
    static func lines(_ name: String) throws -> [[UInt8]] {
        try bytes(name).split(separator: UInt8(ascii: "\n")).map(Array.init)
    }

    /// Every object a real TDLib 1.8.66 sent in an offline session: start-up updates up to
    /// authorizationStateWaitPhoneNumber and closing, answers to the test methods, errors.
    static func offlineSession() throws -> [[UInt8]] { try lines("offline-session.jsonl") }

    /// Answers of td_execute to synchronous methods.
    static func executeAnswers() throws -> [[UInt8]] { try lines("execute-answers.jsonl") }
}

/// Parses JSON with Foundation, for comparisons.
func foundationObject(_ bytes: [UInt8]) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

/// `value` decoded again from its own encoding.
func roundTripped<T: TDTyped>(_ value: T) throws -> T {
    try T(json: value.jsonBytes())
}

/// Whether an object survives encoding and decoding unchanged.
func survivesRoundTrip(_ value: any TDObject) throws -> Bool {
    func check<T: TDObject>(_ value: T) throws -> Bool { try roundTripped(value) == value }
    return try check(value)
}

/// The object without the keys that the core handles (`@extra`, `@client_id`), parsed by Foundation.
func foundationObjectWithoutRouting(_ bytes: [UInt8]) throws -> NSDictionary {
    guard var object = try foundationObject(bytes) as? [String: Any] else {
        throw TDDecodingError.syntax(offset: 0, expected: "an object")
    }
    object["@extra"] = nil
    object["@client_id"] = nil
    return object as NSDictionary
}
