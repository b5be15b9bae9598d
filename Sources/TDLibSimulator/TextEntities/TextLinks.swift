import Foundation

/// The link checks TDLib's text parsers make of a URL (`LinkManager` in `td/telegram/LinkManager.cpp` and
/// `parse_url` in `tdutils/td/utils/HttpUrl.cpp`, commit 022d602).
enum TextLinks {
    /// `LinkManager::get_link_user_id`: the user of a `tg://user?id=…` link, else nil.
    static func userID(_ url: [UInt8]) -> Int64? {
        var rest = TextBytes.lowercased(url)[...]
        guard rest.starts(with: Array("tg:".utf8)) else { return nil }
        rest = rest.dropFirst(3)
        if rest.starts(with: Array("//".utf8)) { rest = rest.dropFirst(2) }
        guard rest.starts(with: Array("user".utf8)) else { return nil }
        rest = rest.dropFirst(4)
        if let next = rest.first, !"/?#".utf8.contains(next) { return nil }
        if rest.first == UInt8(ascii: "/") { rest = rest.dropFirst() }
        guard rest.first == UInt8(ascii: "?") else { return nil }
        rest = rest.dropFirst()
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        for parameter in rest.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            let (key, value) = splitPair(parameter)
            if Array(key) == Array("id".utf8) {
                guard let id = TextBytes.exactInteger(value, as: Int64.self) else { return nil }
                return id > 0 && id <= (1 << 40) - 1 ? id : nil
            }
        }
        return nil
    }

    /// The entity a link's text becomes: a user mention for a `tg://user?id=…` link, else a text URL when
    /// TDLib accepts the link, else none (both HTML's `<a>` and Markdown's `[…](…)` do this).
    static func entity(url: [UInt8], offset: Int32, length: Int32) -> ParsedEntity? {
        if let userID = userID(url) {
            var entity = ParsedEntity(kind: .mentionName, offset: offset, length: length)
            entity.userID = userID
            return entity
        }
        let checked = checkedLink(url)
        return checked.isEmpty ? nil : ParsedEntity(kind: .textURL, offset: offset, length: length, argument: checked)
    }

    /// `LinkManager::get_checked_link`: the link as TDLib rewrites it, or empty when it is refused.
    static func checkedLink(_ link: [UInt8]) -> [UInt8] {
        var rest = link[...]
        var scheme: String?
        let lower = TextBytes.lowercased(link.prefix(8))
        for name in ["tg", "ton", "tonsite"] where lower.starts(with: Array((name + ":").utf8)) {
            scheme = name
            rest = rest.dropFirst(name.count + 1)
            break
        }
        if scheme != nil, rest.starts(with: Array("//".utf8)) { rest = rest.dropFirst(2) }
        guard let url = HTTPURL(Array(rest)) else { return [] }
        guard let scheme else {
            if !url.host.contains(UInt8(ascii: ".")) && !url.isIPv6 { return [] }
            return url.text
        }
        if TextBytes.lowercased(rest.prefix(7)) == Array("http://".utf8) || url.isHTTPS || !url.userinfo.isEmpty
            || url.specifiedPort != 0 || url.isIPv6
        {
            return []
        }
        var query = url.query[...]
        if query.count > 1, query[query.startIndex + 1] == UInt8(ascii: "?") { query = query.dropFirst() }
        for byte in url.host {
            let allowed =
                TextBytes.isAlnum(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || (scheme == "tonsite" && byte == UInt8(ascii: "."))
            if !allowed { return [] }
        }
        return Array((scheme + "://").utf8) + url.host + query
    }

    /// `LinkManager::check_tg_url_host`: the parameters of a `tg://HOST?…` link.
    static func tgParameters(_ url: [UInt8], host: String) throws(TextParseError) -> ArraySlice<UInt8> {
        guard TextBytes.lowercased(url.prefix(3)) == Array("tg:".utf8) else {
            throw TextParseError("URL must have scheme tg")
        }
        var rest = url.dropFirst(3)
        if rest.starts(with: Array("//".utf8)) { rest = rest.dropFirst(2) }
        let hostBytes = Array(host.utf8)
        if TextBytes.lowercased(rest.prefix(hostBytes.count)) != hostBytes
            || (rest.count > hostBytes.count && !"/?#".utf8.contains(rest[rest.startIndex + hostBytes.count]))
        {
            throw TextParseError("URL must have host \"\(host)\"")
        }
        rest = rest.dropFirst(hostBytes.count)
        if rest.first == UInt8(ascii: "/") { rest = rest.dropFirst() }
        guard rest.first == UInt8(ascii: "?") else { throw TextParseError("URL must have parameters") }
        rest = rest.dropFirst()
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        return rest
    }

    /// `LinkManager::get_link_custom_emoji_id`.
    static func customEmojiID(_ url: [UInt8]) throws(TextParseError) -> Int64 {
        let query = try tgParameters(url, host: "emoji")
        for parameter in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            let (key, value) = splitPair(parameter)
            if Array(key) == Array("id".utf8) {
                guard let id = TextBytes.exactInteger(value, as: Int64.self), id != 0 else {
                    throw TextParseError("Invalid custom emoji identifier specified")
                }
                return id
            }
        }
        throw TextParseError("Custom emoji URL must have an emoji identifier")
    }

    /// `LinkManager::get_link_formatted_date`.
    static func formattedDate(_ url: [UInt8]) throws(TextParseError) -> FormattedDateValue {
        let query = try tgParameters(url, host: "time")
        var date: Int32 = 0
        var format: [UInt8] = []
        for parameter in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
            let (key, value) = splitPair(parameter)
            if Array(key) == Array("unix".utf8) {
                guard let value = TextBytes.exactInteger(value, as: Int32.self), value > 0 else {
                    throw TextParseError("Invalid Unix time specified")
                }
                date = value
            }
            if Array(key) == Array("format".utf8) { format = Array(value) }
        }
        if date == 0 { throw TextParseError("URL must have the corresponding Unix time") }
        return FormattedDateValue(date: date, flags: try FormattedDateValue.flags(format: format))
    }

    /// `split(s, '=')`: before the first `=` and after it.
    static func splitPair(_ bytes: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>) {
        guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return (bytes, []) }
        return (bytes[..<equals], bytes[(equals + 1)...])
    }
}

