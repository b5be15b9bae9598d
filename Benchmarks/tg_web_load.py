"""200 concurrent logins through tg-web on the simulator: time, latency and the server's memory.

    python3 Benchmarks/tg_web_load.py PATH/tg-web [logins]

Each login is a browser-like session (its own cookies): start page, phone number, code, 2FA password,
then the home page with the account. Traffic goes to 127.0.0.1 only and the run is bounded.
"""

import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def login(base, results, index):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    started = time.perf_counter()
    try:
        page = opener.open(base + "/", timeout=60).read().decode()
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)

        def post(path, **fields):
            data = urllib.parse.urlencode(dict(fields, csrf=csrf)).encode()
            return opener.open(base + path, data=data, timeout=60).read().decode()

        post("/start", kind="phone", phone="+15550100002")
        post("/code", code="22222")
        home = post("/password", password="correct horse")
        results[index] = (time.perf_counter() - started, "Bob Secure" in home)
    except Exception as error:  # a failed login counts as failed, with its reason
        results[index] = (time.perf_counter() - started, False)
        print(f"login {index} failed: {error}", file=sys.stderr)


def main(binary, logins):
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in ("TG_API_ID", "TG_API_HASH")}
    environment.update(TG_WEB_PORT=str(port), TG_LOG_LEVEL="error")
    server = subprocess.Popen([binary], env=environment, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            break
        except OSError:
            time.sleep(0.2)
    idle = rss_mib(server.pid)
    results = [None] * logins
    threads = [threading.Thread(target=login, args=(base, results, i)) for i in range(logins)]
    peak = idle
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, rss_mib(server.pid))
        time.sleep(0.05)
    total = time.perf_counter() - started
    loaded = rss_mib(server.pid)
    server.send_signal(signal.SIGINT)
    status = server.wait(timeout=60)
    times = sorted(r[0] for r in results if r)
    ok = sum(1 for r in results if r and r[1])
    print(f"tg-web load: {ok}/{logins} concurrent logins completed in {total:.2f} s; "
          f"per login p50 {statistics.median(times):.2f} s, p95 {times[int(len(times) * 0.95) - 1]:.2f} s; "
          f"server memory {idle:.0f} MiB idle, {peak:.0f} MiB peak, {(loaded - idle) / logins:.2f} MiB per session; "
          f"SIGINT exit status {status}")
    return 0 if ok == logins and status == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200))
