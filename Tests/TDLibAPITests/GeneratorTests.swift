import Foundation
import Testing

@testable import TDLibAPIGenerator

@Suite("Generator")
struct GeneratorTests {
    static let schemaURL = Fixtures.packageRoot.appendingPathComponent(GeneratorCommand.defaultSchemaPath)
    static let schemaExists = FileManager.default.fileExists(atPath: schemaURL.path)

    @Test(
        "The committed generated sources equal a fresh generation",
        .enabled(if: schemaExists, "td_api.tl is not at ../shared/tdlib/td_api.tl; cannot check the generated sources"))
    func generatedSourcesAreUpToDate() throws {
        let text = try String(contentsOf: Self.schemaURL, encoding: .utf8)
        let files = try GeneratorCommand.generate(schemaText: text)
        let folder = Fixtures.packageRoot.appendingPathComponent(GeneratorCommand.defaultOutputPath)
        let committed = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".swift")
        }
        #expect(Set(committed) == Set(files.keys), "run `make generate`")
        for (name, contents) in files {
            let onDisk = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(onDisk == contents, "\(name) is out of date: run `make generate`")
        }
    }

    @Test(
        "The schema has every constructor and function",
        .enabled(if: schemaExists, "td_api.tl is not at ../shared/tdlib/td_api.tl"))
    func schemaCounts() throws {
        let schema = try TLSchema(parsing: String(contentsOf: Self.schemaURL, encoding: .utf8))
        // td_api.tl 1.8.66 has 2,167 constructors; 8 are built-in (double, string, int32, int53, int64, bytes,
        // boolFalse, boolTrue) and map to Swift's own types.
        #expect(schema.constructors.count == 2_167 - 8)
        #expect(schema.functions.count == 1_010)
    }

    @Test("Names follow the documented rule")
    func naming() {
        #expect(Naming.typeName("error") == "TDErrorObject")
        #expect(Naming.typeName("Error") == "TDErrorObject")
        #expect(Naming.typeName("date") == "TDDate")
        #expect(Naming.typeName("data") == "TDData")
        #expect(Naming.typeName("message") == "Message")
        #expect(Naming.typeName("getMe") == "GetMe")
        #expect(Naming.fieldName("first_name") == "firstName")
        #expect(Naming.fieldName("is_2fa_enabled") == "is2faEnabled")
        #expect(
            Naming.caseName(constructor: "authorizationStateWaitPhoneNumber", className: "AuthorizationState")
                == "waitPhoneNumber")
        #expect(Naming.caseName(constructor: "userTypeUnknown", className: "UserType") == "userTypeUnknown")
        #expect(Naming.caseName(constructor: "inputFileId", className: "InputFile") == "id")
        #expect(Naming.escaped("default") == "`default`")
        #expect(
            Naming.documentationURL("authorizationStateWaitPhoneNumber")
                == "https://core.telegram.org/tdlib/docs/classtd_1_1td__api_1_1authorization_state_wait_phone_number.html"
        )
    }

    @Test("Nullable fields come from the schema's wording")
    func nullability() throws {
        let schema = try TLSchema(
            parsing: """
                //@class Thing @description A thing

                //@description A
                //@photo Photo; may be null
                //@list List; items may be null
                //@name Name; pass null to keep
                //@other Other; must not be null
                thingA photo:thingA list:vector<thingA> name:string other:thingA = Thing;

                //@description B
                thingB = Thing;

                """)
        let files = try Emitter(schema: schema).generate()
        let all = files.values.joined()
        #expect(all.contains("public var photo: ThingA?"))
        #expect(all.contains("public var list: [ThingA?]"))
        #expect(all.contains("public var name: String\n"))
        #expect(all.contains("public var other: ThingA\n"))
    }
}
