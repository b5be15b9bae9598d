import Foundation
import TDLib
import TDLibAPI

extension TDSimulator {
    // MARK: Parameters and sessions

    func setTdlibParameters(
        _ request: Request, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        guard case .waitTdlibParameters = session.auth else {
            throw SimulatedError(code: 400, message: "Unexpected setTdlibParameters")
        }
        let parameters = try request.decode(SetTdlibParameters.self)
        let directory = parameters.databaseDirectory.isEmpty ? "tdlib" : parameters.databaseDirectory
        let keyDigest = SessionFile.digest(parameters.databaseEncryptionKey)
        var saved = SessionFile.read(in: directory)
        if let saved, saved.keyDigest != keyDigest {
            throw SimulatedError(code: 401, message: "Wrong database encryption key")
        }
        if saved == nil {
            saved = SessionFile(keyDigest: keyDigest)
            guard SessionFile.write(saved, in: directory) else {
                throw SimulatedError(
                    code: 400, message: "Can't init database in the directory \"\(directory)\": can't create it")
            }
        }
        session.databaseDirectory = directory
        state.world.files.directories[clientID] =
            parameters.filesDirectory.isEmpty ? directory : parameters.filesDirectory
        outbox.update(
            .option(
                UpdateOption(
                    name: "unix_time", value: .integer(OptionValueInteger(value: Int64(Date().timeIntervalSince1970)))))
        )
        if let userID = saved?.userID {
            session.userID = userID
            session.isBot = saved?.isBot ?? false
            if state.world.users[userID] == nil, let account = state.accounts.first(where: { $0.userID == userID }) {
                state.world.addAccountUser(account, firstName: account.firstName, lastName: account.lastName ?? "")
            }
            becomeReady(clientID: clientID, session: &session, state: &state, outbox: &outbox)
        } else if let (step, progress) = saved?.login?.restore(scenario, accounts: state.accounts) {
            session.login = progress
            outbox.setState(step, session: &session)
        } else {
            outbox.setState(.waitPhoneNumber, session: &session)
        }
        outbox.answer(Ok())
        outbox.update(.connectionState(UpdateConnectionState(state: .connecting(.init()))))
        outbox.update(.connectionState(UpdateConnectionState(state: .ready(.init()))))
    }

    func becomeReady(
        clientID: Int32, session: inout ClientSession, state: inout SimulatorState, outbox: inout Outbox
    ) {
        guard let userID = session.userID else { return }
        if let directory = session.databaseDirectory, var saved = SessionFile.read(in: directory) {
            saved.userID = userID
            saved.isBot = session.isBot
            saved.login = nil
            _ = SessionFile.write(saved, in: directory)
        }
        outbox.update(.option(UpdateOption(name: "my_id", value: .integer(OptionValueInteger(value: userID)))))
        announceUsers([userID], session: &session, state: state, outbox: &outbox)
        outbox.setState(.ready, session: &session)
        scheduleEvents(clientID: clientID, session: session)
    }

    // MARK: Authorization

