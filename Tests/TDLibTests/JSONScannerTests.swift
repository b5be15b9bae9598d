import Testing

@testable import TDLib

@Suite("JSON scanner")
struct JSONScannerTests {
    func envelope(_ text: String) -> JSONScanner.Envelope? {
        Array(text.utf8).withUnsafeBufferPointer(JSONScanner.envelope(of:))
    }

    func type(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let range = bytes.withUnsafeBufferPointer(JSONScanner.envelope(of:))?.type else { return nil }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    @Test func readsRoutingKeysAnywhereAtTopLevel() throws {
        let read = try #require(
            envelope(#"{"@client_id":7,"a":{"@extra":9,"@type":"inner"},"@type":"ok","@extra":42}"#))
        #expect(read.clientID == 7)
        #expect(read.extra == 42)
        #expect(read.hasExtra)
        #expect(type(#"{"@client_id":7,"a":{"@type":"inner"},"@type":"ok"}"#) == "ok")
    }

    @Test func ignoresKeysInsideStringsAndNestedValues() throws {
        let read = try #require(
            envelope(#"{"text":"\"@extra\":5,\"@client_id\":3","list":[{"@extra":1}],"@type":"x"}"#))
        #expect(read.hasExtra == false)
        #expect(read.clientID == nil)
    }

    @Test func keepsAnExtraItCannotRouteAsPresent() throws {
        let read = try #require(envelope(#"{"@type":"ok","@extra":"text"}"#))
        #expect(read.hasExtra)
        #expect(read.extra == nil)
    }

    @Test(arguments: [
        "", "{", "[]", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":tru}", "{\"a\":01}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\u{01}\"}", "{} {}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":[1,]}", "{\"a\":\"\\u12\"}",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(envelope(text) == nil)
    }

    @Test(arguments: [
        "{}", " { \"a\" : [ 1 , -2.5e+3 , true , false , null , \"\\u00e9\\n\" ] } ", "{\"a\":{\"b\":{}}}",
    ])
    func acceptsValidJSON(_ text: String) {
        #expect(envelope(text) != nil)
    }

    @Test func refusesDeepNestingWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(envelope("{\"a\":\(deep)}") == nil)
    }

    @Test func requestGetsExtraAsFirstKey() {
        func request(_ json: String) -> String {
            let bytes = TDClientManager.request(Array(json.utf8), extra: 12)
            #expect(bytes.last == 0)
            return String(decoding: bytes.dropLast(), as: UTF8.self)
        }
        #expect(request(#"{"@type":"close"}"#) == #"{"@extra":12,"@type":"close"}"#)
        #expect(request(#"  { "@type":"x"}"#) == #"{"@extra":12, "@type":"x"}"#)
        #expect(request("{ }") == #"{"@extra":12 }"#)
    }
}
