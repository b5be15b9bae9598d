"""aiotdlib 0.27.6 (asyncio, pydantic models generated from TDLib 1.8.46's schema), used unchanged.

    PYTHONPATH=.tdlib/aiotdlib:Tests/Interop python3 Tests/Interop/aiotdlib_interop.py SCENARIO LIBRARY

Scenarios (interop.py runs each in a process of its own, on a terminal, answering the prompts):
  login    the simulator, Bob: Client(settings=ClientSettings(library_path=..., password=...)) asks for the
           code on the terminal; get_me, get_chats, get_chat, send_text("ping") and Dave's "pong" through
           an updateNewMessage handler; TDLib's close; stop().
  offline  real TDLib, no network: start() goes as far as sending the phone number; TDLib's version and
           authorization state through the typed API; TDLib's close; stop().
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable

from aiotdlib import Client, ClientSettings
from aiotdlib.api import API, BaseObject, Error, FormattedText, InputMessageText, UpdateNewMessage
from checks import Checks, LogWatch


def settings(library: str, **account: object) -> ClientSettings:
    return ClientSettings(
        api_id=94575,
        api_hash="simulated",
        library_path=library,
        files_directory=tempfile.mkdtemp(prefix="aiotdlib-interop-"),
        **account,
    )


def errors_seen(client: Client) -> list[str]:
    """TDLib's answers of type error, including those to requests aiotdlib sends without waiting
    (setOption, disableProxy during start): aiotdlib passes them to the "*" handlers."""
    seen: list[str] = []

    async def on_any(_: Client, update: BaseObject) -> None:
        if isinstance(update, Error):
            seen.append(f"{update.code} {update.message}")

    client.add_event_handler(on_any, update_type=API.Types.ANY)
    return seen


async def close_and_stop(checks: Checks, logs: LogWatch, client: Client, prefix: str) -> None:
    """TDLib's close through the typed API (stop() alone does not close TDLib, see interop.py), until
    aiotdlib logs authorizationStateClosed ("Auth session is closed"); then aiotdlib's documented stop()."""
    mark = logs.mark()
    try:
        ok = await client.api.close(request_timeout=10)
        checks.check(f"{prefix}: close is answered ok", ok.ID == "ok", ok.ID)
    except Exception as error:
        checks.check(f"{prefix}: close is answered ok", False, repr(error))
    closed = await asyncio.to_thread(logs.wait_for, "^Auth session is closed$", 10, mark)
    checks.check(f"{prefix}: TDLib reaches authorizationStateClosed", closed is not None)
    try:
        await client.stop()
        stopped = "returned"
    except asyncio.CancelledError:
        stopped = "raised CancelledError"
    checks.check(f"{prefix}: stop() returns", stopped == "returned", stopped)
    # An update aiotdlib cannot parse may come in at any time (its 1.8.46 models, checked on its own below);
    # this check is about the close.
    errors = [e for e in logs.errors(since=mark) if "Unable to parse incoming update" not in e]
    checks.check(f"{prefix}: closing logs no error", not errors, errors)
    everything = unparsed(logs, 0)
    checks.check(f"{prefix}: aiotdlib parsed every object TDLib sent", everything == "nothing logged", everything)


async def request(logs: LogWatch, make_request) -> tuple[object, str]:
    """A typed API request, or why aiotdlib could not parse its answer: aiotdlib then logs the answer
    (with our request_id) and never completes the request, so wait for whichever comes first."""
    request_id = uuid.uuid4().hex
    mark = logs.mark()
    answer = asyncio.create_task(make_request(request_id))
    unparsable, stop_waiting = wait_for_log(logs, f"^Unable to parse incoming update: .*'request_id': '{request_id}'", mark)
    await asyncio.wait([answer, unparsable], return_when=asyncio.FIRST_COMPLETED)
    if answer.done():
        stop_waiting()
        try:
            return answer.result(), ""
        except Exception as error:
            return None, repr(error)
    answer.cancel()
    return None, unparsed(logs, mark) if unparsable.result() else "no answer in 10 s"


