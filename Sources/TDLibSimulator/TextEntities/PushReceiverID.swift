extension TDLibJSON {
    /// `NotificationManager::get_push_receiver_id` (`td/telegram/NotificationManager.cpp`, commit 022d602):
    /// the receiver of a push payload, from its encrypted part's first 12 base64url characters or its `user_id`.
    static func pushReceiverID(_ payload: [UInt8]) throws(Failure) -> Int64 {
        if payload == Array("{}".utf8) { return 0 }
        guard let root = try? decode(payload) else { throw Failure(message: "Failed to parse payload as JSON object") }
        guard case .object(var fields) = root else { throw Failure(message: "Expected JSON object") }
        if let data = field("data", in: fields) {
            guard case .object(let inner) = data else {
                throw Failure(message: "Field \"data\" must be of type Object")
            }
            fields = inner
        }
        if let encrypted = field("p", in: fields) {
            let text: [UInt8]
            switch encrypted {
            case .string(let bytes), .number(let bytes): text = bytes
            default: throw Failure(message: "Field \"p\" must be of type String")
            }
            if text.count < 12 { throw Failure(message: "Encrypted payload is too small") }
            guard let decoded = base64URLDecode(Array(text.prefix(12))), decoded.count == 9 else {
                throw Failure(message: "Failed to base64url-decode payload")
            }
            return decoded.prefix(8).enumerated().reduce(Int64(0)) { $0 | Int64($1.element) << (8 * $1.offset) }
        }
        if let userID = field("user_id", in: fields) {
            let text: [UInt8]
            switch userID {
            case .string(let bytes), .number(let bytes): text = bytes
            default: throw Failure(message: "Field \"user_id\" must be a Number")
            }
            guard let value = TextBytes.exactInteger(text, as: Int64.self) else {
                throw Failure(message: "Field \"user_id\" must be a valid Number")
            }
            if value <= 0 { throw Failure(message: "Receive wrong user_id \(value)") }
            return value
        }
        return 0
    }

    /// The first field named `name`, as `JsonObject::get_field` finds it.
    static func field(_ name: String, in fields: [(key: [UInt8], value: Node)]) -> Node? {
        fields.first { $0.key == Array(name.utf8) }?.value
    }

    /// `base64url_decode`: unpadded or padded base64url; nil where TDLib refuses the text.
    static func base64URLDecode(_ text: [UInt8]) -> [UInt8]? {
        var body = text[...]
        var padding = 0
        while body.last == UInt8(ascii: "=") {
            body = body.dropLast()
            padding += 1
        }
        if padding >= 3 || (padding > 0 && (body.count + padding) & 3 != 0) || body.count & 3 == 1 { return nil }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var result: [UInt8] = []
        var group: [UInt32] = []
        func flush() -> Bool {
            var bits: UInt32 = 0
            for (position, value) in group.enumerated() { bits |= value << (6 * UInt32(3 - position)) }
            result.append(UInt8(truncatingIfNeeded: bits >> 16))
            switch group.count {
            case 2: return bits & 0xFFFF == 0
            case 3:
                result.append(UInt8(truncatingIfNeeded: bits >> 8))
                return bits & 0xFF == 0
            default:
                result.append(UInt8(truncatingIfNeeded: bits >> 8))
                result.append(UInt8(truncatingIfNeeded: bits))
                return true
            }
        }
        for byte in body {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            group.append(UInt32(value))
            if group.count == 4 {
                guard flush() else { return nil }
                group = []
            }
        }
        if !group.isEmpty, !flush() { return nil }
        return result
    }
}
