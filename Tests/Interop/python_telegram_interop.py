"""python-telegram 2.0.0, a TDLib client nobody here wrote, used unchanged through its documented API.

    PYTHONPATH=.tdlib/python:Tests/Interop python3 Tests/Interop/python_telegram_interop.py SCENARIO LIBRARY

Scenarios (interop.py runs each in a process of its own, on a terminal, answering the prompts):
  nonblocking  Bob: login(blocking=False), send_code, send_password; get_me, get_chats, get_chat_history;
               a message handler sees Dave's "pong" after send_message("ping"); stop() logs no error.
  blocking     login() asking for what it needs with input() and getpass(): ACCOUNT is bob (code,
               password), carol (code, email address, email code) or new (code, first and last name).
  bot          Telegram(bot_token=...): login() with no prompt, get_me is a bot, stop().
  offline      real TDLib, no network: TDLib's version, login up to the phone number, then a clean close.
"""

from __future__ import annotations

import sys
import tempfile
import threading

from checks import Checks, LogWatch
from telegram.client import AuthorizationState, Telegram

API_ID = 94575
API_HASH = "simulated"
BOT_TOKEN = "1000001:SIMULATOR-BOT-TOKEN"
PHONES = {"bob": "+15550100002", "carol": "+15550100003", "new": "+15550100004"}


def make_client(library: str, **account: str) -> Telegram:
    return Telegram(
        api_id=API_ID,
        api_hash=API_HASH,
        database_encryption_key="changeme1234",
        library_path=library,
        files_directory=tempfile.mkdtemp(prefix="python-telegram-interop-"),
        tdlib_verbosity=1,
        **account,
    )


def stop_cleanly(checks: Checks, logs: LogWatch, tg: Telegram, prefix: str) -> None:
    """stop() must reach authorizationStateClosed and log nothing at ERROR (python-telegram polls
    getAuthorizationState until it answers authorizationStateClosed)."""
    mark = logs.mark()
    tg.stop()
    checks.check(f"{prefix}: stop() reaches authorizationStateClosed", tg.authorization_state == AuthorizationState.CLOSED,
                 tg.authorization_state)
    errors = logs.errors(since=mark)
    checks.check(f"{prefix}: stop() logs no error", not errors, errors)


def nonblocking(checks: Checks, logs: LogWatch, library: str) -> None:
    p = "python-telegram simulator nonblocking"
    tg = make_client(library, phone=PHONES["bob"])
    try:
        state = tg.login(blocking=False)
        checks.check(f"{p}: login(blocking=False) asks for the code", state == AuthorizationState.WAIT_CODE, state)
        if state == AuthorizationState.WAIT_CODE:
            tg.send_code("22222")
            state = tg.login(blocking=False)
        checks.check(f"{p}: then for the password", state == AuthorizationState.WAIT_PASSWORD, state)
        if state == AuthorizationState.WAIT_PASSWORD:
            tg.send_password("correct horse")
            state = tg.login(blocking=False)
        checks.check(f"{p}: then it is ready", state == AuthorizationState.READY, state)

        me = tg.get_me()
        me.wait(10)
        checks.check(f"{p}: get_me is Bob", me.update and me.update["first_name"] == "Bob", me.update or me.error_info)

        chats = tg.get_chats()
        chats.wait(10)
        chat_ids = (chats.update or {}).get("chat_ids", [])
        checks.check(f"{p}: get_chats lists Dave's chat", 2001 in chat_ids and len(chat_ids) >= 3, chats.update or chats.error_info)

        history = tg.get_chat_history(chat_id=2001, limit=10)
        history.wait(10)
        messages = (history.update or {}).get("messages", [])
        checks.check(f"{p}: get_chat_history(2001) returns messages",
                     len(messages) >= 1 and all(m["chat_id"] == 2001 for m in messages),
                     f"{len(messages)} messages" if history.update else history.error_info)

        pong = threading.Event()
        texts: list[str] = []

        def on_message(update: dict) -> None:
            content = update["message"]["content"]
            if content["@type"] == "messageText" and update["message"]["chat_id"] == 2001:
                texts.append(content["text"]["text"])
                if "pong" in texts:
                    pong.set()

        tg.add_message_handler(on_message)
        sent = tg.send_message(chat_id=2001, text="ping")
        sent.wait(10)
        checks.check(f"{p}: send_message answers with the pending message",
                     sent.update and sent.update["@type"] == "message", sent.update or sent.error_info)
        checks.check(f"{p}: the message handler sees Dave's pong", pong.wait(10), texts)
    finally:
        stop_cleanly(checks, logs, tg, p)


