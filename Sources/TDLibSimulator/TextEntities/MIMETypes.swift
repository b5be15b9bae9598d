/// `getFileMimeType` and `getFileExtension` as TDLib answers them: `MimeType::from_extension` and
/// `MimeType::to_extension` (`tdutils/td/utils/MimeType.cpp`, commit 022d602) over the maps that
/// `tdutils/generate/generate_mime_types_gperf.cpp` builds from the table, looked up ignoring ASCII case.
enum MIMETypes {
    /// The extension TDLib gives a type that lists several (else the first listed).
    private static let preferredExtensions = [
        "image/jpeg": "jpg", "audio/mpeg": "mp3", "audio/midi": "midi", "text/x-pascal": "pas", "text/x-asm": "asm",
        "video/quicktime": "mov",
    ]

    private static func isPrivate(_ type: String) -> Bool { type.contains("/x-") }

    private static let maps: (typeToExtension: [String: String], extensionToType: [String: String]) = {
        var typeToExtension: [String: String] = [:]
        var extensionToType: [String: String] = [:]
        for entry in MIMETypeTable.entries.split(whereSeparator: { $0 == ";" || $0 == "\n" }) {
            let words = entry.split(separator: " ").map(String.init)
            guard let type = words.first, words.count > 1 else { continue }
            let extensions = Array(words.dropFirst())
            let preferred = preferredExtensions[type].flatMap { extensions.contains($0) ? $0 : nil }
            if typeToExtension[type] == nil { typeToExtension[type] = preferred ?? extensions[0] }
            for fileExtension in extensions {
                guard let known = extensionToType[fileExtension] else {
                    extensionToType[fileExtension] = type
                    continue
                }
                // A public type wins an extension over a private (`x-`) one; otherwise the first stays.
                if isPrivate(known) != isPrivate(type) && !isPrivate(type) { extensionToType[fileExtension] = type }
            }
        }
        return (typeToExtension, extensionToType)
    }()

    private static func lowercasedASCII(_ text: String) -> String {
        String(decoding: TextBytes.lowercased(text.utf8), as: UTF8.self)
    }

    /// The MIME type of a file name's extension (`PathView::extension`), or empty.
    static func type(ofFileName name: String) -> String {
        let bytes = Array(name.utf8)
        var lastSlash = bytes.count - 1
        while lastSlash >= 0 && bytes[lastSlash] != UInt8(ascii: "/") && bytes[lastSlash] != UInt8(ascii: "\\") {
            lastSlash -= 1
        }
        var lastDot = bytes.count
        var index = bytes.count - 1
        while index > lastSlash + 1 {
            if bytes[index] == UInt8(ascii: ".") {
                lastDot = index
                break
            }
            index -= 1
        }
        guard lastDot < bytes.count else { return "" }
        let fileExtension = String(decoding: bytes[(lastDot + 1)...], as: UTF8.self)
        if fileExtension.isEmpty { return "" }
        return maps.extensionToType[lowercasedASCII(fileExtension)] ?? ""
    }

    /// The extension TDLib gives a MIME type, or empty.
    static func fileExtension(ofType type: String) -> String {
        if type.isEmpty { return "" }
        return maps.typeToExtension[lowercasedASCII(type)] ?? ""
    }
}
