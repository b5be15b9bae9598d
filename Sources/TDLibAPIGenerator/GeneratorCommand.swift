import Foundation

/// `tdlib-api-generator [td_api.tl] [output folder] [--check]`: writes the generated sources of
/// the `TDLibAPI` module, or with `--check` only reports whether they are up to date.
@main
struct GeneratorCommand {
    /// The schema's default place, relative to the package root.
    static let defaultSchemaPath = "../shared/tdlib/td_api.tl"
    /// The generated files' folder, relative to the package root.
    static let defaultOutputPath = "Sources/TDLibAPI/Generated"

    /// The generated files for a schema text: file name → contents.
    static func generate(schemaText: String) throws -> [String: String] {
        let schema = try TLSchema(parsing: schemaText)
        return try Emitter(schema: schema).generate()
    }

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let checkOnly = arguments.contains("--check")
        arguments.removeAll { $0 == "--check" }
        let schemaPath = arguments.first ?? defaultSchemaPath
        let outputPath = arguments.count > 1 ? arguments[1] : defaultOutputPath
        do {
            let text = try String(contentsOfFile: schemaPath, encoding: .utf8)
            let files = try generate(schemaText: text)
            let manager = FileManager.default
            let existing = Set(
                ((try? manager.contentsOfDirectory(atPath: outputPath)) ?? []).filter { $0.hasSuffix(".swift") })
            var stale: [String] = []
            for (name, contents) in files.sorted(by: { $0.key < $1.key }) {
                let path = outputPath + "/" + name
                let old = try? String(contentsOfFile: path, encoding: .utf8)
                if old != contents { stale.append(name) }
                if !checkOnly && old != contents {
                    try manager.createDirectory(atPath: outputPath, withIntermediateDirectories: true)
                    try contents.write(toFile: path, atomically: true, encoding: .utf8)
                }
            }
            for name in existing.subtracting(files.keys).sorted() {
                stale.append(name)
                if !checkOnly { try manager.removeItem(atPath: outputPath + "/" + name) }
            }
            if checkOnly && !stale.isEmpty {
                print("tdlib-api-generator: out of date: \(stale.joined(separator: ", ")); run `make generate`")
                exit(1)
            }
            let size = files.values.reduce(0) { $0 + $1.utf8.count }
            print("tdlib-api-generator: \(files.count) files, \(size) bytes, \(stale.count) changed, in \(outputPath)")
        } catch {
            FileHandle.standardError.write(Data("tdlib-api-generator: \(error)\n".utf8))
            exit(1)
        }
    }
}