def blocking(checks: Checks, logs: LogWatch, library: str, account: str) -> None:
    p = f"python-telegram simulator blocking {account}"
    tg = make_client(library, phone=PHONES[account])
    try:
        state = tg.login()  # asks on the terminal; interop.py answers
        checks.check(f"{p}: login() answering its prompts is ready", state == AuthorizationState.READY, state)
        me = tg.get_me()
        me.wait(10)
        names = {"bob": "Bob", "carol": "Carol", "new": "Nina"}
        checks.check(f"{p}: get_me is {names[account]}", me.update and me.update["first_name"] == names[account],
                     me.update or me.error_info)
    finally:
        stop_cleanly(checks, logs, tg, p)


def bot(checks: Checks, logs: LogWatch, library: str) -> None:
    p = "python-telegram simulator bot"
    tg = make_client(library, bot_token=BOT_TOKEN)
    try:
        state = tg.login()
        checks.check(f"{p}: login() with bot_token is ready", state == AuthorizationState.READY, state)
        me = tg.get_me()
        me.wait(10)
        checks.check(f"{p}: get_me is a bot", me.update and me.update["type"]["@type"] == "userTypeBot",
                     me.update or me.error_info)
    finally:
        stop_cleanly(checks, logs, tg, p)


def offline(checks: Checks, logs: LogWatch, library: str) -> None:
    """Real TDLib without network goes as far as sending the phone number, which only Telegram's servers
    answer: login() stays in flight, as it would on a slow network, until stop() closes the client."""
    p = "python-telegram real TDLib offline"
    tg = make_client(library, phone=PHONES["bob"])
    try:
        version = tg.call_method("getOption", {"name": "version"})
        version.wait(10)
        checks.check(f"{p}: getOption version is 1.8.66", (version.update or {}).get("value") == "1.8.66",
                     version.update or version.error_info)

        outcome: list[object] = []

        def login() -> None:
            try:
                outcome.append(tg.login(blocking=False))
            except Exception as error:  # the close ends the login in flight; reported below, not an error
                outcome.append(error)

        login_thread = threading.Thread(target=login, daemon=True)
        login_thread.start()
        sent = logs.wait_for("^Sending phone number$", timeout=30)
        checks.check(f"{p}: login() sends the phone number", sent is not None)
        state = tg.get_authorization_state()
        state.wait(10)
        checks.check(f"{p}: TDLib then waits for Telegram: authorizationStateWaitPhoneNumber",
                     (state.update or {}).get("@type") == "authorizationStateWaitPhoneNumber", state.update or state.error_info)
    finally:
        stop_cleanly(checks, logs, tg, p)
    login_thread.join(10)
    print(f"login() in flight ended with: {outcome}")


def main(scenario: str, library: str, *args: str) -> int:
    checks = Checks()
    logs = LogWatch().install()
    if scenario == "nonblocking":
        nonblocking(checks, logs, library)
    elif scenario == "blocking":
        blocking(checks, logs, library, args[0])
    elif scenario == "bot":
        bot(checks, logs, library)
    elif scenario == "offline":
        offline(checks, logs, library)
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    return 0  # failed checks are reported above; a non-zero exit means the scenario itself broke


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
