"""Third-party TDLib clients, unchanged, against the simulator library and against real TDLib (`make interop`).

    python3 Tests/Interop/interop.py SIMULATOR_LIBRARY REAL_TDLIB_LIBRARY [-v]

Each scenario runs in a process of its own on a pseudo-terminal (python-telegram's getpass() and
aiotdlib's prompts read the terminal, not stdin), whose prompts this script answers as they appear; a
timeout only catches hangs. Prints one line per check, then `interop: N passed, N failed`; exits non-zero
on any failure. A check listed in SIMULATOR_DIFFERENCES or CLIENT_LIMITS below is an expected failure
(`xfail`, with its reason); if it passes, it is reported as `XPASS` and counts as a failure, so that the
list is kept up to date. `-v` prints every scenario's output.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PYTHON_TELEGRAM = [str(ROOT / ".tdlib/python")]
AIOTDLIB = [str(ROOT / ".tdlib/aiotdlib")]
PYTDBOT = [str(ROOT / ".tdlib/pytdbot")]
TIMEOUT = 120.0  # seconds per scenario: only for hangs, a scenario takes a few seconds

# Expected failures: a regular expression for the check names -> why. Keep the reason exact: the request,
# what the simulator answers, what real TDLib 1.8.66 answers (or where tdlib/td says so).

# Where the simulator answers differently from real TDLib and a client notices: to be fixed in the simulator.
SIMULATOR_DIFFERENCES: dict[str, str] = {}

# Where the client itself cannot work with TDLib 1.8.66, real TDLib as much as the simulator.
ONE_EIGHT_FORTY_SIX = (
    "aiotdlib 0.27.6's pydantic models are generated from TDLib 1.8.46's schema, where message.message_thread_id is "
    "required; TDLib 1.8.66 has no such field (td_api.tl: message ... topic_id:MessageTopic ...), so every message, "
    "chat with a last message and updateNewMessage fails validation, is logged and dropped, and a request answered "
    "with one never completes")
CLIENT_LIMITS: dict[str, str] = {
    r"aiotdlib simulator login: (get_chat\(2001\) is Dave's chat"
    r"|send_text\(2001, 'ping'\)|api\.send_message\(2001, 'ping'\) answers with the message"
    r"|the updateNewMessage handler sees Dave's pong)": ONE_EIGHT_FORTY_SIX,
    r"aiotdlib simulator login: aiotdlib parsed every object TDLib sent": ONE_EIGHT_FORTY_SIX,
    r"aiotdlib real TDLib offline: aiotdlib parsed every object TDLib sent":
        "aiotdlib 0.27.6 knows TDLib 1.8.46's types only: real TDLib 1.8.66 sends updateGroupCallMessageLevels "
        "before the phone number, which aiotdlib logs as an error ('Object class not found') and drops",
    r"aiotdlib .*: stop\(\) returns":
        "aiotdlib 0.27.6's Client._cleanup() cancels its updates task and then awaits it, so CancelledError escapes "
        "stop() (and `async with Client(...)`) before it sends TDLib's close, on real TDLib as on the simulator; "
        "the scenarios close TDLib with api.close() first",
    r"pytdbot real TDLib offline: stop\(\) logs no error":
        "closing while checkAuthenticationBotToken is in flight (offline it is never answered): TDLib answers it 500 "
        "'Request aborted' and pytdbot 0.10.1 raises AuthorizationError in its update task, which asyncio logs as "
        "'Task exception was never retrieved'",
}


def expected_failure(name: str) -> str | None:
    for pattern, reason in (SIMULATOR_DIFFERENCES | CLIENT_LIMITS).items():
        if re.fullmatch(pattern, name):
            return reason
    return None


@dataclass
class Scenario:
    name: str
    script: str
    args: list[str]
    python_path: list[str]
    # (prompt regex, answer), answered in order as each prompt appears on the terminal
    prompts: list[tuple[str, str]] = field(default_factory=list)


def scenarios(simulator: str, tdlib: str) -> list[Scenario]:
    pt = "python_telegram_interop.py"
    aio = "aiotdlib_interop.py"
    return [
        Scenario("python-telegram simulator nonblocking", pt, ["nonblocking", simulator], PYTHON_TELEGRAM),
        Scenario("python-telegram simulator blocking bob", pt, ["blocking", simulator, "bob"], PYTHON_TELEGRAM,
                 [(r"Enter code:", "22222"), (r"Password:", "correct horse")]),
        Scenario("python-telegram simulator blocking carol", pt, ["blocking", simulator, "carol"], PYTHON_TELEGRAM,
                 [(r"Enter code:", "33333"), (r"Enter email address:", "carol@example.com"),
                  (r"Enter email code:", "44444")]),
        Scenario("python-telegram simulator blocking new", pt, ["blocking", simulator, "new"], PYTHON_TELEGRAM,
                 [(r"Enter code:", "55555"), (r"Enter first name:", "Nina"), (r"Enter last name:", "New")]),
        Scenario("python-telegram simulator bot", pt, ["bot", simulator], PYTHON_TELEGRAM),
        Scenario("python-telegram real TDLib offline", pt, ["offline", tdlib], PYTHON_TELEGRAM),
        Scenario("aiotdlib simulator login", aio, ["login", simulator], AIOTDLIB,
                 [(r"Enter SMS code:", "22222")]),
        Scenario("aiotdlib real TDLib offline", aio, ["offline", tdlib], AIOTDLIB),
        Scenario("pytdbot simulator bot", "pytdbot_interop.py", ["bot", simulator], PYTDBOT),
        Scenario("pytdbot real TDLib offline", "pytdbot_interop.py", ["offline", tdlib], PYTDBOT),
    ]


@dataclass
class Result:
    output: str
    returncode: int | None  # None: timed out


def run_on_terminal(scenario: Scenario) -> Result:
    """Runs the scenario with a pseudo-terminal as its controlling terminal, stdin, stdout and stderr."""
    master, slave = pty.openpty()

    def take_terminal() -> None:  # in the child, after setsid: make the pty its controlling terminal
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*scenario.python_path, str(HERE)]), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, str(HERE / scenario.script), *scenario.args],
        stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
        start_new_session=True, preexec_fn=take_terminal,
    )
    os.close(slave)
    output = b""
    answered = 0  # how much of the output has been searched for the next prompt
    prompts = list(scenario.prompts)
    deadline = time.monotonic() + TIMEOUT
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            os.close(master)
            return Result(output.decode(errors="replace"), None)
        ready, _, _ = select.select([master], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every process holding the terminal has exited
            chunk = b""
        if not chunk:
            break
        output += chunk
        if prompts:
            match = re.search(prompts[0][0].encode(), output[answered:])
            if match:
                answered += match.end()
                os.write(master, prompts.pop(0)[1].encode() + b"\n")
    os.close(master)
    try:
        returncode = process.wait(max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        returncode = None
    return Result(output.decode(errors="replace").replace("\r\n", "\n"), returncode)


def main(simulator: str, tdlib: str, verbose: bool = False) -> int:
    passed = failed = expected = 0
    seen: set[str] = set()

    def report(status: str, name: str, detail: str) -> None:
        print(f"{status:<5} {name}" + (f": {detail}" if detail else ""), flush=True)

    for scenario in scenarios(simulator, tdlib):
        started = time.monotonic()
        result = run_on_terminal(scenario)
        scenario_failed = False
        for line in result.output.splitlines():
            parts = line.split("\t")
            if len(parts) != 4 or parts[0] != "CHECK":
                continue
            _, outcome, name, detail = parts
            seen.add(name)
            reason = expected_failure(name)
            if outcome == "ok" and reason is None:
                passed += 1
                report("ok", name, detail)
            elif outcome == "ok":
                failed += 1
                scenario_failed = True
                report("XPASS", name, "passes now: remove it from the expected failures in Tests/Interop/interop.py")
            elif reason is not None:
                expected += 1
                report("xfail", name, f"{detail} [expected: {reason}]")
            else:
                failed += 1
                scenario_failed = True
                report("FAIL", name, detail)
        seconds = time.monotonic() - started
        if result.returncode is None:
            failed += 1
            scenario_failed = True
            report("FAIL", f"{scenario.name}: finishes", f"killed after {TIMEOUT:.0f} s")
        elif result.returncode != 0 and not scenario_failed:
            failed += 1
            scenario_failed = True
            report("FAIL", f"{scenario.name}: finishes", f"exit code {result.returncode} after {seconds:.1f} s")
        else:
            passed += 1
            report("ok", f"{scenario.name}: finishes", f"{seconds:.1f} s")
        if scenario_failed or verbose:
            print(f"----- output of {scenario.name} -----")
            print("\n".join(line for line in result.output.splitlines()[-80:] if not line.startswith("CHECK\t")))
            print("-----")

    for pattern in (SIMULATOR_DIFFERENCES | CLIENT_LIMITS):
        if not any(re.fullmatch(pattern, name) for name in seen):
            failed += 1
            report("FAIL", pattern, "listed as an expected failure but no check has this name any more")
    if expected:
        print(f"interop: {expected} expected failures (xfail above), each with its reason")
    print(f"interop: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "-v"]
    if len(arguments) != 2:
        sys.exit(__doc__)
    sys.exit(main(*arguments, verbose="-v" in sys.argv[1:]))
