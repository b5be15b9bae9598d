"""What every client scenario in Tests/Interop shares: reporting checks to interop.py, and watching logs.

A scenario prints one line per check, `CHECK<TAB>ok|fail<TAB>name<TAB>detail`, which interop.py collects
(everything else it prints, including TDLib's own log, is shown only when the scenario fails). `LogWatch`
records every log record of the client library, so that a scenario can assert that nothing was logged at
ERROR or above (or with a traceback), and lets it wait for a given message: an event, not a sleep.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time


class Checks:
    def __init__(self) -> None:
        self.failed = 0

    def check(self, name: str, condition: bool, detail: object = "") -> bool:
        detail_text = " ".join(str(detail).split())
        if len(detail_text) > 300:
            detail_text = detail_text[:300] + "..."
        print(f"CHECK\t{'ok' if condition else 'fail'}\t{name}\t{detail_text}", flush=True)
        if not condition:
            self.failed += 1
        return condition


class LogWatch(logging.Handler):
    """Records the client's log records; `errors()` lists those at ERROR or above or with a traceback."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._changed = threading.Condition()
        self.setFormatter(logging.Formatter("%(relativeCreated)d %(levelname)s %(name)s: %(message)s"))
        # Uncaught exceptions in threads are errors too (python-telegram's listener and worker are threads).
        threading.excepthook = self._thread_exception

    def install(self, level: int = logging.INFO) -> LogWatch:
        root = logging.getLogger()
        root.setLevel(level)
        root.addHandler(self)
        echo = logging.StreamHandler(sys.stdout)  # shown by interop.py when the scenario fails
        echo.setFormatter(self.formatter)
        root.addHandler(echo)
        return self

    def emit(self, record: logging.LogRecord) -> None:
        with self._changed:
            self.records.append(record)
            self._changed.notify_all()

    def _thread_exception(self, args: threading.ExceptHookArgs) -> None:
        logging.getLogger("thread").error(
            "uncaught exception in thread %s", args.thread, exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
        )

    def mark(self) -> int:
        """A position in the log, to look only at what is logged after it."""
        with self._changed:
            return len(self.records)

    def errors(self, since: int = 0) -> list[str]:
        with self._changed:
            records = self.records[since:]
        return [self.format(r) for r in records if r.levelno >= logging.ERROR or r.exc_info]

    def wait_for(self, pattern: str, timeout: float, since: int = 0,
                 cancel: threading.Event | None = None) -> logging.LogRecord | None:
        """Waits until a record whose message matches `pattern` has been logged after `since` (None after
        `timeout`, or once `cancel` is set and `wake()` called)."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while cancel is None or not cancel.is_set():
                for record in self.records[since:]:
                    if regex.search(record.getMessage()):
                        return record
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._changed.wait(left)
            return None

    def wake(self) -> None:
        with self._changed:
            self._changed.notify_all()