async def login(checks: Checks, logs: LogWatch, library: str) -> None:
    p = "aiotdlib simulator login"
    client = Client(settings=settings(library, phone_number="+15550100002", password="correct horse"))
    errors = errors_seen(client)
    pong = asyncio.Event()
    texts: list[str] = []

    async def on_new_message(_: Client, update: UpdateNewMessage) -> None:
        if update.message.chat_id == 2001 and update.message.content.ID == "messageText":
            texts.append(update.message.content.text.text)
            if "pong" in texts:
                pong.set()

    client.add_event_handler(on_new_message, update_type=API.Types.UPDATE_NEW_MESSAGE)
    try:
        await asyncio.wait_for(client.start(), 30)  # asks "Enter SMS code:" on the terminal
        checks.check(f"{p}: start() with the code and password is authorized", True)
        checks.check(f"{p}: requests during start() fail only with TDLib's 400 Option can't be set",
                     all(e == "400 Option can't be set" for e in errors), errors)

        me = await client.api.get_me(request_timeout=10)
        checks.check(f"{p}: get_me is Bob", me.first_name == "Bob", me.first_name)

        chats = await client.api.get_chats(limit=10, request_timeout=10)
        checks.check(f"{p}: get_chats lists Dave's chat", 2001 in chats.chat_ids, chats.chat_ids)

        chat, why = await request(logs, lambda rid: client.api.get_chat(2001, request_id=rid))
        checks.check(f"{p}: get_chat(2001) is Dave's chat", chat is not None and chat.title == "Dave",
                     chat.title if chat else why)

        try:
            parsed = await client.parse_text("<b>ping</b>")  # td_execute parseTextEntities, as on real TDLib
            checks.check(f"{p}: parse_text (td_execute parseTextEntities)", parsed.text == "ping", parsed.entities)
        except Exception as error:
            checks.check(f"{p}: parse_text (td_execute parseTextEntities)", False, repr(error))

        try:
            await client.send_text(2001, "ping")
            checks.check(f"{p}: send_text(2001, 'ping')", True)
        except Exception as error:
            checks.check(f"{p}: send_text(2001, 'ping')", False, repr(error))

        sent_mark = logs.mark()
        text = InputMessageText(text=FormattedText(text="ping", entities=[]))
        message, why = await request(logs, lambda rid: client.api.send_message(2001, text, request_id=rid))
        checks.check(f"{p}: api.send_message(2001, 'ping') answers with the message", message is not None,
                     message.id if message else why)

        # Dave answers; either the handler sees it, or aiotdlib logs that it could not parse it.
        unparsable_pong, stop_waiting = wait_for_log(
            logs, r"^Unable to parse incoming update: \{'@type': 'updateNewMessage'.*'pong'", sent_mark)
        handled_pong = asyncio.create_task(pong.wait())
        await asyncio.wait([unparsable_pong, handled_pong], timeout=10, return_when=asyncio.FIRST_COMPLETED)
        checks.check(f"{p}: the updateNewMessage handler sees Dave's pong", pong.is_set(),
                     texts if pong.is_set() or not unparsable_pong.done() else unparsed(logs, sent_mark))
        handled_pong.cancel()
        stop_waiting()
    finally:
        await close_and_stop(checks, logs, client, p)


async def offline(checks: Checks, logs: LogWatch, library: str) -> None:
    """Real TDLib without network goes as far as sending the phone number."""
    p = "aiotdlib real TDLib offline"
    silence_tdlib_log(library)
    client = Client(settings=settings(library, phone_number="+15550100002", password="correct horse"))
    errors = errors_seen(client)
    start = asyncio.create_task(client.start())
    try:
        sent = await asyncio.to_thread(logs.wait_for, "^Sending phone number$", 30)
        checks.check(f"{p}: start() sends the phone number", sent is not None)
        state = await client.api.get_authorization_state(request_timeout=10)
        checks.check(f"{p}: TDLib then waits for Telegram: authorizationStateWaitPhoneNumber",
                     state.ID == "authorizationStateWaitPhoneNumber", state.ID)
        version = await client.api.get_option("version", request_timeout=10)
        checks.check(f"{p}: get_option version is 1.8.66", getattr(version, "value", None) == "1.8.66", version)
        checks.check(f"{p}: requests during start() fail only with TDLib's 400 Option can't be set",
                     all(e == "400 Option can't be set" for e in errors), errors)
        try:
            parsed = await client.parse_text("<b>ping</b>")  # td_execute parseTextEntities, synchronous
            checks.check(f"{p}: parse_text (td_execute parseTextEntities)", parsed.text == "ping", parsed.entities)
        except Exception as error:
            checks.check(f"{p}: parse_text (td_execute parseTextEntities)", False, repr(error))
    finally:
        await close_and_stop(checks, logs, client, p)
        start.cancel()  # start() waits for an authorization that cannot come offline


def wait_for_log(logs: LogWatch, pattern: str, since: int) -> tuple[asyncio.Future, Callable[[], None]]:
    """A future for a log record matching `pattern` (within 10 s), and how to stop waiting for it."""
    cancel = threading.Event()
    future = asyncio.ensure_future(asyncio.to_thread(logs.wait_for, pattern, 10, since, cancel))

    def stop_waiting() -> None:
        cancel.set()
        logs.wake()

    return future, stop_waiting


def silence_tdlib_log(library: str) -> None:
    """aiotdlib 0.27.6 calls td_set_log_message_callback(callback) with one argument; TDLib takes
    (max_verbosity_level, callback), so on its next log line real TDLib calls whatever the second register
    holds and the process crashes (SIGSEGV in Client(), at TDLib's first message "Created managed client").
    TDLib's own setLogVerbosityLevel 0 first keeps TDLib from logging at all, as aiotdlib's start() does
    (tdlib_verbosity=FATAL) a moment later. A client bug, not TDLib's nor the simulator's."""
    tdjson = ctypes.CDLL(library)
    tdjson.td_execute.restype = ctypes.c_char_p
    tdjson.td_execute.argtypes = [ctypes.c_char_p]
    tdjson.td_execute(json.dumps({"@type": "setLogVerbosityLevel", "new_verbosity_level": 0}).encode())


def unparsed(logs: LogWatch, since: int) -> str:
    """The pydantic errors aiotdlib logged since `since`: which object and field it could not parse."""
    lines = []
    for record in logs.records[since:]:
        message = record.getMessage()
        if message.startswith("Object class not found"):
            lines.append(f"aiotdlib does not know {message.rsplit('=', 1)[-1]}")
        elif message.startswith("Unable to parse incoming update"):
            kind = message.split("'@type': '", 1)[1].split("'", 1)[0]
            reason = message.rsplit("! ", 1)[-1].splitlines()
            lines.append(f"aiotdlib cannot parse {kind}: {' '.join(reason[:3])}")
    return "; ".join(dict.fromkeys(lines)) or "nothing logged"


def main(scenario: str, library: str) -> int:
    checks = Checks()
    logs = LogWatch().install()
    runs = {"login": login, "offline": offline}
    asyncio.run(runs[scenario](checks, logs, library))
    return 0  # failed checks are reported above; a non-zero exit means the scenario itself broke


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
