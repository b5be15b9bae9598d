import Foundation
import TDLib
import TelegramText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// TDLib's own text parsers, called offline with `td_execute` on the project-local libtdjson.
///
/// The core's loader finds the library; the calls go straight to `td_execute` because every test
/// target shares one process and the core allows one ``TDClientManager`` per library.
enum RealTDLibText {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    enum Mode {
        case html
        case markdownV2

        var json: String {
            switch self {
            case .html: return #"{"@type":"textParseModeHTML"}"#
            case .markdownV2: return #"{"@type":"textParseModeMarkdown","version":2}"#
            }
        }
    }

    static let library: Result<TDLibrary, TDClientError> = Result {
        () throws(TDClientError) -> TDLibrary in
        let library = try TDLibrary.load()
        // TDLib's own default log is verbose; level 1 (errors) is what the core's tests use as well.
        _ = try? rawExecute(library, #"{"@type":"setLogVerbosityLevel","new_verbosity_level":1}"#)
        return library
    }

    static func requireLibrary() throws -> TDLibrary {
        try library.get()
    }

    static func rawExecute(_ library: TDLibrary, _ json: String) throws -> [String: Any] {
        let bytes: [UInt8] = json.withCString { request in
            guard let answer = library.execute(request: request) else { return [] }
            return answer.withMemoryRebound(to: UInt8.self, capacity: strlen(answer) + 1) {
                Array(UnsafeBufferPointer(start: $0, count: strlen(answer)))
            }
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw Failure(description: "td_execute answered no JSON object")
        }
        if object["@type"] as? String == "error" {
            throw Failure(description: "TDLib error: \(object["message"] as? String ?? "?")")
        }
        return object
    }

    /// `parseTextEntities` of `text` in the given mode.
    static func parse(_ text: String, _ mode: Mode) throws -> TextWithEntities {
        var request = #"{"@type":"parseTextEntities","parse_mode":"# + mode.json + #","text":"#
        request += jsonString(text) + "}"
        let object = try rawExecute(try requireLibrary(), request)
        return try TextWithEntities(jsonObject: object)
    }

    /// `getTextEntities`: the entities TDLib finds in plain text by itself.
    static func detect(_ text: String) throws -> [Entity] {
        let request = #"{"@type":"getTextEntities","text":"# + jsonString(text) + "}"
        let object = try rawExecute(try requireLibrary(), request)
        return try TextWithEntities(jsonObject: ["text": text, "entities": object["entities"] ?? []]).entities
    }

    static func jsonString(_ text: String) -> String {
        TextWithEntities(text: text).tdJSON.dropFirst(#"{"@type":"formattedText","text":"#.count)
            .dropLast(#","entities":[]}"#.count).description
    }
}

extension TextWithEntities {
    /// The same text with entities in one total order, for comparing.
    var canonical: TextWithEntities {
        TextWithEntities(
            text: text,
            entities: entities.sorted {
                Entity.tdlibOrder($0, $1) || (!Entity.tdlibOrder($1, $0) && $0.kind.sortKey < $1.kind.sortKey)
            })
    }

    /// Equal as TDLib orders entities: TDLib sorts with `std::sort`, which keeps the order of ties
    /// (entities over one range with one priority, such as a link in a link) only up to 16 entities;
    /// beyond that, ties may come in any order.
    func sameAsTDLib(_ other: TextWithEntities) -> Bool {
        if entities.count <= 16 { return self == other }
        return canonical == other.canonical
    }

    /// Without the entities that TDLib's markup parsers never produce.
    var withoutDetectedEntities: TextWithEntities { removingDetectedEntities() }

}
