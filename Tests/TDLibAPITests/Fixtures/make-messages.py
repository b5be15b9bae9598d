#!/usr/bin/env python3
"""Writes messages.json: a TDLib `messages` answer with 100 messages of mixed content, shaped as
TDLib 1.8.66 writes them (schema field order, null objects left out, int64 as strings, doubles
with six decimals). Deterministic; used by the TDLibAPI tests and benchmarks."""
import json, random, base64, os

rnd = random.Random(3)
CHAT = -1001234567890
WORDS = ["hello", "world", "telegram", "swift", "Привет", "мир", "📎", "🎉", "ok", "see", "you", "at", "the",
         "meeting", "tomorrow", "build", "passes", "naïve", "café", "日本語", "\"quoted\"", "back\\slash", "tab\there"]


class F(float):
    """A double that TDLib writes with six decimals."""


def dumps(value):
    if isinstance(value, F):
        return "%.6f" % value
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def text(n):
    return " ".join(rnd.choice(WORDS) for _ in range(n))


def formatted(n):
    t = text(n)
    entities = []
    if n > 3:
        entities.append({"@type": "textEntity", "offset": 0, "length": 5, "type": {"@type": "textEntityTypeBold"}})
        entities.append({"@type": "textEntity", "offset": 6, "length": 4,
                         "type": {"@type": "textEntityTypeTextUrl", "url": "https://example.org/a?b=c"}})
    return {"@type": "formattedText", "text": t, "entities": entities}


file_id = [100]


def file(size):
    file_id[0] += 1
    return {"@type": "file", "id": file_id[0], "size": size, "expected_size": size,
            "local": {"@type": "localFile", "path": "", "can_be_downloaded": True, "can_be_deleted": False,
                      "is_downloading_active": False, "is_downloading_completed": False, "download_offset": 0,
                      "downloaded_prefix_size": 0, "downloaded_size": 0},
            "remote": {"@type": "remoteFile", "id": base64.urlsafe_b64encode(os.urandom(0) + bytes(rnd.randrange(256) for _ in range(45))).decode(),
                       "unique_id": "AQAD" + str(rnd.randrange(10**8)), "is_uploading_active": False,
                       "is_uploading_completed": True, "uploaded_size": size}}


def mini():
    return {"@type": "minithumbnail", "width": 40, "height": 30,
            "data": base64.b64encode(bytes(rnd.randrange(256) for _ in range(60))).decode()}


def thumb():
    return {"@type": "thumbnail", "format": {"@type": "thumbnailFormatJpeg"}, "width": 320, "height": 240,
            "file": file(rnd.randrange(5000, 20000))}


def content(kind):
    if kind == "text":
        return {"@type": "messageText", "text": formatted(rnd.randrange(3, 30))}
    if kind == "photo":
        return {"@type": "messagePhoto", "photo": {"@type": "photo", "has_stickers": False, "minithumbnail": mini(),
                "sizes": [{"@type": "photoSize", "type": t, "photo": file(rnd.randrange(10**4, 10**6)), "width": w,
                           "height": h, "progressive_sizes": p} for t, w, h, p in
                          [("m", 320, 240, []), ("x", 800, 600, []), ("y", 1280, 960, [10000, 30000, 62000])]]},
                "caption": formatted(rnd.randrange(0, 8)), "show_caption_above_media": False, "has_spoiler": False,
                "is_secret": False}
    if kind == "sticker":
        return {"@type": "messageSticker", "sticker": {"@type": "sticker", "id": str(rnd.randrange(2**62, 2**63)),
                "set_id": str(rnd.randrange(2**62, 2**63)), "width": 512, "height": 512, "emoji": "😀",
                "format": {"@type": "stickerFormatWebp"}, "full_type": {"@type": "stickerFullTypeRegular"},
                "thumbnail": thumb(), "sticker": file(rnd.randrange(10**4, 10**5))}, "is_premium": False}
    if kind == "document":
        return {"@type": "messageDocument", "document": {"@type": "document", "file_name": "report-%d.pdf" % rnd.randrange(99),
                "mime_type": "application/pdf", "thumbnail": thumb(), "document": file(rnd.randrange(10**5, 10**7))},
                "caption": formatted(rnd.randrange(0, 6))}
    if kind == "video":
        return {"@type": "messageVideo", "video": {"@type": "video", "duration": rnd.randrange(1, 300), "width": 1280,
                "height": 720, "file_name": "clip.mp4", "mime_type": "video/mp4", "has_stickers": False,
                "supports_streaming": True, "minithumbnail": mini(), "thumbnail": thumb(),
                "video": file(rnd.randrange(10**6, 10**8))}, "alternative_videos": [], "storyboards": [],
                "start_timestamp": 0, "caption": formatted(rnd.randrange(0, 10)), "show_caption_above_media": False,
                "has_spoiler": False, "is_secret": False}
    if kind == "voice":
        return {"@type": "messageVoiceNote", "voice_note": {"@type": "voiceNote", "duration": 7,
                "waveform": base64.b64encode(bytes(rnd.randrange(32) for _ in range(63))).decode(),
                "mime_type": "audio/ogg", "voice": file(rnd.randrange(10**4, 10**5))},
                "caption": formatted(0), "is_listened": rnd.random() < 0.5}
    if kind == "location":
        return {"@type": "messageLocation", "location": {"@type": "location", "latitude": F(rnd.uniform(-90, 90)),
                "longitude": F(rnd.uniform(-180, 180)), "horizontal_accuracy": F(0)}}
    raise ValueError(kind)


