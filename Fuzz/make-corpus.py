#!/usr/bin/env python3
"""Writes the seed corpora Fuzz/corpus/decoder and Fuzz/corpus/routing, and Fuzz/tdlib.dict.

Seeds are what TDLib 1.8.66 really sends and takes: the offline session and td_execute answers recorded
in Tests/TDLibAPITests/Fixtures, plus a fresh run of the project's libtdjson (`make tdlib`): synchronous
requests and their answers, and an offline client's updates and answers. One message of each content
type comes from the generated messages.json fixture, since an offline TDLib has no messages.
Deterministic apart from TDLib's own values (times, database paths are not kept). Run from anywhere:

    python3 Fuzz/make-corpus.py
"""
import ctypes
import hashlib
import json
import os
import re
import shutil
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "TDLibAPITests", "Fixtures")
LIBRARY = os.path.join(ROOT, ".tdlib", "lib", "libtdjson.so")
MAX_SEED = 8192  # libFuzzer mutates small inputs faster; no TDLib object needs more to cover its decoder.

# Synchronous methods, each answered by td_execute without a client.
EXECUTE = [
    {"@type": "getOption", "name": "version"},
    {"@type": "getOption", "name": "commit_hash"},
    {"@type": "getLogVerbosityLevel"},
    {"@type": "getLogStream"},
    {"@type": "getLogTags"},
    {"@type": "getLogTagVerbosityLevel", "tag": "td_requests"},
    {"@type": "getTextEntities", "text": "@user #tag $USD /cmd https://t.me/x mail@example.com +1 555 0100"},
    {"@type": "parseTextEntities", "text": "*bold* _it_ `code` [link](https://t.me)",
     "parse_mode": {"@type": "textParseModeMarkdown", "version": 2}},
    {"@type": "parseTextEntities", "text": "<b>b</b> <i>i</i> <a href=\"tg://user?id=1\">u</a> <pre>p</pre>",
     "parse_mode": {"@type": "textParseModeHTML"}},
    {"@type": "parseTextEntities", "text": "*unclosed", "parse_mode": {"@type": "textParseModeMarkdown", "version": 2}},
    {"@type": "parseMarkdown", "text": {"@type": "formattedText", "text": "**bold** __it__ ~~s~~ ||sp||", "entities": []}},
    {"@type": "getMarkdownText", "text": {"@type": "formattedText", "text": "bold", "entities": [
        {"@type": "textEntity", "offset": 0, "length": 4, "type": {"@type": "textEntityTypeBold"}}]}},
    {"@type": "searchStringsByPrefix", "strings": ["alpha", "beta", "alphabet", "Привет"], "query": "al",
     "limit": 10, "return_none_for_empty_query": False},
    {"@type": "checkQuickReplyShortcutName", "name": "hello"},
    {"@type": "getFileMimeType", "file_name": "photo.jpg"},
    {"@type": "getFileExtension", "mime_type": "video/mp4"},
    {"@type": "cleanFileName", "file_name": "a/b:c*?.txt"},
    {"@type": "getLanguagePackString", "language_pack_database_path": "", "localization_target": "android",
     "language_pack_id": "en", "key": "x"},
    {"@type": "getJsonValue", "json": "{\"a\":[1,2.5,true,null,\"s\"],\"b\":{\"c\":-3}}"},
    {"@type": "getJsonString", "json_value": {"@type": "jsonValueObject", "members": [
        {"@type": "jsonObjectMember", "key": "k", "value": {"@type": "jsonValueNumber", "value": 1.5}}]}},
    {"@type": "getThemeParametersJsonString", "theme": {"@type": "themeParameters", "background_color": 1,
     "secondary_background_color": 2, "header_background_color": 3, "bottom_bar_background_color": 4,
     "section_background_color": 5, "section_separator_color": 6, "text_color": 7, "accent_text_color": 8,
     "section_header_text_color": 9, "subtitle_text_color": 10, "destructive_text_color": 11, "hint_color": 12,
     "link_color": 13, "button_color": 14, "button_text_color": 15}},
    {"@type": "getPhoneNumberInfoSync", "language_code": "en", "phone_number_prefix": "+1555"},
    {"@type": "getCountryFlagEmoji", "country_code": "NL"},
    {"@type": "getChatFolderDefaultIconName", "folder": {"@type": "chatFolder", "name": {"@type": "chatFolderName",
     "text": {"@type": "formattedText", "text": "Work", "entities": []}, "animate_custom_emoji": False},
     "pinned_chat_ids": [], "included_chat_ids": [], "excluded_chat_ids": []}},
    {"@type": "setLogVerbosityLevel", "new_verbosity_level": 1},
    {"@type": "noSuchMethod"},
    {"@type": "getOption"},
]