    func authenticate(
        _ request: Request, clientID: Int32, session: inout ClientSession, state: inout SimulatorState,
        outbox: inout Outbox
    ) throws {
        defer { saveLogin(session) }
        // TDLib checks the code's presence before the state (td/telegram/AuthManager.cpp).
        if request.type == "checkAuthenticationEmailCode", !request.has("code") {
            throw SimulatedError(code: 400, message: "Code must be non-empty")
        }
        switch (request.type, session.auth) {
        case ("setAuthenticationPhoneNumber", .waitPhoneNumber), ("setAuthenticationPhoneNumber", .waitCode):
            let phone = try request.decode(SetAuthenticationPhoneNumber.self).phoneNumber
            let digits = SimulatorWorld.digits(phone)
            guard (5...15).contains(digits.count),
                phone.allSatisfy({ $0.isNumber || " +-()".contains($0) })
            else { throw SimulatedError(code: 400, message: "PHONE_NUMBER_INVALID") }
            let account =
                state.accounts.first { SimulatorWorld.digits($0.phone) == digits }
                ?? SimulatorScenario.Account(
                    phone: phone, code: scenario.newUserCode ?? "12345", userID: state.newUserID(), firstName: "",
                    registered: false)
            session.login = LoginProgress(account: account)
            sendCode(clientID: clientID, session: &session, outbox: &outbox)
        case ("resendAuthenticationCode", .waitCode):
            session.login?.resent = true
            sendCode(clientID: clientID, session: &session, outbox: &outbox)
        case ("checkAuthenticationCode", .waitCode):
            guard var login = session.login else { throw SimulatedError.unexpected(request.type) }
            let code = try request.decode(CheckAuthenticationCode.self).code
            if login.failedCodeAttempts >= (scenario.maxCodeAttempts ?? 5) {
                throw SimulatedError(
                    code: 429, message: "Too Many Requests: retry after \(scenario.floodWaitSeconds ?? 30)")
            }
            if code == (scenario.expiredCode ?? "00000") {
                throw SimulatedError(code: 400, message: "PHONE_CODE_EXPIRED")
            }
            guard code == login.account.code else {
                login.failedCodeAttempts += 1
                session.login = login
                throw SimulatedError(code: 400, message: "PHONE_CODE_INVALID")
            }
            login.codeChecked = true
            session.login = login
            advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("setAuthenticationEmailAddress", .waitEmailAddress):
            let address = try request.decode(SetAuthenticationEmailAddress.self).emailAddress
            let parts = address.split(separator: "@")
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains(".") else {
                throw SimulatedError(code: 400, message: "EMAIL_INVALID")
            }
            session.login?.emailPattern = "\(parts[0].prefix(1))***@\(parts[1])"
            outbox.setState(.waitEmailCode, session: &session)
            outbox.answer(Ok())
        case ("checkAuthenticationEmailCode", .waitEmailCode):
            let check = try request.decode(CheckAuthenticationEmailCode.self)
            guard case .code(let entered) = check.code, entered.code == session.login?.account.email?.code else {
                throw SimulatedError(code: 400, message: "EMAIL_CODE_INVALID")
            }
            session.login?.emailChecked = true
            advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("checkAuthenticationPassword", .waitPassword):
            let password = try request.decode(CheckAuthenticationPassword.self).password
            guard password == session.login?.account.password else {
                throw SimulatedError(code: 400, message: "PASSWORD_HASH_INVALID")
            }
            session.login?.passwordChecked = true
            advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("registerUser", .waitRegistration):
            let register = try request.decode(RegisterUser.self)
            let firstName = register.firstName.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !firstName.isEmpty, firstName.count <= 64 else {
                throw SimulatedError(code: 400, message: "FIRSTNAME_INVALID")
            }
            guard let account = session.login?.account else { throw SimulatedError.unexpected(request.type) }
            state.world.addAccountUser(
                account, firstName: firstName,
                lastName: register.lastName.trimmingCharacters(in: .whitespacesAndNewlines))
            session.login?.registered = true
            advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("checkAuthenticationBotToken", .waitPhoneNumber):
            let token = try request.decode(CheckAuthenticationBotToken.self).token
            guard let bot = state.bots.first(where: { $0.token == token }) else {
                throw SimulatedError(code: 401, message: "ACCESS_TOKEN_INVALID")
            }
            session.userID = bot.userID
            session.isBot = true
            becomeReady(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            outbox.answer(Ok())
        case ("requestQrCodeAuthentication", .waitPhoneNumber),
            ("requestQrCodeAuthentication", .waitOtherDeviceConfirmation):
            state.lastQRToken += 1
            let token = Data("simulated-qr-\(clientID)-\(state.lastQRToken)".utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            session.qrLink = "tg://login?token=\(token)"
            outbox.setState(.waitOtherDeviceConfirmation, session: &session)
            outbox.answer(Ok())
            scheduleQRConfirmation(clientID: clientID, session: session)
        default:
            throw SimulatedError.unexpected(request.type)
        }
    }

    /// Telegram sends the code: authorizationStateWaitCode and the request's `ok` come after the
    /// network's delay (auth.sendCode is a round trip), at once when it is 0.
    private func sendCode(clientID: Int32, session: inout ClientSession, outbox: inout Outbox) {
        let delay = scenario.networkSettings.codeDelivery(onManualClock: clock.isManual)
        guard delay > 0 else {
            outbox.setState(.waitCode, session: &session)
            outbox.answer(Ok())
            return
        }
        let extra = outbox.extra
        let login = session.login
        schedule(after: delay, clientID: clientID, generation: session.generation) { simulator, state, outbox in
            guard var session = state.sessions[clientID] else { return }
            session.login = login
            outbox.extra = extra
            outbox.setState(.waitCode, session: &session)
            outbox.answer(Ok())
            simulator.saveLogin(session)
            state.sessions[clientID] = session
        }
    }

    /// Keeps where a phone login stands in the database directory, as TDLib does, for a restarted client.
    func saveLogin(_ session: ClientSession) {
        guard session.userID == nil, let directory = session.databaseDirectory,
            var saved = SessionFile.read(in: directory)
        else { return }
        saved.login = SessionFile.SavedLogin(session)
        _ = SessionFile.write(saved, in: directory)
    }

    /// Moves a phone login to its next step: email, password, registration, then ready.
    func advanceLogin(
        clientID: Int32, session: inout ClientSession, state: inout SimulatorState, outbox: inout Outbox
    ) {
        guard let login = session.login else { return }
        if login.account.email != nil, !login.emailChecked {
            outbox.setState(login.emailPattern == nil ? .waitEmailAddress : .waitEmailCode, session: &session)
        } else if login.account.password != nil, !login.passwordChecked {
            outbox.setState(.waitPassword, session: &session)
        } else if login.account.registered == false, !login.registered {
            outbox.setState(.waitRegistration, session: &session)
        } else {
            session.userID = login.account.userID
            session.isBot = false
            if state.world.users[login.account.userID] == nil {
                state.world.addAccountUser(
                    login.account, firstName: login.account.firstName, lastName: login.account.lastName ?? "")
            }
            becomeReady(clientID: clientID, session: &session, state: &state, outbox: &outbox)
        }
    }

    func scheduleQRConfirmation(clientID: Int32, session: ClientSession) {
        guard let event = scenario.events?.first(where: { $0.type == "qrConfirm" }) else { return }
        schedule(after: event.after ?? 1, clientID: clientID, generation: session.generation) {
            simulator, state, outbox in
            guard var session = state.sessions[clientID], case .waitOtherDeviceConfirmation = session.auth else {
                return
            }
            let phone = simulator.scenario.qrAccountPhone
            guard
                let account = state.accounts.first(where: {
                    phone == nil
                        ? $0.registered != false : SimulatorWorld.digits($0.phone) == SimulatorWorld.digits(phone ?? "")
                })
            else { return }
            var login = LoginProgress(account: account)
            login.codeChecked = true
            login.emailChecked = true
            session.login = login
            simulator.advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            state.sessions[clientID] = session
        }
    }
}