def sender(i):
    if i % 7 == 0:
        return {"@type": "messageSenderChat", "chat_id": CHAT}
    return {"@type": "messageSenderUser", "user_id": 100000 + i % 5}


KINDS = ["text"] * 10 + ["photo"] * 3 + ["sticker"] * 2 + ["document", "video", "voice", "location"]
messages = []
for i in range(100):
    kind = rnd.choice(KINDS)
    m = {"@type": "message", "id": (5000 - i) << 20, "sender_id": sender(i), "chat_id": CHAT,
         "is_outgoing": i % 4 == 0, "is_pinned": False, "is_from_offline": False, "can_be_saved": True,
         "has_timestamped_media": True, "is_channel_post": False, "is_paid_star_suggested_post": False,
         "is_paid_gram_suggested_post": False, "contains_unread_mention": False, "contains_unread_poll_votes": False,
         "date": 1764000000 - i * 61, "edit_date": 0}
    if i % 9 == 0:
        m["forward_info"] = {"@type": "messageForwardInfo", "origin": {"@type": "messageOriginChannel",
                             "chat_id": -1009876543210, "message_id": 77 << 20, "author_signature": ""},
                             "date": 1763000000, "public_service_announcement_type": ""}
    if i % 3 == 0:
        m["interaction_info"] = {"@type": "messageInteractionInfo", "view_count": rnd.randrange(10**5),
                                 "forward_count": rnd.randrange(100),
                                 "reply_info": {"@type": "messageReplyInfo", "reply_count": 2,
                                                "recent_replier_ids": [sender(1), sender(2)],
                                                "last_read_inbox_message_id": 0, "last_read_outbox_message_id": 0,
                                                "last_message_id": (5000 - i + 3) << 20},
                                 "reactions": {"@type": "messageReactions", "reactions": [
                                     {"@type": "messageReaction", "type": {"@type": "reactionTypeEmoji", "emoji": "👍"},
                                      "total_count": 12, "is_chosen": False, "recent_sender_ids": [sender(3)]}],
                                     "are_tags": False, "paid_reactors": [], "can_get_added_reactions": True}}
    m["unread_reactions"] = []
    if i % 5 == 1:
        m["reply_to"] = {"@type": "messageReplyToMessage", "chat_id": CHAT, "message_id": (5000 - i + 1) << 20,
                         "checklist_task_id": 0, "poll_option_id": "", "origin_send_date": 0}
    m.update({"self_destruct_in": F(0), "auto_delete_in": F(0), "via_bot_user_id": 0,
              "sender_business_bot_user_id": 0, "sender_boost_count": 0, "sender_tag": "",
              "paid_message_star_count": 0, "author_signature": "", "media_album_id": "0", "effect_id": "0",
              "summary_language_code": "", "content": content(kind), "ephemeral_message_id": 0})
    messages.append(m)

out = {"@type": "messages", "total_count": 4321, "messages": messages, "@extra": "42", "@client_id": 1}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "messages.json")
with open(path, "w", encoding="utf-8") as f:
    f.write(dumps(out))
print(path, os.path.getsize(path), "bytes")
