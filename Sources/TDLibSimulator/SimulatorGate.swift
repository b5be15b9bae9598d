import TDLibAPI

/// What TDLib does with a request before the method itself runs: synchronous methods, the state's gate.
///
/// The order and the messages follow `Td::request` and `Td::run_request` (`td/telegram/Td.cpp` at commit
/// 022d602): a synchronous method is answered in any state; before `setTdlibParameters` only a few
/// methods run and the pre-authentication ones wait for the parameters; a closing client aborts; before
/// login only the login's own, pre-initialization and pre-authentication methods run.
extension TDSimulator {
    enum GateDecision {
        /// The method runs (`dispatch`).
        case run
        /// Answered already (the outbox has it), or kept for later: nothing more to do.
        case done
    }

    func gate(
        _ request: Request, session: inout ClientSession, outbox: inout Outbox
    ) -> GateDecision {
        let method = request.type
        if TDLibMethodClass.isSynchronous(method, optionName: { request.string("name") }) {
            answerSynchronously(request, session: session, outbox: &outbox)
            return .done
        }
        switch session.auth {
        case .waitTdlibParameters:
            let runsNow: Set<String> = ["getAuthorizationState", "getCurrentState", "close", "setTdlibParameters"]
            if runsNow.contains(method) || TDLibMethodClass.preinitialization.contains(method) { return .run }
            if TDLibMethodClass.preauthentication.contains(method) {
                session.waitingForParameters.append(request.bytes)
                return .done
            }
            outbox.error(400, "Initialization parameters are needed: call setTdlibParameters first")
            return .done
        case .closing, .closed:
            if method == "getAuthorizationState" || method == "getCurrentState" { return .run }
            outbox.error(500, "Request aborted")
            return .done
        default:
            if session.userID == nil || session.auth != .ready, !TDLibMethodClass.runsBeforeLogin(method) {
                outbox.error(401, "Unauthorized")
                return .done
            }
            return .run
        }
    }

    /// A synchronous method, as `td_send` and `td_execute` answer it in any state.
    func answerSynchronously(_ request: Request, session: ClientSession?, outbox: inout Outbox) {
        do {
            switch request.type {
            case "getOption":
                outbox.answer(optionValue(name: request.string("name") ?? "", session: session))
            case "setLogStream", "setLogVerbosityLevel", "setLogTagVerbosityLevel", "addLogMessage":
                outbox.answer(Ok())
            case "getLogStream":
                outbox.answer(LogStreamDefault())
            case "getLogVerbosityLevel":
                outbox.answer(LogVerbosityLevel(verbosityLevel: 1))
            case "getLogTags":
                outbox.answer(LogTags(tags: Self.logTags))
            case "getLogTagVerbosityLevel":
                let tag = try request.decode(GetLogTagVerbosityLevel.self).tag
                guard !tag.isEmpty else { throw SimulatedError(code: 400, message: "Log tag must be non-empty") }
                guard Self.logTags.contains(tag) else { throw SimulatedError(code: 400, message: "Log tag is invalid") }
                outbox.answer(LogVerbosityLevel(verbosityLevel: 1))
            case "testReturnError":
                guard request.has("error") else { throw SimulatedError(code: 404, message: "Not Found") }
                let error = try request.decode(TestReturnError.self).error
                outbox.error(Int(error.code), error.message)
            default:
                guard try answerUtility(request, outbox: &outbox) else {
                    throw SimulatedError(
                        code: 400, message: "The simulator does not support the method \(request.type)")
                }
            }
        } catch let error as SimulatedError {
            outbox.error(error.code, error.message)
        } catch {
            outbox.error(400, "Failed to parse JSON object as TDLib request: \(error)")
        }
    }

    /// TDLib's log tags (`getLogTags`).
    static let logTags = [
        "actor", "binlog", "connections", "fd", "file_loader", "file_references", "files", "mtproto", "net_query",
        "proxy", "raw_mtproto", "dns", "sqlite", "notifications", "td_init", "td_requests", "tdlib_messages",
    ]

    /// Whether `method` is a TDLib function at all; TDLib's JSON reader refuses any other `@type`.
    static func isTDLibFunction(_ method: String) -> Bool {
        if TDLibMethodClass.runsBeforeLogin(method) || TDLibMethodClass.synchronous.contains(method)
            || SimulatorState.worldMethods.contains(method)
        {
            return true
        }
        // The registry reads an unknown `@type` as nil; a known one whose fields are missing throws.
        // TDLib's names are identifiers: anything else is no function, and needs no escaping below.
        guard !method.isEmpty,
            method.utf8.allSatisfy({
                $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                    || (0x61...0x7A).contains($0)
            })
        else {
            return false
        }
        do {
            return try TDRegistry.function(json: Array(#"{"@type":"\#(method)"}"#.utf8)) != nil
        } catch {
            return true
        }
    }
}

extension TDSimulator {
    /// A login step of TDLib's that the simulator's accounts never take: refused as TDLib refuses it in a
    /// state where it does not belong (`td/telegram/AuthManager.cpp`), else not supported.
    func unsupportedLoginStep(_ method: String, session: ClientSession) throws {
        let belongs: Bool
        switch method {
        case "requestAuthenticationPasswordRecovery", "checkAuthenticationPasswordRecoveryCode",
            "recoverAuthenticationPassword":
            belongs = session.auth == .waitPassword
        case "resetAuthenticationEmailAddress": belongs = session.auth == .waitEmailCode
        case "sendAuthenticationFirebaseSms", "reportAuthenticationCodeMissing": belongs = session.auth == .waitCode
        default: belongs = false
        }
        if belongs {
            throw SimulatedError(code: 400, message: "The simulator does not support the method \(method)")
        }
        let named =
            method == "setAuthenticationPremiumPurchaseTransaction" ? "checkAuthenticationPremiumPurchase" : method
        throw SimulatedError.unexpected(named)
    }
}
