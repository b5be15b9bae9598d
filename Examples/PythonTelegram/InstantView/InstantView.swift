import ExampleSupport
import Telegram

/// python-telegram's `get_instant_view.py` in Swift: prints the title of a web page's instant view, or
/// TDLib's error when there is none.
///
/// The simulator has no web pages: it answers as TDLib does for a page without an instant view, 404
/// "Not Found", so `swift run InstantView` shows that error; on Telegram (`TG_API_ID`, `TG_API_HASH`,
/// `TG_PHONE`), `swift run InstantView https://telegram.org/blog` prints the title.
public enum InstantView {
    /// The title of the instant view of `url` (its first title block); `nil` when it has none.
    public static func title(of url: String, on tg: Telegram) async throws -> String? {
        let view = try await tg.getWebPageInstantView(url: url)
        for block in view.blocks {
            if case .title(let title) = block { return plainText(title.title) }
        }
        return nil
    }

    /// The text of rich text, without its styles.
    static func plainText(_ text: RichText) -> String {
        switch text {
        case .plain(let plain): plain.text
        case .bold(let bold): plainText(bold.text)
        case .italic(let italic): plainText(italic.text)
        case .underline(let underline): plainText(underline.text)
        case .strikethrough(let strikethrough): plainText(strikethrough.text)
        case .fixed(let fixed): plainText(fixed.text)
        case .url(let url): plainText(url.text)
        case .texts(let texts): texts.texts.map(plainText).joined()
        default: ""
        }
    }
}

@main
enum InstantViewMain {
    static func main() async throws {
        let url = ExampleRunner.arguments.first ?? "https://telegram.org/blog"
        try await ExampleRunner.runOnce(as: .user) { tg, _ in
            do {
                let title = try await InstantView.title(of: url, on: tg)
                print("Instant view:\n\n    \(title ?? "(no title)")")
            } catch let error as TDLibError {
                print("error: \(error.code) \(error.message)")
            }
        }
    }
}
