"""Sends the differential suite's request sequences to one libtdjson and prints what it answered, as JSON.

Run once with real TDLib and once with the simulator library (see differential.py); both runs send exactly
the same requests in the same order, so their transcripts can be compared line by line:

    python3 Tests/Differential/tdjson_phases.py LIBRARY SCHEMA > transcript.json

Every wait ends on an event (an answer, an update); its timeout only catches a hang.
"""

import ctypes
import json
import os
import sys
import tempfile
import time

import text_corpus
from schema import Schema

HANG = 120.0  # seconds; only a hang takes this long


class Hang(Exception):
    pass


class TDJson:
    """One loaded libtdjson: clients, requests with our own @extra, and everything it sends back."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        self.lib.td_create_client_id.restype = ctypes.c_int
        self.lib.td_send.argtypes = [ctypes.c_int, ctypes.c_char_p]
        self.lib.td_receive.argtypes = [ctypes.c_double]
        self.lib.td_receive.restype = ctypes.c_char_p
        self.lib.td_execute.argtypes = [ctypes.c_char_p]
        self.lib.td_execute.restype = ctypes.c_char_p
        self.execute({"@type": "setLogVerbosityLevel", "new_verbosity_level": 0})
        self.last_extra = 0
        self.answers = {}  # extra -> object
        self.updates = {}  # client id -> [object]

    def execute(self, request):
        answer = self.lib.td_execute(json.dumps(request).encode())
        return json.loads(answer) if answer else None

    def create(self):
        client = self.lib.td_create_client_id()
        self.updates[client] = []
        return client

    def send(self, client, request):
        self.last_extra += 1
        request = dict(request)
        request["@extra"] = self.last_extra
        self.lib.td_send(client, json.dumps(request).encode())
        return self.last_extra

    def send_raw(self, client, text):
        """Sends JSON text as given, with @extra put first; for requests json.dumps cannot write."""
        self.last_extra += 1
        body = text.strip()
        assert body.startswith("{")
        rest = body[1:].strip()
        joined = '{"@extra":%d%s%s' % (self.last_extra, "," if rest != "}" else "", rest)
        self.lib.td_send(client, joined.encode())
        return self.last_extra

    def pump(self, done):
        """Receives until `done()` holds.

        td_receive may return nothing before its timeout (TDLib does when it releases a closed client),
        so only a deadline says that nothing more will come.
        """
        deadline = time.monotonic() + HANG
        while not done():
            raw = self.lib.td_receive(1.0)
            if raw is None:
                if time.monotonic() > deadline:
                    raise Hang("nothing arrived for %s s" % HANG)
                continue
            deadline = time.monotonic() + HANG
            item = json.loads(raw)
            if "@extra" in item:
                self.answers[item["@extra"]] = item
            else:
                self.updates.setdefault(item.get("@client_id"), []).append(item)

    def answer(self, extra):
        self.pump(lambda: extra in self.answers)
        return self.answers[extra]

    def auth_states(self, client):
        return [
            u["authorization_state"]["@type"]
            for u in self.updates.get(client, [])
            if u["@type"] == "updateAuthorizationState"
        ]

    def until_state(self, client, state):
        self.pump(lambda: state in self.auth_states(client))


def summary(item):
    """What the suite compares of one answer: its type, or an error's code and message."""
    if item is None:
        return "no answer"
    if item.get("@type") == "error":
        return "error %s %s" % (item.get("code"), item.get("message"))
    return item.get("@type")


def parameters(directory, key="", **overrides):
    request = {
        "@type": "setTdlibParameters",
        "use_test_dc": True,
        "database_directory": directory,
        "files_directory": "",
        "database_encryption_key": key,
        "use_file_database": False,
        "use_chat_info_database": False,
        "use_message_database": False,
        "use_secret_chats": False,
        "api_id": 94575,
        "api_hash": "a3406de8d171bb422bb6ddf3bbd800e2",
        "system_language_code": "en",
        "device_model": "differential",
        "system_version": "",
        "application_version": "1",
    }
    request.update(overrides)
    return request


