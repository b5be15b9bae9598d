/// Which TDLib methods may run in which authorization state, as TDLib 1.8.66 decides it.
///
/// From tdlib/td at commit 022d602: `Td::is_authentication_request`, `Td::is_preinitialization_request`,
/// `Td::is_preauthentication_request` and `Td::run_request` in `td/telegram/Td.cpp`, and
/// `SynchronousRequests::is_synchronous_request` in `td/telegram/SynchronousRequests.cpp`.
enum TDLibMethodClass {
    /// Answered at once in every state, even before `setTdlibParameters` and while closing.
    static let synchronous: Set<String> = [
        "searchQuote", "getTextEntities", "parseTextEntities", "parseMarkdown", "getMarkdownText",
        "searchStringsByPrefix", "checkQuickReplyShortcutName", "getCountryFlagEmoji", "getFileMimeType",
        "getFileExtension", "cleanFileName", "getLanguagePackString", "getPhoneNumberInfoSync",
        "getChatFolderDefaultIconName", "getJsonValue", "getJsonString", "getThemeParametersJsonString",
        "getPushReceiverId", "setLogStream", "getLogStream", "setLogVerbosityLevel", "getLogVerbosityLevel",
        "getLogTags", "setLogTagVerbosityLevel", "getLogTagVerbosityLevel", "addLogMessage", "testReturnError",
    ]

    /// Options that `getOption` answers synchronously (`OptionManager::is_synchronous_option`).
    static let synchronousOptions: Set<String> = ["version", "commit_hash"]

    /// Run before `setTdlibParameters` too.
    static let preinitialization: Set<String> = [
        "getCurrentState", "setAlarm", "testUseUpdate", "testCallEmpty", "testSquareInt", "testCallString",
        "testCallBytes", "testCallVectorInt", "testCallVectorIntObject", "testCallVectorString",
        "testCallVectorStringObject", "testProxy",
    ]

    /// Run before login; sent before `setTdlibParameters`, they wait for it.
    static let preauthentication: Set<String> = [
        "getInternalLink", "getInternalLinkType", "getLocalizationTargetInfo", "getLanguagePackInfo",
        "getLanguagePackStrings", "synchronizeLanguagePack", "addCustomServerLanguagePack", "setCustomLanguagePack",
        "editCustomLanguagePackInfo", "setCustomLanguagePackString", "deleteLanguagePack", "processPushNotification",
        "getOption", "setOption", "getStorageStatistics", "getStorageStatisticsFast", "getDatabaseStatistics",
        "setNetworkType", "getNetworkStatistics", "addNetworkStatistics", "resetNetworkStatistics",
        "setApplicationVerificationToken", "getCountries", "getCountryCode", "getPhoneNumberInfo", "getDeepLinkInfo",
        "getApplicationConfig", "saveApplicationLogEvent", "addProxy", "editProxy", "enableProxy", "disableProxy",
        "removeProxy", "getProxies", "pingProxy", "testNetwork",
    ]

    /// The login itself: run before login, after `setTdlibParameters`.
    static let authentication: Set<String> = [
        "setTdlibParameters", "getAuthorizationState", "setAuthenticationPhoneNumber",
        "checkAuthenticationPremiumPurchase", "setAuthenticationPremiumPurchaseTransaction",
        "sendAuthenticationFirebaseSms", "reportAuthenticationCodeMissing", "setAuthenticationEmailAddress",
        "resendAuthenticationCode", "checkAuthenticationEmailCode", "checkAuthenticationCode", "registerUser",
        "requestQrCodeAuthentication", "getAuthenticationPasskeyParameters", "checkAuthenticationPasskey",
        "checkAuthenticationWebToken", "resetAuthenticationEmailAddress", "checkAuthenticationPassword",
        "requestAuthenticationPasswordRecovery", "checkAuthenticationPasswordRecoveryCode",
        "recoverAuthenticationPassword", "deleteAccount", "logOut", "close", "destroy", "checkAuthenticationBotToken",
    ]

    /// Whether `method` is a synchronous request; `getOption` only for its synchronous options.
    static func isSynchronous(_ method: String, optionName: () -> String?) -> Bool {
        if method == "getOption" { return optionName().map(synchronousOptions.contains) ?? false }
        return synchronous.contains(method)
    }

    /// Whether `method` runs before login.
    static func runsBeforeLogin(_ method: String) -> Bool {
        preauthentication.contains(method) || preinitialization.contains(method) || authentication.contains(method)
    }
}
