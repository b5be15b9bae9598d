import Foundation
import TDLib
import TDLibAPI

extension TDSimulator {
    /// The updates a new client starts with, which `getCurrentState` repeats before the parameters.
    func startingUpdates(_ session: ClientSession) -> [Update] {
        [
            .option(UpdateOption(name: "version", value: .string(OptionValueString(value: tdlibVersion)))),
            .option(UpdateOption(name: "commit_hash", value: .string(OptionValueString(value: tdlibCommit)))),
            .authorizationState(UpdateAuthorizationState(authorizationState: session.authorizationState)),
        ]
    }

    func optionValue(name: String, session: ClientSession?) -> OptionValue {
        if let value = session?.options[name] { return value }
        return switch name {
        case "version": .string(OptionValueString(value: tdlibVersion))
        case "commit_hash": .string(OptionValueString(value: tdlibCommit))
        case "my_id": session?.userID.map { .integer(OptionValueInteger(value: $0)) } ?? .empty(OptionValueEmpty())
        case "unix_time": .integer(OptionValueInteger(value: Int64(Date().timeIntervalSince1970)))
        default: .empty(OptionValueEmpty())
        }
    }

    func test(_ request: Request, outbox: inout Outbox) throws {
        switch request.type {
        case "testCallEmpty", "testNetwork": outbox.answer(Ok())
        case "testProxy":
            guard request.has("proxy") else { throw SimulatedError(code: 400, message: "Proxy must be non-empty") }
            outbox.answer(Ok())
        case "testUseUpdate": throw SimulatedError(code: 404, message: "Not Found")
        case "testCallString": outbox.answer(TestString(value: try request.decode(TestCallString.self).x))
        case "testCallBytes": outbox.answer(TestBytes(value: try request.decode(TestCallBytes.self).x))
        case "testCallVectorInt": outbox.answer(TestVectorInt(value: try request.decode(TestCallVectorInt.self).x))
        case "testCallVectorIntObject":
            outbox.answer(TestVectorIntObject(value: try request.decode(TestCallVectorIntObject.self).x))
        case "testCallVectorString":
            outbox.answer(TestVectorString(value: try request.decode(TestCallVectorString.self).x))
        case "testCallVectorStringObject":
            outbox.answer(TestVectorStringObject(value: try request.decode(TestCallVectorStringObject.self).x))
        case "testSquareInt":
            let x = try request.decode(TestSquareInt.self).x
            outbox.answer(TestInt(value: x &* x))
        case "testReturnError":
            let error = try request.decode(TestReturnError.self).error
            outbox.error(Int(error.code), error.message)
        default:
            throw SimulatedError(code: 400, message: "The simulator does not support the method \(request.type)")
        }
    }
}
