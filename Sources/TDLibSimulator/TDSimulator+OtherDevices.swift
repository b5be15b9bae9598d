import TDLibAPI

/// What a person does on their other devices, as a test plays it: confirms an app's QR-code login, sends
/// files that go up at once.
extension TDSimulator {
    /// Confirms the QR-code login whose link is `link` on behalf of `userID`, as the Telegram app of a
    /// logged-in device does after scanning it (`confirmQrCodeAuthentication`): the client that shows
    /// the link logs in to `userID`'s account (its password still asked when it has one).
    /// - Returns: whether a client waited with that link.
    @discardableResult
    public func confirmQRLogin(link: String, by userID: Int64) -> Bool {
        state.withLock { state in
            guard let account = state.accounts.first(where: { $0.userID == userID }),
                let (clientID, found) = state.sessions.first(where: {
                    $0.value.qrLink == link && $0.value.auth == .waitOtherDeviceConfirmation
                })
            else { return false }
            var session = found
            var login = LoginProgress(account: account)
            login.codeChecked = true
            login.emailChecked = true
            session.login = login
            var outbox = Outbox(clientID: clientID)
            advanceLogin(clientID: clientID, session: &session, state: &state, outbox: &outbox)
            state.sessions[clientID] = session
            deliver(outbox, state: state)
            return true
        }
    }

    /// Makes every later file upload of `userID` complete at once, with no progress on the clock: a
    /// test's user sends a photo or document without the test moving the clock for it.
    public func completeUploadsAtOnce(of userID: Int64) {
        state.withLock { _ = $0.instantUploaders.insert(userID) }
    }
}