# Requests that end or change the session: the phases send them on their own, not in the bulk.
SESSION_ENDING = {"close", "destroy", "logOut", "setTdlibParameters"}
# Login requests that move TDLib to another authorization flow (a bot token, a phone number, a QR code,
# a passkey...): in the bulk at authorizationStateWaitPhoneNumber they would change every later answer.
LOGIN_CHANGING = {
    "checkAuthenticationBotToken", "setAuthenticationPhoneNumber", "requestQrCodeAuthentication",
    "getAuthenticationPasskeyParameters", "checkAuthenticationPasskey", "checkAuthenticationWebToken",
    "deleteAccount",
}
# Requests that change the whole process's logging; addLogMessage with no fields is a fatal log line,
# which aborts the process in real TDLib.
PROCESS_LOGGING = {"setLogStream", "setLogVerbosityLevel", "addLogMessage", "setLogTagVerbosityLevel"}
# Requests that crash real TDLib 1.8.66 (a segmentation fault) when sent with no fields, so neither
# library is asked: getThemeParametersJsonString reads its null `theme`; getDatabaseStatistics at
# authorizationStateWaitPhoneNumber.
CRASHING = {"getThemeParametersJsonString", "getDatabaseStatistics"}
# Requests whose answer from real TDLib depends on timing: setAlarm's timer (even of 0 seconds) races the
# close that ends the phase, so real TDLib answers ok or 500 "Request aborted" from run to run.
RACING_THE_CLOSE = {"setAlarm"}


def progress(text):
    sys.stderr.write("tdjson_phases: %s\n" % text)
    sys.stderr.flush()


def bulk(td, client, names, label, results):
    """Sends every function in `names` with no fields; the phase then collects the answers."""
    progress(label)
    return [(name, td.send(client, {"@type": name})) for name in names]


def collect(td, sent, label, results):
    for name, extra in sent:
        results["%s %s" % (label, name)] = summary(td.answers.get(extra))


def close_and_wait(td, client):
    extra = td.send(client, {"@type": "close"})
    td.until_state(client, "authorizationStateClosed")
    return extra


def run(path, schema_path):
    schema = Schema.read(schema_path)
    names = [f for f in schema.function_names() if f not in SESSION_ENDING | PROCESS_LOGGING | CRASHING | RACING_THE_CLOSE]
    td = TDJson(path)
    results = {}
    states = {}
    folder = tempfile.mkdtemp(prefix="tdlib-differential-")

    # Before setTdlibParameters: every function, then close; what never answers is aborted by the close.
    client = td.create()
    first = td.send(client, {"@type": "getAuthorizationState"})
    results["before-parameters getAuthorizationState"] = summary(td.answer(first))
    sent = bulk(td, client, names, "before-parameters", results)
    closing = close_and_wait(td, client)
    td.pump(lambda: all(extra in td.answers for _, extra in sent) and closing in td.answers)
    collect(td, sent, "before-parameters", results)
    results["before-parameters close"] = summary(td.answers[closing])
    states["before-parameters"] = td.auth_states(client)

    # After the close: the client is gone.
    sent = bulk(td, client, names + ["close", "setTdlibParameters"], "after-close", results)
    td.pump(lambda: all(extra in td.answers for _, extra in sent))
    collect(td, sent, "after-close", results)

    # At authorizationStateWaitPhoneNumber.
    client = td.create()
    extra = td.send(client, parameters(os.path.join(folder, "phone"), api_id="94575"))
    results["parameters api_id as a string"] = summary(td.answer(extra))
    td.until_state(client, "authorizationStateWaitPhoneNumber")
    sent = bulk(td, client, [n for n in names if n not in LOGIN_CHANGING], "wait-phone-number", results)
    during = [(name, td.send(client, {"@type": name})) for name in ("getAuthorizationState", "getOption")]
    closing = close_and_wait(td, client)
    td.pump(lambda: all(extra in td.answers for _, extra in sent + during) and closing in td.answers)
    collect(td, sent, "wait-phone-number", results)
    results["wait-phone-number close"] = summary(td.answers[closing])
    states["wait-phone-number"] = td.auth_states(client)

    # During the close: requests sent right after `close`, before authorizationStateClosed has been received.
    client = td.create()
    extra = td.send(client, parameters(os.path.join(folder, "closing")))
    td.until_state(client, "authorizationStateWaitPhoneNumber")
    closing = td.send(client, {"@type": "close"})
    # (A second `close` is left out: real TDLib answers it ok or 500 depending on how far its close has gone.)
    during = [(name, td.send(client, {"@type": name})) for name in ("getAuthorizationState", "testCallEmpty")]
    td.until_state(client, "authorizationStateClosed")
    td.pump(lambda: all(extra in td.answers for _, extra in during) and closing in td.answers)
    collect(td, during, "during-close", results)
    states["during-close"] = td.auth_states(client)

    # A wrong database key, then the right one.
    keyed = os.path.join(folder, "keyed")
    client = td.create()
    results["key first"] = summary(td.answer(td.send(client, parameters(keyed, key="c2VjcmV0"))))
    td.until_state(client, "authorizationStateWaitPhoneNumber")
    close_and_wait(td, client)
    client = td.create()
    results["key wrong"] = summary(td.answer(td.send(client, parameters(keyed, key="d3Jvbmc="))))
    results["key right after wrong"] = summary(td.answer(td.send(client, parameters(keyed, key="c2VjcmV0"))))
    td.until_state(client, "authorizationStateWaitPhoneNumber")
    close_and_wait(td, client)

    # Values written as TDLib reads them: numbers as strings, nulls as defaults, and so on.
    progress("reading")
    client = td.create()
    for label, text in LENIENT_REQUESTS:
        item = td.answer(td.send_raw(client, text))
        results["reading " + label] = summary(item) + ("" if item.get("@type") == "error" else " " + value(item))
    close_and_wait(td, client)

    # td_execute: every function with no fields.
    progress("execute")
    for name in schema.function_names():
        if name in PROCESS_LOGGING | CRASHING:
            continue
        results["execute " + name] = summary(td.execute({"@type": name}))

    # td_execute: the text utilities' corpus, whole answers compared (text_corpus.py).
    progress("text")
    for label, request in text_corpus.cases():
        item = td.execute(request)
        results["text " + label] = summary(item) + ("" if item.get("@type") == "error" else " " + value(numbers(item)))

    return {"answers": results, "states": states}


