"""pytdbot 0.10.1 (asyncio, for bots; types generated from TDLib 1.8.65's schema), used unchanged.

    PYTHONPATH=.tdlib/pytdbot:Tests/Interop python3 Tests/Interop/pytdbot_interop.py SCENARIO LIBRARY

Scenarios (interop.py runs each in a process of its own):
  bot      the simulator: Client(token=..., lib_path=...).start() logs the echo bot in; getMe; stop().
  offline  real TDLib, no network: start(wait_login=False) goes as far as sending the bot token, which only
           Telegram's servers answer; TDLib's version; stop() closes TDLib.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import tempfile

from checks import Checks, LogWatch
from pytdbot import Client


def client(library: str) -> Client:
    return Client(
        token="1000001:SIMULATOR-BOT-TOKEN",
        api_id=94575,
        api_hash="simulated",
        lib_path=library,
        files_directory=tempfile.mkdtemp(prefix="pytdbot-interop-"),
        database_encryption_key="changeme1234",
        td_verbosity=1,
    )


async def stop_cleanly(checks: Checks, logs: LogWatch, bot: Client, prefix: str) -> None:
    gc.collect()
    mark = logs.mark()
    try:
        stopped = await asyncio.wait_for(bot.stop(), 30)
        checks.check(f"{prefix}: stop() closes TDLib", stopped and bot.authorization_state == "authorizationStateClosed",
                     bot.authorization_state)
    except Exception as error:
        checks.check(f"{prefix}: stop() closes TDLib", False, repr(error))
    await asyncio.sleep(0)  # one turn of the loop for the tasks the close ended, then collect them
    gc.collect()
    errors = logs.errors(since=mark)
    checks.check(f"{prefix}: stop() logs no error", not errors, errors)


async def bot(checks: Checks, logs: LogWatch, library: str) -> None:
    p = "pytdbot simulator bot"
    tg = client(library)
    try:
        try:
            await asyncio.wait_for(tg.start(), 10)
        except TimeoutError:
            pass
        gc.collect()  # pytdbot's failed login task logs its exception when it is collected
        checks.check(f"{p}: start() with the bot token is ready", tg.authorization_state == "authorizationStateReady",
                     f"{tg.authorization_state} {logs.errors()}")
        if tg.authorization_state != "authorizationStateReady":
            return
        me = await tg.getMe()
        checks.check(f"{p}: getMe is the echo bot", getattr(me, "first_name", None) == "Echo"
                     and me.type.getType() == "userTypeBot", me)
        version = await tg.getOption(name="version")
        checks.check(f"{p}: getOption version is 1.8.66", getattr(version, "value", None) == "1.8.66", version)
        errors = logs.errors()
        checks.check(f"{p}: nothing logged at ERROR until now", not errors, errors)
    finally:
        await stop_cleanly(checks, logs, tg, p)


async def offline(checks: Checks, logs: LogWatch, library: str) -> None:
    p = "pytdbot real TDLib offline"
    tg = client(library)
    try:
        await asyncio.wait_for(tg.start(wait_login=False), 30)
        waiting = await asyncio.to_thread(logs.wait_for, "^Authorization state changed to WaitPhoneNumber$", 30)
        checks.check(f"{p}: start() reaches authorizationStateWaitPhoneNumber", waiting is not None, tg.authorization_state)
        version = await tg.getOption(name="version")
        checks.check(f"{p}: getOption version is 1.8.66", getattr(version, "value", None) == "1.8.66", version)
        errors = logs.errors()
        checks.check(f"{p}: nothing logged at ERROR until now", not errors, errors)
    finally:
        await stop_cleanly(checks, logs, tg, p)


def main(scenario: str, library: str) -> int:
    checks = Checks()
    logs = LogWatch().install()
    runs = {"bot": bot, "offline": offline}
    asyncio.run(runs[scenario](checks, logs, library))
    return 0  # failed checks are reported above; a non-zero exit means the scenario itself broke


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
