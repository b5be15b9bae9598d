"""python-telegram 2.0.0 on the same libtdjson, for `make bench`: round trips and many clients.

    PYTHONPATH=.tdlib/python python3 Benchmarks/python_telegram_bench.py roundtrips [count]
    PYTHONPATH=.tdlib/python python3 Benchmarks/python_telegram_bench.py clients [count]

Prints figures and appends them as JSON lines to the file named by BENCH_JSON, when set.
"""

import json
import os
import resource
import sys
import tempfile
import threading
import time

from telegram.client import Telegram


def record(fields):
    path = os.environ.get("BENCH_JSON")
    if path:
        with open(path, "a") as output:
            output.write(json.dumps(fields, sort_keys=True) + "\n")


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def client(directory):
    return Telegram(
        api_id=94575,
        api_hash="a3406de8d171bb422bb6ddf3bbd800e2",
        database_encryption_key="bench",
        phone="+15550100001",
        files_directory=directory,
        use_test_dc=True,
        use_message_database=False,
        tdlib_verbosity=1,
        library_path=os.path.join(".tdlib", "lib", "libtdjson.so"),
    )


def roundtrips(count):
    tg = client(tempfile.mkdtemp(prefix="pt-bench-"))
    try:
        tg.call_method("testCallString", {"x": "hello, world"}, block=True)
        start = time.perf_counter()
        for _ in range(count):
            tg.call_method("testCallString", {"x": "hello, world"}, block=True)
        sequential = count / (time.perf_counter() - start)
        window = 10_000
        start = time.perf_counter()
        pending = []
        for index in range(count):
            pending.append(tg.call_method("testCallString", {"x": "hello, world"}))
            if len(pending) >= window:
                pending.pop(0).wait()
        for result in pending:
            result.wait()
        pipelined = count / (time.perf_counter() - start)
    finally:
        tg.stop()
    print(f"python-telegram 2.0.0: {sequential:.0f}/s sequential, {pipelined:.0f}/s pipelined (window 10000)")
    record({"benchmark": "roundtrips", "path": "python-telegram 2.0.0", "sequential_per_s": sequential,
            "pipelined_per_s": pipelined})


def clients(count):
    root = tempfile.mkdtemp(prefix="pt-clients-")
    before = rss_kib()
    start = time.perf_counter()
    tgs = [client(os.path.join(root, str(index))) for index in range(count)]
    results = [tg._set_initial_params() for tg in tgs]
    for result in results:
        result.wait(timeout=120)
    deadline = time.time() + 120
    for tg in tgs:
        while time.time() < deadline:
            state = tg.get_authorization_state()
            state.wait(timeout=30)
            if state.update and state.update.get("@type") == "authorizationStateWaitPhoneNumber":
                break
            time.sleep(0.01)
    ready = time.perf_counter() - start
    per_client = (rss_kib() - before) / 1024 / count
    threads = threading.active_count()
    start = time.perf_counter()
    for tg in tgs:
        tg.stop()
    closed = time.perf_counter() - start
    print(f"python-telegram clients {count}: ready in {ready:.2f} s, {per_client:.2f} MiB per client, "
          f"{threads} Python threads, stopped in {closed:.2f} s")
    record({"benchmark": "clients", "mode": "python-telegram", "count": count, "ready_s": ready,
            "mib_per_client": per_client, "threads": threads, "closed_s": closed})


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else "roundtrips"
    number = int(sys.argv[2]) if len(sys.argv) > 2 else (20_000 if kind == "roundtrips" else 100)
    {"roundtrips": roundtrips, "clients": clients}[kind](number)
