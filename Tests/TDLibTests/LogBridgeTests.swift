import Logging
import Testing

@testable import TDLib

@Suite("TDLib's own log in swift-log")
struct LogBridgeTests {
    @Test("TDLib's info level, which logs requests and updates whole, goes below swift-log's info level")
    func levels() {
        #expect(TDLibLogBridge.level(ofVerbosity: 0) == .critical)
        #expect(TDLibLogBridge.level(ofVerbosity: 1) == .error)
        #expect(TDLibLogBridge.level(ofVerbosity: 2) == .warning)
        #expect(TDLibLogBridge.level(ofVerbosity: 3) == .debug)
        #expect(TDLibLogBridge.level(ofVerbosity: 4) == .trace)
        #expect(TDLibLogBridge.level(ofVerbosity: 1024) == .trace)
    }

    @Test("A secret given to redact is hidden wherever it appears")
    func redaction() {
        TDLibLogBridge.redact("+15550199998")
        TDLibLogBridge.redact("15550199998")
        let line = #"Receive request 7: setAuthenticationPhoneNumber { phone_number = "+15550199998" } (15550199998)"#
        let redacted = TDLibLogBridge.redacted(line)
        #expect(!redacted.contains("15550199998"))
        #expect(redacted.hasPrefix("Receive request 7: setAuthenticationPhoneNumber"))
    }
}