def value(item):
    """The payload of a test answer, so that reading differences show."""
    return json.dumps({k: v for k, v in item.items() if not k.startswith("@")}, sort_keys=True)


def numbers(item):
    """The object with each whole-valued double as an integer: JSON numbers compare by value, and TDLib
    writes a double with six decimals (1.000000) where the simulator's writer writes 1."""
    if isinstance(item, dict):
        return {k: numbers(v) for k, v in item.items()}
    if isinstance(item, list):
        return [numbers(v) for v in item]
    if isinstance(item, float) and item.is_integer() and abs(item) < 2 ** 53:
        return int(item)
    return item


LENIENT_REQUESTS = [
    ("int32 as a number", '{"@type":"testSquareInt","x":7}'),
    ("int32 as a string", '{"@type":"testSquareInt","x":"7"}'),
    ("int32 null", '{"@type":"testSquareInt","x":null}'),
    ("int32 missing", '{"@type":"testSquareInt"}'),
    ("int32 as a float", '{"@type":"testSquareInt","x":7.0}'),
    ("int32 as a float string", '{"@type":"testSquareInt","x":"7.5"}'),
    ("int32 as true", '{"@type":"testSquareInt","x":true}'),
    ("int32 overflowing", '{"@type":"testSquareInt","x":4294967296}'),
    ("int32 as a negative string", '{"@type":"testSquareInt","x":"-3"}'),
    ("int32 as an object", '{"@type":"testSquareInt","x":{}}'),
    ("string as a number", '{"@type":"testCallString","x":5}'),
    ("string null", '{"@type":"testCallString","x":null}'),
    ("bytes as base64", '{"@type":"testCallBytes","x":"aGk="}'),
    ("bytes not base64", '{"@type":"testCallBytes","x":"h"}'),
    ("vector of int32 as strings", '{"@type":"testCallVectorInt","x":["1","2"]}'),
    ("vector null", '{"@type":"testCallVectorInt","x":null}'),
    ("vector of strings with null", '{"@type":"testCallVectorString","x":["a",null]}'),
    ("vector of objects", '{"@type":"testCallVectorIntObject","x":[{"@type":"testInt","value":"4"}]}'),
    ("unknown field", '{"@type":"testSquareInt","x":3,"no_such_field":[1,2]}'),
    ("type as a constructor number", '{"@type":-60135024,"x":3}'),
    ("type as a constructor number string", '{"@type":"-60135024","x":3}'),
    ("unknown type", '{"@type":"noSuchMethod"}'),
    ("type not a function", '{"@type":"testInt","value":3}'),
    ("no type", '{"x":3}'),
    ("error object", '{"@type":"testReturnError","error":{"@type":"error","code":"404","message":"nope"}}'),
]


if __name__ == "__main__":
    sys.stdout.write(json.dumps(run(sys.argv[1], sys.argv[2]), indent=1, sort_keys=True))
