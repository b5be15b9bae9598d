"""python-telegram 2.0.0, a TDLib client nobody here wrote, logs in to the simulator library.

It follows python-telegram's documented non-blocking login (code, then password), then calls
get_me, get_chats and send_message with an update handler, and stops. Run by `make test`:

    PYTHONPATH=.tdlib/python python3 Tests/Interop/python_telegram_interop.py PATH/libtdjson-simulator.so
"""

import sys
import tempfile
import threading

from telegram.client import AuthorizationState, Telegram


def main(library_path: str) -> int:
    failures = []

    def check(condition: bool, what: str) -> None:
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    files = tempfile.mkdtemp(prefix="python-telegram-interop-")
    tg = Telegram(
        api_id=94575,
        api_hash="simulated",
        phone="+15550100002",
        database_encryption_key="changeme1234",
        library_path=library_path,
        files_directory=files,
    )
    try:
        code = "22222"
        password = "correct horse"

        state = tg.login(blocking=False)
        check(state == AuthorizationState.WAIT_CODE, f"login(blocking=False) asks for the code: {state}")
        if state == AuthorizationState.WAIT_CODE:
            tg.send_code(code)
            state = tg.login(blocking=False)
        check(state == AuthorizationState.WAIT_PASSWORD, f"then for the password: {state}")
        if state == AuthorizationState.WAIT_PASSWORD:
            tg.send_password(password)
            state = tg.login(blocking=False)
        check(state == AuthorizationState.READY, f"then it is ready: {state}")

        me = tg.get_me()
        me.wait()
        check(me.update["first_name"] == "Bob" and me.update["id"] == 1002, f"get_me: {me.update['first_name']}")

        chats = tg.get_chats()
        chats.wait()
        check(len(chats.update["chat_ids"]) >= 3, f"get_chats: {chats.update['chat_ids']}")

        received = threading.Event()
        texts = []

        def on_message(update):
            texts.append(update["message"]["content"]["text"]["text"])
            if "pong" in texts:
                received.set()

        tg.add_message_handler(on_message)
        sent = tg.send_message(chat_id=2001, text="ping")
        sent.wait()
        check(sent.update["@type"] == "message", "send_message answers with the pending message")
        check(received.wait(5), f"the update handler saw the reply: {texts}")
    finally:
        tg.stop()
    check(True, "stop() returned")
    print(f"python-telegram interop: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