/// `HttpUrl` as `parse_url` reads it, with HTTP as the default protocol.
struct HTTPURL {
    var isHTTPS = false
    var userinfo: [UInt8] = []
    var host: [UInt8] = []
    var isIPv6 = false
    var specifiedPort = 0
    var query: [UInt8] = []

    init?(_ url: [UInt8]) {
        var index = 0
        func readTill(_ stops: String) -> ArraySlice<UInt8> {
            let start = index
            while index < url.count, !stops.utf8.contains(url[index]) { index += 1 }
            return url[start..<index]
        }
        let protocolName = TextBytes.lowercased(readTill(":/?#@[]"))
        if url[index...].starts(with: Array("://".utf8)) {
            index += 3
            if protocolName == Array("https".utf8) {
                isHTTPS = true
            } else if protocolName != Array("http".utf8) {
                return nil
            }
        } else {
            index = 0
        }
        let userinfoHostPort = readTill("/?#")
        var port = 0
        var colon = userinfoHostPort.endIndex - 1
        while colon > userinfoHostPort.startIndex, !":]@".utf8.contains(url[colon]) { colon -= 1 }
        var userinfoHost = userinfoHostPort
        if colon > userinfoHostPort.startIndex, url[colon] == UInt8(ascii: ":") {
            var portText = url[(colon + 1)..<userinfoHostPort.endIndex]
            while portText.count > 1, portText.first == UInt8(ascii: "0") { portText = portText.dropFirst() }
            if let value = TextBytes.exactInteger(portText, as: Int32.self), value != 0 {
                port = Int(value)
            } else {
                port = -1
            }
            userinfoHost = url[userinfoHostPort.startIndex..<colon]
        }
        guard port >= 0, port <= 65535 else { return nil }
        let at = userinfoHost.lastIndex(of: UInt8(ascii: "@"))
        userinfo = at.map { Array(userinfoHost[..<$0]) } ?? []
        let hostPart = at.map { userinfoHost[($0 + 1)...] } ?? userinfoHost
        if let first = hostPart.first, first == UInt8(ascii: "["), hostPart.last == UInt8(ascii: "]") {
            guard Self.isIPv6(Array(hostPart.dropFirst().dropLast())) else { return nil }
            isIPv6 = true
        }
        guard !hostPart.isEmpty, Array(hostPart) != [UInt8(ascii: ".")] else { return nil }
        specifiedPort = port
        var rest = url[index...]
        while let last = rest.last, TextBytes.isSpace(last) { rest = rest.dropLast() }
        if rest.isEmpty { rest = [UInt8(ascii: "/")][...] }
        if rest.first != UInt8(ascii: "/") { query.append(UInt8(ascii: "/")) }
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in rest {
            if byte <= 0x20 {
                query += [UInt8(ascii: "%"), hex[Int(byte / 16)], hex[Int(byte % 16)]]
            } else {
                query.append(byte)
            }
        }
        host = TextBytes.lowercased(hostPart)
        if isIPv6 {
            for byte in host.dropFirst().dropLast() {
                guard
                    byte == UInt8(ascii: ":") || TextBytes.isDigit(byte) || (0x61...0x66).contains(byte)
                        || byte == UInt8(ascii: ".")
                else { return nil }
            }
        } else {
            guard Self.isAllowed(host, colon: false), Self.isAllowed(userinfo, colon: true) else { return nil }
        }
    }

    /// `HttpUrl::get_url`.
    var text: [UInt8] {
        var result = Array((isHTTPS ? "https://" : "http://").utf8)
        if !userinfo.isEmpty { result += userinfo + [UInt8(ascii: "@")] }
        result += host
        if specifiedPort > 0 { result += Array(":\(specifiedPort)".utf8) }
        return result + query
    }

    /// The characters RFC 3986 allows in a host or userinfo, percent escapes, and any non-ASCII byte.
    static func isAllowed(_ part: [UInt8], colon: Bool) -> Bool {
        var index = 0
        let part = ParsedBytes(bytes: part)
        while index < part.count {
            let byte = part[index]
            if TextBytes.isAlnum(byte) || ".-_!$,~*'();&+=".utf8.contains(byte) || (colon && byte == UInt8(ascii: ":"))
                || byte >= 0x80
            {
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "%"), TextBytes.isHexDigit(part[index + 1]),
                TextBytes.isHexDigit(part[index + 2])
            else { return false }
            index += 3
        }
        return true
    }

    /// `IPAddress::init_ipv6_port`, which reads the address with `inet_pton`.
    static func isIPv6(_ address: [UInt8]) -> Bool {
        var storage = in6_addr()
        return inet_pton(AF_INET6, String(decoding: address, as: UTF8.self), &storage) == 1
    }
}
