import ExampleSupport
import Foundation
import Telegram

/// python-telegram's `chat_stats.py` in Swift: reads a chat's history, newest first, and prints its most
/// common words (longer than three letters, without punctuation, in lower case).
///
/// `swift run ChatStats [chat_id] [--limit 1000] [--most-common 30]`; on the simulator, by default the
/// group "Weekend plans" (-3001).
public enum ChatStats {
    /// The texts of the chat's text messages, newest first, at most `limit` messages read.
    public static func texts(in chatID: Int64, limit: Int, on tg: Telegram) async throws -> [String] {
        var texts: [String] = []
        for try await message in tg.history(chatID: chatID, limit: limit) {
            if case .text(let text) = message.content { texts.append(text.text.text) }
        }
        print("[\(texts.count)/\(limit)] received")
        return texts
    }

    /// The `count` most common words of `texts`, most common first (ties in alphabetical order).
    public static func mostCommonWords(in texts: [String], count: Int) -> [(word: String, count: Int)] {
        var counts: [String: Int] = [:]
        for text in texts {
            for piece in text.split(separator: " ") {
                let word = String(piece.unicodeScalars.filter { !CharacterSet.punctuationCharacters.contains($0) })
                    .lowercased()
                if word.count > 3 { counts[word, default: 0] += 1 }
            }
        }
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(count).map { ($0.key, $0.value) }
    }
}

@main
enum ChatStatsMain {
    static func main() async throws {
        let chatID = ExampleRunner.arguments.first.flatMap(Int64.init) ?? -3001
        let limit = ExampleRunner.option("limit").flatMap(Int.init) ?? 1000
        let mostCommon = ExampleRunner.option("most-common").flatMap(Int.init) ?? 30
        try await ExampleRunner.runOnce(as: .user) { tg, _ in
            let texts = try await ChatStats.texts(in: chatID, limit: limit, on: tg)
            for (word, count) in ChatStats.mostCommonWords(in: texts, count: mostCommon) {
                print("\(word): \(count)")
            }
        }
    }
}
