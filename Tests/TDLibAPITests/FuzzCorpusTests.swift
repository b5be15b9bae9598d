import Foundation
import TDLibAPI
import Testing

/// The committed seeds of `make fuzz` and the inputs fuzzing found, through the decoder check.
@Suite("Decoder fuzzing")
struct FuzzCorpusTests {
    @Test("Every seed of Fuzz/corpus/decoder passes TDFuzzing.check")
    func corpusReplays() throws {
        let corpus = Fixtures.packageRoot.appendingPathComponent("Fuzz/corpus/decoder")
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        #expect(names.count > 100)
        for name in names {
            let bytes = Array(try Data(contentsOf: corpus.appendingPathComponent(name)))
            #expect(TDFuzzing.check(bytes), "Fuzz/corpus/decoder/\(name)")
        }
    }
}