# Asked of an offline client (no parameters sent, so TDLib never connects).
CLIENT = [
    {"@type": "getAuthorizationState"},
    {"@type": "getOption", "name": "version"},
    {"@type": "getOption", "name": "unix_time"},
    {"@type": "getCurrentState"},
    {"@type": "testCallString", "x": "Hello, 世界 \"quoted\" \\ \n"},
    {"@type": "testCallBytes", "x": "AAEC/w=="},
    {"@type": "testCallVectorInt", "x": [1, -2, 2147483647]},
    {"@type": "testCallVectorString", "x": ["a", "", "é"]},
    {"@type": "testCallVectorIntObject", "x": [{"@type": "testInt", "value": 5}]},
    {"@type": "testSquareInt", "x": 46340},
    {"@type": "testReturnError", "error": {"@type": "error", "code": 429, "message": "Too Many Requests: retry after 5"}},
    {"@type": "getMe"},
    {"@type": "close"},
]


def jsonl(name):
    with open(os.path.join(FIXTURES, name), "rb") as file:
        return [line for line in file.read().split(b"\n") if line.strip()]


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def run_tdlib():
    """Requests and answers of a real libtdjson, or nothing when `make tdlib` has not run."""
    if not os.path.exists(LIBRARY):
        print("make-corpus: %s missing (run `make tdlib`); using the recorded fixtures only" % LIBRARY)
        return [], []
    td = ctypes.CDLL(LIBRARY)
    td.td_create_client_id.restype = ctypes.c_int
    td.td_send.argtypes = [ctypes.c_int, ctypes.c_char_p]
    td.td_receive.argtypes = [ctypes.c_double]
    td.td_receive.restype = ctypes.c_char_p
    td.td_execute.argtypes = [ctypes.c_char_p]
    td.td_execute.restype = ctypes.c_char_p
    td.td_execute(b'{"@type":"setLogVerbosityLevel","new_verbosity_level":0}')
    requests, answers = [], []
    for request in EXECUTE:
        requests.append(compact(request))
        answer = td.td_execute(compact(request))
        if answer:
            answers.append(answer)
    client = td.td_create_client_id()
    for number, request in enumerate(CLIENT):
        request = dict(request, **{"@extra": number if number % 3 else "x%d" % number})
        requests.append(compact(request))
        td.td_send(client, compact(request))
    deadline = time.time() + 10
    while time.time() < deadline:
        answer = td.td_receive(0.5)
        if answer is None:
            continue
        answers.append(answer)
        if b"authorizationStateClosed" in answer:
            break
    return requests, answers


def one_message_per_content():
    with open(os.path.join(FIXTURES, "messages.json"), "rb") as file:
        messages = json.load(file)["messages"]
    seen = {}
    for message in messages:
        seen.setdefault(message["content"]["@type"], message)
    return [compact(message) for _, message in sorted(seen.items())]


def write(folder, seeds):
    path = os.path.join(ROOT, "Fuzz", "corpus", folder)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    names = set()
    for seed in seeds:
        if len(seed) > MAX_SEED:
            continue
        name = hashlib.sha1(seed).hexdigest()
        if name not in names:
            names.add(name)
            with open(os.path.join(path, name), "wb") as file:
                file.write(seed)
    print("make-corpus: %d seeds, %d bytes in Fuzz/corpus/%s" % (
        len(names), sum(os.path.getsize(os.path.join(path, n)) for n in names), folder))


def write_dictionary(seeds):
    types = sorted({m.decode() for seed in seeds for m in re.findall(rb'"@type":"([A-Za-z0-9]+)"', seed)})
    tokens = ['"@type"', '"@extra"', '"@client_id"', "true", "false", "null", "-0", "1e308", "18446744073709551615",
              "-2147483648", "\\u0000", "\\ud83d\\ude00", "\\ud800", "\\u0040", "\\\"", "\\\\", "\\n", "[]", "{}"]
    tokens += ['"%s"' % name for name in types]
    with open(os.path.join(ROOT, "Fuzz", "tdlib.dict"), "w") as file:
        file.write("# JSON tokens, routing keys and the TDLib types of the seed corpus (Fuzz/make-corpus.py).\n")
        for token in tokens:
            file.write('"%s"\n' % token.replace("\\", "\\\\").replace('"', '\\"'))


def main():
    requests, answers = run_tdlib()
    received = jsonl("offline-session.jsonl") + answers
    executed = jsonl("execute-answers.jsonl")
    messages = one_message_per_content()
    # Routing sees what td_receive and td_execute return and what the client sends; the decoders see
    # the same objects, every request (TDRegistry.function) and whole messages.
    write("routing", received + executed + requests)
    write("decoder", received + executed + requests + messages)
    write_dictionary(received + executed + requests + messages)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        os.chdir(directory)  # TDLib may write files next to the working directory.
        main()
