import Foundation
import TDLibSimulator
import Telegram

/// The app's HTML. Every piece of text that a user or Telegram controls goes through `escape`.
enum Pages {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    struct Context {
        var csrfToken: String
        var flash: String?
        var simulator: TDSimulator?
        /// Seconds after which the page reloads itself, while it waits on TDLib.
        var refresh: Int?
    }

    static func layout(_ title: String, _ context: Context, _ body: String) -> String {
        let refresh = context.refresh.map { #"<meta http-equiv="refresh" content="\#($0)">"# } ?? ""
        let flash = context.flash.map { #"<p class="flash" role="alert" id="flash">\#(escape($0))</p>"# } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title)) · tg-web</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">\(refresh)
            <style>
            body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222}
            .banner{background:#fff4d6;border:1px solid #e6c200;padding:.6rem .9rem;border-radius:6px;font-size:.9rem}
            .flash{background:#fde8e8;border:1px solid #d33;padding:.6rem .9rem;border-radius:6px}
            form{margin:1rem 0}input[type=text],input[type=password],input[type=tel]{padding:.4rem;width:16rem}
            button{padding:.4rem .9rem}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem;border-bottom:1px solid #eee}
            code{background:#f3f3f3;padding:0 .2rem}
            </style></head><body>
            <h1>tg-web</h1>
            \(banner(context.simulator))\(flash)
            <main id="page" data-page="\(escape(title))">
            \(body)
            </main></body></html>
            """
    }

    static func banner(_ simulator: TDSimulator?) -> String {
        guard let simulator else { return "" }
        let accounts = simulator.scenario.accounts.map { account -> String in
            var parts = ["<code>\(escape(account.phone))</code> code <code>\(escape(account.code))</code>"]
            if let password = account.password { parts.append("password <code>\(escape(password))</code>") }
            if let email = account.email { parts.append("email code <code>\(escape(email.code))</code>") }
            if account.registered == false { parts.append("new account") }
            return "<li>" + parts.joined(separator: ", ") + "</li>"
        }
        let bots = (simulator.scenario.bots ?? []).map { "<li>bot token <code>\(escape($0.token))</code></li>" }
        return """
            <div class="banner" id="simulator-banner"><strong>Simulator:</strong> this server runs on the built-in TDLib \
            simulator; nothing reaches Telegram. Demo credentials:<ul>\((accounts + bots).joined())</ul></div>
            """
    }

    static func form(_ action: String, _ context: Context, _ fields: String, button: String) -> String {
        """
        <form method="post" action="\(action)"><input type="hidden" name="csrf" value="\(escape(context.csrfToken))">\
        \(fields)<button type="submit">\(escape(button))</button></form>
        """
    }

    static func start(_ context: Context) -> String {
        layout(
            "Log in", context,
            """
            <h2>Log in to Telegram</h2>
            \(form("/start", context, #"<input type="hidden" name="kind" value="phone"><label>Phone number <input type="tel" name="phone" autocomplete="tel" required></label> "#, button: "Send code"))
            \(form("/start", context, #"<input type="hidden" name="kind" value="bot"><label>Bot token <input type="password" name="token" autocomplete="off" required></label> "#, button: "Log in as a bot"))
            \(form("/start", context, #"<input type="hidden" name="kind" value="qr">"#, button: "Log in with a QR code"))
            """)
    }

    static func waiting(_ context: Context, _ what: String) -> String {
        var context = context
        context.refresh = 1
        return layout("Waiting", context, "<p id=\"waiting\">\(escape(what))…</p>")
    }

    static func code(_ context: Context, _ info: AuthenticationCodeInfo) -> String {
        let resend =
            info.nextType == nil
            ? "" : form("/resend", context, "", button: "Send the code \(describe(info.nextType))")
        return layout(
            "Code", context,
            """
            <h2>Enter the code</h2><p>Telegram sent a code of \(length(info.type)) digits \(describe(info.type)) \
            for +\(escape(info.phoneNumber)).</p>
            \(form("/code", context, #"<label>Code <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus></label> "#, button: "Continue"))
            \(resend)
            """)
    }

    static func emailAddress(_ context: Context) -> String {
        layout(
            "Email", context,
            """
            <h2>Email address</h2><p>Telegram asks for an email address to send login codes to.</p>
            \(form("/email", context, #"<label>Email <input type="text" name="address" autocomplete="email" required autofocus></label> "#, button: "Continue"))
            """)
    }

    static func emailCode(_ context: Context, _ info: EmailAddressAuthenticationCodeInfo) -> String {
        layout(
            "Email code", context,
            """
            <h2>Email code</h2><p>A code was sent to \(escape(info.emailAddressPattern)).</p>
            \(form("/email-code", context, #"<label>Code <input type="text" name="code" required autofocus></label> "#, button: "Continue"))
            """)
    }

    static func password(_ context: Context, hint: String) -> String {
        let hintLine = hint.isEmpty ? "" : "<p>Hint: <span id=\"hint\">\(escape(hint))</span></p>"
        return layout(
            "Password", context,
            """
            <h2>Two-step verification</h2>\(hintLine)
            \(form("/password", context, #"<label>Password <input type="password" name="password" autocomplete="current-password" required autofocus></label> "#, button: "Continue"))
            """)
    }

    static func registration(_ context: Context, _ terms: TermsOfService) -> String {
        layout(
            "Register", context,
            """
            <h2>New account</h2><p>This number has no Telegram account yet. Terms of service:</p>
            <blockquote id="terms">\(escape(terms.text.text))</blockquote>
            \(form("/register", context, #"<label>First name <input type="text" name="first" required autofocus></label> <label>Last name <input type="text" name="last"></label> "#, button: "Accept and register"))
            """)
    }

    static func qr(_ context: Context, link: String) -> String {
        var context = context
        context.refresh = 2
        return layout(
            "QR code", context,
            """
            <h2>Log in with a QR code</h2><p>In Telegram on a device where you are logged in, open Settings → \
            Devices → Link Desktop Device and scan a QR code of this link:</p>
            <p><code id="qr-link">\(escape(link))</code></p><p id="waiting">Waiting for the confirmation…</p>
            """)
    }

    static func home(_ context: Context, me: User, chats: [Chat]) -> String {
        let username = me.usernames?.activeUsernames.first.map { "@" + $0 } ?? ""
        let rows = chats.map { chat in
            "<tr><td>\(escape(chat.title))</td><td>\(escape(summary(chat.lastMessage)))</td></tr>"
        }.joined()
        return layout(
            "Home", context,
            """
            <h2 id="me">\(escape([me.firstName, me.lastName].filter { !$0.isEmpty }.joined(separator: " ")))</h2>
            <p><span id="username">\(escape(username))</span> \(me.phoneNumber.isEmpty ? "" : "+" + escape(me.phoneNumber))</p>
            <h3>Latest chats</h3><table id="chats"><tr><th>Chat</th><th>Last message</th></tr>\(rows)</table>
            \(form("/logout", context, "", button: "Log out"))
            """)
    }

    static func ended(_ context: Context, _ state: LoginState) -> String {
        layout(
            "Session ended", context,
            """
            <p id="ended">The Telegram session has ended (\(escape(state.name))).</p>
            \(form("/reset", context, "", button: "Start again"))
            """)
    }

    static func problem(_ title: String, _ message: String, _ context: Context) -> String {
        layout(
            title, context,
            "<h2>\(escape(title))</h2><p id=\"problem\">\(escape(message))</p><p><a href=\"/\">Back</a></p>")
    }

    static func summary(_ message: Message?) -> String {
        guard let message else { return "" }
        switch message.content {
        case .text(let text): return text.text.text
        case .photo(let photo): return "Photo " + photo.caption.text
        case .document(let document): return "Document " + document.document.fileName
        default: return "A message"
        }
    }

    static func length(_ type: AuthenticationCodeType) -> String {
        switch type {
        case .sms(let sms): String(sms.length)
        case .telegramMessage(let message): String(message.length)
        case .call(let call): String(call.length)
        default: "a few"
        }
    }

    static func describe(_ type: AuthenticationCodeType?) -> String {
        switch type {
        case .sms: "by SMS"
        case .telegramMessage: "in Telegram on your other devices"
        case .call: "by a phone call"
        case .none: ""
        default: "another way"
        }
    }
}
