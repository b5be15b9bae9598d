import Foundation
import TDLib
import TDLibAPI

/// The fuzz targets, one per check; each returns `false` when the check finds a bug.
enum FuzzTarget: String, CaseIterable {
    /// `TDFuzzing.check`: every typed decoder, and the round trip through the encoder.
    case decoder
    /// `TDRoutingFuzzing.check`: the receive loop's envelope scanner against a full parse.
    case routing

    func check(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .decoder: TDFuzzing.check(bytes)
        case .routing: TDRoutingFuzzing.check(bytes)
        }
    }
}

/// `TDLibFuzz <decoder|routing> [arguments…]`.
///
/// Built with `-sanitize=fuzzer,address -DFUZZING` (see `make fuzz`), it hands the arguments to
/// libFuzzer. Built normally, it replays files and folders of inputs through the check: the
/// committed corpus, or a crash libFuzzer wrote.
@main
enum TDLibFuzz {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: TDLibFuzz <\(names)> [inputs or libFuzzer flags…]\n".utf8))
            exit(2)
        }
        #if FUZZING
            exit(fuzz(target))
        #else
            exit(replay(target, paths: Array(arguments.dropFirst(2))))
        #endif
    }

    static func replay(_ target: FuzzTarget, paths: [String]) -> Int32 {
        var inputs = 0
        var failures = 0
        for path in paths {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    print("cannot read \(file)")
                    failures += 1
                    continue
                }
                inputs += 1
                if !target.check(Array(data)) {
                    print("FAILED: \(file)")
                    failures += 1
                }
            }
        }
        print("\(target.rawValue): \(inputs) inputs replayed, \(failures) failed")
        return failures == 0 ? 0 : 1
    }

    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { "\(path)/\($0)" }
    }
}

#if FUZZING
    // libFuzzer calls the one input function by its C name, so the chosen target lives in a global,
    // set once before the fuzzing starts.
    nonisolated(unsafe) private var selectedTarget = FuzzTarget.decoder

    @_cdecl("LLVMFuzzerTestOneInput")
    func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        precondition(selectedTarget.check(bytes), "the \(selectedTarget.rawValue) check failed")
        return 0
    }

    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    extension TDLibFuzz {
        /// Runs libFuzzer with the arguments after the target's name. SwiftPM's executables keep
        /// their own `main`, so libFuzzer is entered through its driver function, not its `main`.
        static func fuzz(_ target: FuzzTarget) -> Int32 {
            selectedTarget = target
            var argc = CommandLine.argc - 1
            var argv = CommandLine.unsafeArgv + 1
            argv[0] = CommandLine.unsafeArgv[0]
            return runFuzzerDriver(&argc, &argv, fuzzOneInput)
        }
    }
#endif
